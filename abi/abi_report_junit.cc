#include <map>

#include "abi/abi_report.h"
#include "abi/report_escape.h"

namespace modforge::abi {

namespace {

std::string line(const SymbolChange& c) {
  std::string s = c.kind + ": " + change_text(c);
  if (!c.root_cause.empty()) s += " (cause: " + c.root_cause + ")";
  if (!c.waived_by.empty()) s += " (waived by " + c.waived_by + ")";
  return s + "\n";
}

}  // namespace

void write_abi_junit(std::ostream& out, const AbiReport& r) {
  const AbiDiff& d = *r.diff;
  // One testcase per changed symbol, its changes in the diff's order.
  std::map<std::string_view, std::vector<const SymbolChange*>> by_symbol;
  for (const SymbolChange& c : d.changes) by_symbol[c.symbol].push_back(&c);
  std::size_t failures = 0;
  for (const auto& [sym, cs] : by_symbol)
    for (const SymbolChange* c : cs)
      if (unwaived_break(*c)) {
        failures++;
        break;
      }
  const std::string name = "modforge check abi";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << name << "\" tests=\"" << by_symbol.size()
      << "\" failures=\"" << failures << "\">\n  <testsuite name=\"" << xml_escape(r.old_side.given + " -> " + r.new_side.given)
      << "\" tests=\"" << by_symbol.size() << "\" failures=\"" << failures << "\">\n    <properties><property name=\"old\" value=\""
      << xml_escape(r.old_side.symvers) << "\"/><property name=\"new\" value=\"" << xml_escape(r.new_side.symvers) << "\"/>";
  for (const std::string& w : d.stale_waivers) out << "<property name=\"stale-waiver\" value=\"" << xml_escape(w) << "\"/>";
  out << "</properties>\n";
  for (const auto& [sym, cs] : by_symbol) {
    const SymbolChange& first = *cs.front();
    const std::string module = first.new_module.empty() ? first.old_module : first.new_module;
    out << "    <testcase classname=\"" << xml_escape(module) << "\" name=\"" << xml_escape(sym) << "\">\n";
    std::string body;
    const SymbolChange* failing = nullptr;
    for (const SymbolChange* c : cs) {
      body += line(*c);
      if (!failing && unwaived_break(*c)) failing = c;
    }
    if (failing)
      out << "      <failure type=\"" << xml_escape(failing->kind) << "\" message=\"" << xml_escape(failing->kind + ": " + change_text(*failing))
          << "\">" << xml_escape(body) << "</failure>\n";
    else
      out << "      <system-out>" << xml_escape(body) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace modforge::abi
