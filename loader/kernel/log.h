// The kernel log lines one syscall prints, with their printk levels.
#pragma once
#include <string>
#include <vector>

namespace modforge::loader::kernel {

enum Level { kErr = 3, kWarn = 4, kNotice = 5, kInfo = 6 };

struct LogLine {
  int level = kInfo;
  std::string msg;  // without the trailing newline
};

using Log = std::vector<LogLine>;

inline void logf(Log& log, int level, std::string msg) { log.push_back({level, std::move(msg)}); }

}  // namespace modforge::loader::kernel
