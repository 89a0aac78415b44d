#include "abi/report.h"
#include "abi/report_escape.h"
#include "core/json.h"

namespace modforge::abi {

namespace {

void reason(std::ostream& out, const Reason& r) {
  out << "{\"kind\": " << js(r.kind);
  if (!r.symbol.empty()) out << ", \"symbol\": " << js(r.symbol);
  if (!r.field.empty()) out << ", \"field\": " << js(r.field);
  if (!r.have.empty()) out << ", \"have\": " << js(r.have);
  if (!r.want.empty()) out << ", \"want\": " << js(r.want);
  out << ", \"message\": " << js(r.message);
  if (!r.kernel_line.empty()) out << ", \"kernel_line\": " << js(r.kernel_line);
  out << ", \"first\": " << (r.first ? "true" : "false") << ", \"blocking\": " << (r.blocking ? "true" : "false") << "}";
}

}  // namespace

void write_json(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions&) {
  out << "{\"schema\": \"modforge-check-load/1\",\n \"targets\": [";
  for (std::size_t ti = 0; ti < targets.size(); ++ti) {
    const TargetResult& t = targets[ti];
    out << (ti ? ",\n" : "\n") << "  {\"target\": " << js(t.given) << ", \"release\": " << js(t.release)
        << ", \"kernel\": " << js(t.kernel) << ", \"vermagic\": " << js(t.vermagic)
        << ", \"enforce\": " << (t.enforce ? "true" : "false") << ",\n   \"summary\": {\"modules\": " << t.results.size()
        << ", \"loads\": " << t.count(Verdict::loads) << ", \"loads_with_taints\": " << t.count(Verdict::loads_with_taints)
        << ", \"refused\": " << t.count(Verdict::refused) << ", \"init_not_evaluated\": " << t.count(Verdict::init_not_evaluated)
        << "},\n   \"results\": [";
    for (std::size_t i = 0; i < t.results.size(); ++i) {
      const ModuleResult& r = t.results[i];
      out << (i ? ",\n" : "\n") << "    {\"module\": " << js(r.path) << ", \"name\": " << js(r.name)
          << ", \"verdict\": " << js(verdict_name(r.verdict)) << ", \"after\": " << str_list(r.after)
          << ", \"after_files\": " << str_list(r.after_files) << ", \"errno\": ";
      if (r.err) out << js(errno_name(r.err)); else out << "null";
      out << ", \"errno_value\": " << r.err << ", \"taints\": " << js(r.taints) << ", \"log\": [";
      for (std::size_t l = 0; l < r.log.size(); ++l) out << (l ? ", " : "") << js(r.log[l].msg);
      out << "], \"log_levels\": [";
      for (std::size_t l = 0; l < r.log.size(); ++l) out << (l ? ", " : "") << r.log[l].level;
      out << "]";
      if (!r.unmodelled.empty()) out << ", \"unmodelled\": " << js(r.unmodelled);
      out << ",\n     \"reasons\": [";
      for (std::size_t k = 0; k < r.reasons.size(); ++k) {
        out << (k ? ",\n       " : "");
        reason(out, r.reasons[k]);
      }
      out << "]}";
    }
    out << "]}";
  }
  out << "]}\n";
}

}  // namespace modforge::abi
