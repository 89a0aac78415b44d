#include "abi/abi_report.h"
#include "abi/report_escape.h"
#include "core/json.h"

namespace modforge::abi {

namespace {

std::string opt(const std::string& s) { return s.empty() ? "null" : js(s); }

void side(std::ostream& out, const AbiSide& s) {
  out << "{\"given\": " << js(s.given) << ", \"symvers\": " << js(s.symvers) << ", \"exports\": " << s.exports << "}";
}

}  // namespace

void write_abi_json(std::ostream& out, const AbiReport& r) {
  const AbiDiff& d = *r.diff;
  const AbiSummary s = summarize(d);
  out << "{\"schema\": \"modforge-check-abi/1\",\n \"old\": ";
  side(out, r.old_side);
  out << ",\n \"new\": ";
  side(out, r.new_side);
  out << ",\n \"summary\": {\"changes\": " << s.changes << ", \"symbols\": " << s.symbols << ", \"removed\": " << s.removed
      << ", \"added\": " << s.added << ", \"crc\": " << s.crc << ", \"export_type\": " << s.export_type
      << ", \"namespace\": " << s.ns << ", \"module\": " << s.moved << ", \"breaks\": " << s.breaks
      << ", \"waived\": " << s.waived << ", \"stale_waivers\": " << d.stale_waivers.size()
      << ", \"have_symtypes\": " << (d.have_symtypes ? "true" : "false") << ", \"root_causes\": " << d.causes.size()
      << ", \"unexplained\": " << d.unexplained.size() << "},\n \"verdict\": " << (s.breaks ? "\"breaks\"" : "\"compatible\"")
      << ",\n \"root_causes\": [";
  for (std::size_t i = 0; i < d.causes.size(); ++i) {
    const RootCause& c = d.causes[i];
    out << (i ? ",\n" : "\n") << "  {\"key\": " << js(c.key) << ", \"type\": " << js(c.type) << ", \"class\": " << js(c.cls)
        << ", \"count\": " << c.exports.size() << ",\n   \"details\": [";
    for (std::size_t k = 0; k < c.details.size(); ++k) {
      const TypeDetail& t = c.details[k];
      out << (k ? ", " : "") << "{\"what\": " << js(t.what) << ", \"name\": " << js(t.name) << ", \"old\": " << js(t.old_text)
          << ", \"new\": " << js(t.new_text) << ", \"old_index\": " << t.old_index << ", \"new_index\": " << t.new_index << "}";
    }
    out << "],\n   \"exports\": " << str_list(c.exports) << ",\n   \"chains\": [";
    for (std::size_t k = 0; k < c.chains.size(); ++k) out << (k ? ", " : "") << str_list(c.chains[k]);
    out << "]}";
  }
  out << "],\n \"unexplained\": " << str_list(d.unexplained) << ",\n \"changes\": [";
  for (std::size_t i = 0; i < d.changes.size(); ++i) {
    const SymbolChange& c = d.changes[i];
    out << (i ? ",\n" : "\n") << "  {\"symbol\": " << js(c.symbol) << ", \"kind\": " << js(c.kind) << ", \"old\": " << opt(c.old_value)
        << ", \"new\": " << opt(c.new_value) << ", \"old_module\": " << opt(c.old_module) << ", \"new_module\": " << opt(c.new_module)
        << ", \"breaks\": " << (c.breaks ? "true" : "false") << ", \"waived_by\": " << opt(c.waived_by)
        << ", \"root_cause\": " << opt(c.root_cause) << "}";
  }
  out << "],\n \"stale_waivers\": " << str_list(d.stale_waivers) << "}\n";
}

}  // namespace modforge::abi
