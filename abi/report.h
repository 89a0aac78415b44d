// The reports of `modforge check load`: text for people, JSON (schema
// "modforge-check-load/1", abi/README.md), JUnit XML for CI, Markdown for a pull request.
#pragma once
#include <ostream>
#include <vector>

#include "abi/check_result.h"

namespace modforge::abi {

struct ReportOptions {
  bool fail_on_taint = false;  // --fail-on taint: a taint counts as a failure (JUnit)
  bool verbose = false;        // text: every module, not only the refused and tainted
};

void write_text(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o);
void write_json(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o);
void write_junit(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o);
void write_markdown(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o);

// Shared by the reports: the errno's name ("ENOEXEC"), the summary line's counts, the
// kernel log line as dmesg prints it ("<level>" dropped), whether a result fails.
std::string errno_name(int err);
std::string summary_counts(const TargetResult& t);
bool fails(const ModuleResult& r, const ReportOptions& o);
const Reason* first_reason(const ModuleResult& r);

}  // namespace modforge::abi
