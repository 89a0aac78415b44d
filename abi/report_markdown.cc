#include "abi/report.h"

namespace modforge::abi {

namespace {

// A table cell: no pipe or newline may break the row.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

}  // namespace

void write_markdown(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o) {
  out << "### modforge check load\n\n| kernel | modules | load | load with taints | init not evaluated | refused |\n"
         "|---|---:|---:|---:|---:|---:|\n";
  for (const TargetResult& t : targets)
    out << "| `" << cell(t.release) << "`" << (t.enforce ? " (enforced)" : "") << " | " << t.results.size() << " | "
        << t.count(Verdict::loads) << " | " << t.count(Verdict::loads_with_taints) << " | "
        << t.count(Verdict::init_not_evaluated) << " | " << t.count(Verdict::refused) << " |\n";
  for (const TargetResult& t : targets) {
    std::vector<const ModuleResult*> shown;
    for (const ModuleResult& r : t.results)
      if (fails(r, o) || r.verdict == Verdict::loads_with_taints) shown.push_back(&r);
    if (shown.empty()) continue;
    out << "\n#### `" << cell(t.release) << "`\n\n| module | verdict | first reason | kernel says |\n|---|---|---|---|\n";
    for (const ModuleResult* r : shown) {
      const Reason* f = first_reason(*r);
      out << "| `" << cell(r->name) << "` | " << verdict_name(r->verdict) << (r->taints.empty() ? "" : " (" + r->taints + ")")
          << " | " << cell(f ? f->message : "") << " | " << (f && !f->kernel_line.empty() ? "`" + cell(f->kernel_line) + "`" : "")
          << " |\n";
    }
    for (const ModuleResult* r : shown) {
      if (r->reasons.size() < 2) continue;
      out << "\n<details><summary><code>" << r->name << "</code>: every reason (" << r->reasons.size()
          << ")</summary>\n\n";
      for (const Reason& x : r->reasons)
        out << "- " << (x.first ? "**first** " : x.blocking ? "" : "_(taint/note)_ ") << cell(x.message)
            << (x.kernel_line.empty() ? "" : " — `" + cell(x.kernel_line) + "`") << "\n";
      out << "\n</details>\n";
    }
  }
}

}  // namespace modforge::abi
