#include <algorithm>

#include "abi/abi_report.h"

namespace modforge::abi {

namespace {
constexpr std::size_t kChainsShown = 2;  // a chain or two tell the path; JSON has them all
}  // namespace

void write_abi_text(std::ostream& out, const AbiReport& r) {
  const AbiDiff& d = *r.diff;
  const AbiSummary s = summarize(d);
  out << "old: " << r.old_side.given << " (" << r.old_side.exports << " exports)\n"
      << "new: " << r.new_side.given << " (" << r.new_side.exports << " exports)\n"
      << s.changes << " changes in " << s.symbols << " symbols: " << s.crc << " crc, " << s.added << " added, " << s.removed
      << " removed, " << s.export_type << " export type, " << s.ns << " namespace, " << s.moved << " moved\n"
      << s.breaks << " breaks outside the waivers, " << s.waived << " waived, " << d.stale_waivers.size() << " stale waivers\n"
      << (s.breaks ? "verdict: the ABI breaks\n" : "verdict: no break\n");

  if (d.have_symtypes) {
    out << "\nroot causes (" << d.causes.size() << "), " << d.unexplained.size() << " crc changes unexplained:\n";
    for (const RootCause& c : d.causes) {
      out << "  " << (c.type.empty() ? "(no type change)" : c.type) << "  [" << c.cls << "]  " << c.exports.size()
          << " exports\n";
      for (const TypeDetail& t : c.details) out << "    " << detail_text(t) << "\n";
      for (std::size_t i = 0; i < std::min(c.chains.size(), kChainsShown) && i < c.exports.size(); ++i)
        out << "    e.g. " << chain_text(c.exports[i], c.chains[i]) << "\n";
      if (c.chains.empty())
        for (std::size_t i = 0; i < std::min(c.exports.size(), kChainsShown); ++i) out << "    e.g. " << c.exports[i] << "\n";
    }
    for (const std::string& u : d.unexplained) out << "  unexplained: " << u << "\n";
  }

  if (!d.changes.empty()) out << "\nchanges:\n";
  for (const SymbolChange& c : d.changes) {
    out << "  " << (unwaived_break(c) ? "BREAK " : c.breaks ? "waived" : "      ") << "  " << c.kind << "  " << c.symbol << "  "
        << change_text(c);
    if (c.kind != "removed" && c.kind != "added" && c.kind != "module") out << "  (" << c.new_module << ")";
    if (!c.root_cause.empty()) out << "  cause: " << c.root_cause;
    if (!c.waived_by.empty()) out << "\n          waived by " << c.waived_by;
    out << "\n";
  }
  if (!d.stale_waivers.empty()) {
    out << "\nstale waivers (matched nothing):\n";
    for (const std::string& w : d.stale_waivers) out << "  " << w << "\n";
  }
}

}  // namespace modforge::abi
