// libFuzzer target for the symtypes readers (abi/symtypes_model.h): the first byte picks
// plain, consolidated or ksymtypes' first (F#) consolidated form, the rest is split at the first NUL (or in half) into an old and a
// new side.  Both are read, every export's CRC recomputed, every export taken as a CRC change
// and explained (which parses the records into members, enumerators and parameters), and
// the consolidated form written and read back.  A refused input (Error) is fine; a crash or
// a sanitizer report is a finding, and so is consolidated output that does not read back
// when the input was itself consolidated text the writer produced.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "abi/symtypes.h"
#include "abi/symtypes_model.h"
#include "abi/type_crc.h"
#include "core/error.h"

using namespace modforge;

namespace {

bool read(abi::SymtypesCorpus& c, std::string_view text, int form) {
  try {
    if (form == 1) c.add_consolidated(text, "fuzz");
    else if (form == 2) c.add_consolidated_f(text, "fuzz");
    else c.add_file("fuzz.symtypes", text);
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const int form = data[0] % 3;  // plain, consolidated sections, consolidated F# records
  const bool consolidated = form == 1;
  std::string_view all(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t cut = all.find('\0');
  if (cut == std::string_view::npos) cut = all.size() / 2;
  const std::string_view a = all.substr(0, cut), b = all.substr(std::min(all.size(), cut + 1));
  abi::SymtypesCorpus o, n;
  if (!read(o, a, form) || !read(n, b, form)) return 0;
  abi::AbiDiff diff;
  for (const auto& e : o.exports()) {
    const std::string name(o.key_name(e.key));
    (void)abi::recompute_crc(o, name);
    (void)abi::expand_export(o, name);
    abi::SymbolChange ch;
    ch.symbol = name;
    ch.kind = "crc";
    diff.changes.push_back(ch);
  }
  abi::explain_crc_changes(o, n, diff);
  for (const abi::RootCause& c : diff.causes)
    if (c.exports.size() != c.chains.size()) std::abort();
  const std::string text = abi::consolidated_text(o);
  abi::SymtypesCorpus back;
  // The writer's output reads back, and is a fixed point, when the input was consolidated
  // text (plain input may hold lines that look like section headers or "s##" declarations).
  if (read(back, text, 1)) {
    if (consolidated && abi::consolidated_text(back) != text) std::abort();
  } else if (consolidated && !text.empty()) {
    std::abort();
  }
  return 0;
}
