#include <algorithm>

#include "abi/abi_report.h"

namespace modforge::abi {

namespace {

// A pull request comment holds 65,536 characters: the longest lists are cut, the JSON
// report has everything.
constexpr std::size_t kRows = 100, kCauses = 25, kChains = 2;

std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

void table(std::ostream& out, const std::vector<const SymbolChange*>& rows, bool with_waiver) {
  out << "| symbol | change | module |" << (with_waiver ? " waived by |" : "") << "\n|---|---|---|"
      << (with_waiver ? "---|" : "") << "\n";
  for (std::size_t i = 0; i < std::min(rows.size(), kRows); ++i) {
    const SymbolChange& c = *rows[i];
    out << "| `" << cell(c.symbol) << "` | " << c.kind << ": " << cell(change_text(c)) << " | `"
        << cell(c.new_module.empty() ? c.old_module : c.new_module) << "` |";
    if (with_waiver) out << ' ' << cell(c.waived_by) << " |";
    out << "\n";
  }
  if (rows.size() > kRows) out << "\n… and " << rows.size() - kRows << " more (`--format json` lists them all)\n";
}

}  // namespace

void write_abi_markdown(std::ostream& out, const AbiReport& r) {
  const AbiDiff& d = *r.diff;
  const AbiSummary s = summarize(d);
  out << "### modforge check abi\n\n" << (s.breaks ? "**The ABI breaks**" : "**No break**") << ": `" << cell(r.old_side.given)
      << "` → `" << cell(r.new_side.given) << "`\n\n"
      << "| crc | added | removed | export type | namespace | moved | breaks | waived | stale waivers |\n"
         "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      << "| " << s.crc << " | " << s.added << " | " << s.removed << " | " << s.export_type << " | " << s.ns << " | " << s.moved
      << " | " << s.breaks << " | " << s.waived << " | " << d.stale_waivers.size() << " |\n";

  if (d.have_symtypes && !d.causes.empty()) {
    out << "\n#### Root causes (" << d.causes.size() << ")\n\n| type | class | exports | what changed |\n|---|---|---:|---|\n";
    for (std::size_t i = 0; i < std::min(d.causes.size(), kCauses); ++i) {
      const RootCause& c = d.causes[i];
      std::string what;
      for (const TypeDetail& t : c.details) what += (what.empty() ? "" : "; ") + detail_text(t);
      out << "| `" << cell(c.type.empty() ? "(no type change)" : c.type) << "` | " << c.cls << " | " << c.exports.size() << " | "
          << cell(what) << " |\n";
    }
    if (d.causes.size() > kCauses) out << "\n… and " << d.causes.size() - kCauses << " more\n";
    for (std::size_t i = 0; i < std::min(d.causes.size(), kCauses); ++i) {
      const RootCause& c = d.causes[i];
      if (c.chains.empty()) continue;
      out << "\n<details><summary><code>" << cell(c.type) << "</code>: how the exports reach it</summary>\n\n";
      for (std::size_t k = 0; k < std::min({c.chains.size(), c.exports.size(), kChains}); ++k)
        out << "- `" << cell(chain_text(c.exports[k], c.chains[k])) << "`\n";
      out << "\n</details>\n";
    }
    if (!d.unexplained.empty()) out << "\n" << d.unexplained.size() << " crc changes the symtypes do not explain.\n";
  }

  std::vector<const SymbolChange*> breaks, waived, others;
  for (const SymbolChange& c : d.changes) (unwaived_break(c) ? breaks : c.breaks ? waived : others).push_back(&c);
  if (!breaks.empty()) {
    out << "\n#### Breaks (" << breaks.size() << ")\n\n";
    table(out, breaks, false);
  }
  if (!waived.empty()) {
    out << "\n<details><summary>Waived breaks (" << waived.size() << ")</summary>\n\n";
    table(out, waived, true);
    out << "\n</details>\n";
  }
  if (!others.empty()) {
    out << "\n<details><summary>Other changes (" << others.size() << ")</summary>\n\n";
    table(out, others, false);
    out << "\n</details>\n";
  }
  if (!d.stale_waivers.empty()) {
    out << "\n#### Stale waivers (" << d.stale_waivers.size() << ")\n\n";
    for (const std::string& w : d.stale_waivers) out << "- " << cell(w) << "\n";
  }
}

}  // namespace modforge::abi
