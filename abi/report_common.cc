#include <cstring>
#include <string>

#include "abi/report.h"

namespace modforge::abi {

std::string errno_name(int err) {
  if (err == 0) return "";
  const char* n = strerrorname_np(err);
  return n ? n : "E" + std::to_string(err);
}

std::string summary_counts(const TargetResult& t) {
  auto n = [&](Verdict v) { return std::to_string(t.count(v)); };
  return std::to_string(t.results.size()) + " modules: " + n(Verdict::loads) + " load, " + n(Verdict::loads_with_taints) +
         " load with taints, " + n(Verdict::init_not_evaluated) + " pass every load check (init not evaluated), " +
         n(Verdict::refused) + " refused";
}

bool fails(const ModuleResult& r, const ReportOptions& o) {
  return r.verdict == Verdict::refused || (o.fail_on_taint && !r.taints.empty());
}

const Reason* first_reason(const ModuleResult& r) {
  for (const Reason& x : r.reasons)
    if (x.first) return &x;
  for (const Reason& x : r.reasons)
    if (!x.blocking && x.kind == "taint") return &x;
  return r.reasons.empty() ? nullptr : &r.reasons.front();
}

}  // namespace modforge::abi
