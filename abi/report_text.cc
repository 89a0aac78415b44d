#include "abi/report.h"

namespace modforge::abi {

namespace {
constexpr std::size_t kMaxReasons = 12;
}  // namespace

void write_text(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o) {
  for (const TargetResult& t : targets)
    out << t.release << " (" << t.given << (t.enforce ? ", signatures enforced" : "") << "): " << summary_counts(t) << "\n";
  for (const TargetResult& t : targets) {
    bool header = false;
    for (const ModuleResult& r : t.results) {
      const bool show = o.verbose || r.verdict == Verdict::refused || !r.taints.empty();
      if (!show) continue;
      if (!header) out << "\n" << t.release << ":\n";
      header = true;
      out << "  " << verdict_name(r.verdict) << "  " << r.path;
      if (!r.taints.empty()) out << " (" << r.taints << ")";
      if (r.err) out << "  [" << errno_name(r.err) << "]";
      out << "\n";
      if (!r.after.empty()) {
        out << "    loaded first:";
        for (std::size_t i = 0; i < r.after.size(); ++i) out << (i ? ", " : " ") << r.after[i];
        out << "\n";
      }
      std::size_t shown = 0;
      for (const Reason& x : r.reasons) {
        if (r.verdict != Verdict::refused && x.blocking) continue;
        // A module built for another kernel disagrees about every symbol: the first ones
        // tell the story; -v or another format has them all.
        if (++shown > kMaxReasons && !o.verbose) {
          out << "    ... and " << r.reasons.size() - kMaxReasons << " more (-v, or --format json)\n";
          break;
        }
        out << "    " << (x.first ? "* " : x.blocking ? "- " : "~ ") << x.message << "\n";
        if (!x.kernel_line.empty()) out << "        kernel: " << x.kernel_line << "\n";
      }
      if (!r.unmodelled.empty()) out << "    note: " << r.unmodelled << "\n";
    }
  }
  if (!targets.empty()) out << "\n(* the kernel's first refusal, - also refuses, ~ taint or note)\n";
}

}  // namespace modforge::abi
