// The -V text of the kmod tools: kmod 30 as Debian 12 builds it, the kmod these tools
// reproduce (scripts read the version line to know what the tools accept).
#pragma once
#include <string_view>

namespace modforge::loader::tools {

inline constexpr std::string_view kKmodVersion = "kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n";

}  // namespace modforge::loader::tools
