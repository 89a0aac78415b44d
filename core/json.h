// JSON string literals for the reports modforge writes (compile_commands.json, check load).
#pragma once
#include <string>
#include <string_view>

namespace modforge {

// `s` as a JSON string, quotes included.  Not valid UTF-8 (JSON text is Unicode: other
// bytes have no faithful JSON form): throws Error, or with `lossy` writes U+FFFD per byte
// (kernel log lines and module strings are not a path a tool must find again).
std::string json_string(std::string_view s, bool lossy = false);

}  // namespace modforge
