// Writing a whole buffer to a file descriptor, as the tools' mains do with what the
// libraries collected for standard output and standard error.
#pragma once
#include <string_view>
#include <unistd.h>

namespace modforge {

inline void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t w = ::write(fd, s.data(), s.size());
    if (w <= 0) return;  // nowhere left to report it
    s.remove_prefix(static_cast<std::size_t>(w));
  }
}

}  // namespace modforge
