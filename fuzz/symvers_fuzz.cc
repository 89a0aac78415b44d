// libFuzzer target for Module.symvers (core/symvers.h): parse arbitrary text as modpost's
// read_dump does, then check the writer against the reader.  A refused input
// (SymversParseError) is fine; a crash, a sanitizer report or a broken round trip is a
// finding.  Round trip: what format_symvers writes for the accepted entries must parse
// back to the same entries, with no diagnostics, and write the same text again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/symvers.h"

namespace {

bool same(const modforge::SymversEntry& a, const modforge::SymversEntry& b) {
  return a.crc == b.crc && a.symbol == b.symbol && a.module == b.module && a.ns == b.ns && a.gpl_only == b.gpl_only &&
         a.export_type == b.export_type;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  modforge::SymversFile first;
  try {
    first = modforge::parse_symvers(text, "fuzz.symvers");
  } catch (const modforge::SymversParseError& e) {
    if (e.line() == 0) std::abort();
    return 0;
  }
  for (const auto& d : first.diagnostics)
    if (d.line == 0 || d.message.empty()) std::abort();

  const std::string written = modforge::format_symvers(first.entries);
  modforge::SymversFile again;
  try {
    again = modforge::parse_symvers(written, "written.symvers");
  } catch (const modforge::SymversParseError&) {
    std::abort();  // we wrote a file that we (and modpost) cannot read
  }
  if (!again.diagnostics.empty() || again.entries.size() != first.entries.size()) std::abort();
  for (std::size_t i = 0; i < first.entries.size(); ++i)
    if (!same(first.entries[i], again.entries[i])) std::abort();
  if (modforge::format_symvers(again.entries) != written) std::abort();
  return 0;
}
