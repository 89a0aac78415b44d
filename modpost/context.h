// One modpost run's state, passed to each stage instead of the real tool's globals.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "modpost/model.h"
#include "modpost/options.h"
#include "modpost/report.h"
#include "modpost/rules.h"

namespace modforge::modpost {

inline constexpr std::size_t kModuleNameLen = 64 - 8;  // MODULE_NAME_LEN on 64-bit
inline constexpr unsigned kMaxUnresolvedReports = 10;

struct Context {
  Kernel kernel;
  const Rules& rules;
  Options opts;
  Report report;
  Model model;
  std::string_view stdin_text;
  unsigned nr_unresolved = 0;
};

// read_text_file(): the whole file, cut at its first NUL as the real C string is; on
// failure perror(path) and exit 1.
struct TextFile {
  std::unique_ptr<char[]> data;
  std::string_view text;
};
TextFile read_text_file(Report& report, const std::string& path);

// write_buf(): nothing once an error has been reported; otherwise the file is replaced
// atomically, and a failure is perror(path) and exit 1.
void write_buf(Context& cx, const std::string& path, std::string_view bytes);
// write_if_changed(): leaves an identical file alone.
void write_if_changed(Context& cx, const std::string& path, std::string_view bytes);


}  // namespace modforge::modpost
