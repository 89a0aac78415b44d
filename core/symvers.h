// Module.symvers, read and written as the kernel's modpost (6.1 and 6.12) does: one export
// per line, "0x%08x\t<symbol>\t<module>\t<EXPORT_SYMBOL|EXPORT_SYMBOL_GPL>\t<namespace>\n".
// Both versions accept and print the same format; they differ only in how modpost's
// fatal() prefixes its message ("FATAL: " in 6.1, "ERROR: " in 6.12), which is the
// caller's business.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace modforge {

// One line of the file; the views point into the parsed text, which must outlive them.
struct SymversEntry {
  uint32_t crc = 0;
  std::string_view symbol, module, export_type, ns;
  bool gpl_only = false;
  std::size_t line = 0;  // 1-based line number in the file
};

// A non-fatal complaint of modpost's read_dump: the line is skipped, modpost goes on but
// exits 1 at the end.  `message` is the text after modpost's "ERROR: modpost: " prefix,
// without a newline because the real format string has none.
struct SymversDiagnostic {
  std::size_t line = 0;  // 1-based
  std::string message;
};

struct SymversFile {
  std::vector<SymversEntry> entries;  // in file order, skipped lines left out
  std::vector<SymversDiagnostic> diagnostics;
};

// The text modpost's fatal() prints for a malformed line (after its prefix, before "\n").
inline constexpr std::string_view kSymversParseError = "parse error in symbol dump file";

// A malformed line: modpost stops at once.  what() is "<path>:<line>: parse error in
// symbol dump file"; the diagnostics of earlier lines (already printed by the real tool
// by then) come along so a caller can print them first.
class SymversParseError : public Error {
public:
  SymversParseError(std::string_view path, std::size_t line, std::vector<SymversDiagnostic> before);
  std::size_t line() const { return line_; }
  const std::vector<SymversDiagnostic>& diagnostics() const { return before_; }

private:
  std::size_t line_;
  std::vector<SymversDiagnostic> before_;
};

// Parses `text` (the whole file) as read_dump does.  Throws SymversParseError.
SymversFile parse_symvers(std::string_view text, std::string_view path);

// The same parse, line by line, for a reader that keeps no table of its own: entries and
// diagnostics reach the visitor in file order; a malformed line throws SymversParseError
// after everything before it has been delivered.
class SymversVisitor {
public:
  virtual ~SymversVisitor() = default;
  virtual void entry(const SymversEntry& e) = 0;
  virtual void diagnostic(const SymversDiagnostic& d) = 0;
};
void scan_symvers(std::string_view text, std::string_view path, SymversVisitor& v);

// The file write_dump would write for these entries, in the given order.
std::string format_symvers(std::span<const SymversEntry> entries);

}  // namespace modforge
