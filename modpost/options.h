// modpost's command line: getopt over the version's option string, the operands left over.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "modpost/rules.h"

namespace modforge::modpost {

struct Options {
  bool external_module = false;       // -e
  bool module_enabled = false;        // -M (6.12)
  bool modversions = false;           // -m
  bool ignore_missing_files = false;  // -n
  bool all_versions = false;          // -a
  bool trim_unused_exports = false;   // -t (6.12)
  bool extra_warn = false;            // -W
  bool warn_unresolved = false;       // -w
  bool sec_mismatch_warn_only = true; // -E clears it
  bool allow_missing_ns_imports = false;  // -N
  std::vector<std::string> dumps;     // -i, in order
  std::optional<std::string> dump_write;       // -o
  std::optional<std::string> files_source;     // -T
  std::optional<std::string> unused_whitelist; // -u (6.12)
  std::optional<std::string> ns_deps;          // -d
  std::vector<std::string> objects;   // operands
};

// Returns getopt's message (without the newline) in `error` when the line is refused, as
// the real main() exits 1 after getopt has printed it.
Options parse_options(const std::vector<std::string>& args, const Rules& rules, std::string& error);

}  // namespace modforge::modpost
