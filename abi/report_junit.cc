#include "abi/report.h"
#include "abi/report_escape.h"

namespace modforge::abi {

namespace {

std::string details(const ModuleResult& r) {
  std::string s;
  for (const Reason& x : r.reasons) {
    s += (x.first ? "* " : x.blocking ? "- " : "~ ") + x.message + "\n";
    if (!x.kernel_line.empty()) s += "    kernel: " + x.kernel_line + "\n";
  }
  return s;
}

}  // namespace

void write_junit(std::ostream& out, const std::vector<TargetResult>& targets, const ReportOptions& o) {
  int tests = 0, failures = 0;
  for (const TargetResult& t : targets)
    for (const ModuleResult& r : t.results) tests++, failures += fails(r, o);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"modforge check load\" tests=\"" << tests
      << "\" failures=\"" << failures << "\">\n";
  for (const TargetResult& t : targets) {
    int f = 0;
    for (const ModuleResult& r : t.results) f += fails(r, o);
    out << "  <testsuite name=\"" << xml_escape(t.release) << "\" tests=\"" << t.results.size() << "\" failures=\"" << f
        << "\">\n    <properties><property name=\"target\" value=\"" << xml_escape(t.given) << "\"/><property name=\"vermagic\" value=\""
        << xml_escape(t.vermagic) << "\"/></properties>\n";
    for (const ModuleResult& r : t.results) {
      out << "    <testcase classname=\"" << xml_escape(t.release) << "\" name=\"" << xml_escape(r.name) << "\" file=\"" << xml_escape(r.path) << "\"";
      const std::string body = details(r);
      if (!fails(r, o) && body.empty()) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      if (fails(r, o)) {
        const Reason* first = first_reason(r);
        out << "      <failure type=\"" << (r.err ? errno_name(r.err) : "taint") << "\" message=\""
            << xml_escape(first ? first->message : std::string(verdict_name(r.verdict))) << "\">" << xml_escape(body) << "</failure>\n";
      } else {
        out << "      <system-out>" << xml_escape(std::string(verdict_name(r.verdict)) + "\n" + body) << "</system-out>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace modforge::abi
