#include <unordered_set>

#include "abi/abi_report.h"

namespace modforge::abi {

AbiSummary summarize(const AbiDiff& d) {
  AbiSummary s;
  std::unordered_set<std::string_view> symbols;
  for (const SymbolChange& c : d.changes) {
    s.changes++;
    symbols.insert(c.symbol);
    if (c.kind == "removed") s.removed++;
    else if (c.kind == "added") s.added++;
    else if (c.kind == "crc") s.crc++;
    else if (c.kind == "export-type") s.export_type++;
    else if (c.kind == "namespace") s.ns++;
    else if (c.kind == "module") s.moved++;
    if (c.breaks) (c.waived_by.empty() ? s.breaks : s.waived)++;
  }
  s.symbols = symbols.size();
  return s;
}

std::string change_text(const SymbolChange& c) {
  auto v = [](const std::string& s) { return s.empty() ? std::string("(none)") : s; };
  if (c.kind == "removed") return "was " + c.old_value + " in " + c.old_module;
  if (c.kind == "added") return c.new_value + " in " + c.new_module;
  return v(c.old_value) + " -> " + v(c.new_value);
}

std::string detail_text(const TypeDetail& t) {
  std::string s = t.what;
  if (!t.name.empty()) s += " " + t.name;
  if (!t.old_text.empty() && !t.new_text.empty()) s += ": " + t.old_text + " -> " + t.new_text;
  else if (!t.old_text.empty()) s += ": " + t.old_text;
  else if (!t.new_text.empty()) s += ": " + t.new_text;
  return s;
}

std::string chain_text(const std::string& symbol, const Chain& chain) {
  std::string s = symbol;
  for (const std::string& step : chain) s += " -> " + step;
  return s;
}

}  // namespace modforge::abi
