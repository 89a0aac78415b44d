// Diagnostics as the kernel's tools print them: "file:line: message".
#pragma once
#include <string>
#include <string_view>

namespace modforge::diag {

// Appends "file:line: " to `to`.
inline void location(std::string& to, std::string_view file, int line) {
  to += file;
  to += ':';
  to += std::to_string(line);
  to += ": ";
}

// "file:line: message\n"
inline std::string at(std::string_view file, int line, std::string_view message) {
  std::string s;
  location(s, file, line);
  s += message;
  s += '\n';
  return s;
}

}  // namespace modforge::diag
