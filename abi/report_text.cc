#include "abi/report.h"

namespace modforge::abi {

void write_text(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o) {
  for (const TargetResult& t : targets)
    out << t.release << " (" << t.given << (t.enforce ? ", signatures enforced" : "") << "): " << summary_counts(t) << "\n";
  for (const TargetResult& t : targets) {
    bool header = false;
    for (const ModuleResult& r : t.results) {
      const bool show = o.verbose || r.verdict == Verdict::refused || r.verdict == Verdict::loads_with_taints;
      if (!show) continue;
      if (!header) out << "\n" << t.release << ":\n";
      header = true;
      out << "  " << verdict_name(r.verdict) << "  " << r.path;
      if (!r.taints.empty()) out << " (" << r.taints << ")";
      if (r.err) out << "  [" << errno_name(r.err) << "]";
      out << "\n";
      if (!r.after.empty()) {
        out << "    loads after";
        for (std::size_t i = 0; i < r.after.size(); ++i) out << (i ? ", " : " ") << r.after[i];
        out << "\n";
      }
      for (const Reason& x : r.reasons) {
        if (r.verdict != Verdict::refused && x.blocking) continue;
        out << "    " << (x.first ? "* " : x.blocking ? "- " : "~ ") << x.message << "\n";
        if (!x.kernel_line.empty()) out << "        kernel: " << x.kernel_line << "\n";
      }
      if (!r.unmodelled.empty()) out << "    note: " << r.unmodelled << "\n";
    }
  }
  if (!targets.empty()) out << "\n(* the kernel's first refusal, - also refuses, ~ taint or note)\n";
}

}  // namespace modforge::abi
