#include "abi/check_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/program_options.hpp>

#include "abi/abi_command.h"
#include "abi/check_target.h"
#include "abi/load_check.h"
#include "abi/report.h"
#include "core/atomic_file.h"
#include "core/cli.h"
#include "core/error.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace modforge::abi {

namespace {

constexpr const char* kUsage =
    "Usage: modforge check load MODULE... --kernel TARGET... [options]\n"
    "Will these modules load into those kernels?  Each module is checked by the emulated kernel\n"
    "(the real kernel's checks, errno and log lines), after the modules it needs (modprobe's order,\n"
    "among the modules given and the target's own), with every reason it would be refused or taint\n"
    "the kernel, not only the first.\n"
    "\n"
    "MODULE: a .ko (.ko.xz, .ko.zst, .ko.gz) or a directory of them (a `modforge build` output).\n"
    "TARGET: a headers tree (/usr/src/linux-headers-<release>), an unpacked lib/modules/<release>\n"
    "        with its modules, or a Debian kernel image package (.deb, unpacked on the fly).\n"
    "\n"
    "Exit status: 0 everything loads, 1 something is refused (--fail-on taint: or taints),\n"
    "2 a usage or input error.\n";

struct Args {
  std::vector<std::string> modules, kernels, keys, modules_dirs;
  std::string format = "text", output, fail_on = "refused";
  bool enforce = false, verbose = false;
  unsigned jobs = 0;
};

// A target, with the user's lib/modules/<release> for it when one matches its release.
CheckTarget open_target(const std::string& k, const Args& a, const CheckOptions& co) {
  try {
    CheckTarget ct = open_check_target(k, co, "");
    for (const std::string& d : a.modules_dirs)
      if (fs::path(d).lexically_normal().filename() == ct.target.release) return open_check_target(k, co, d);
    return ct;
  } catch (const Error&) {
    for (const std::string& d : a.modules_dirs) {
      try {
        CheckTarget ct = open_check_target(k, co, d);
        if (fs::path(d).lexically_normal().filename() == ct.target.release) return ct;
      } catch (const Error&) {
      }
    }
    throw;
  }
}

int run_load(const std::vector<std::string>& args, std::ostream& out) {
  Args a;
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help")
      ("kernel,k", po::value(&a.kernels)->composing(), "a kernel to check against (repeatable)")
      ("key", po::value(&a.keys)->composing(),
       "a certificate (PEM or DER) the kernel trusts besides those built into it: a MOK-enrolled key (repeatable)")
      ("enforce", po::bool_switch(&a.enforce),
       "signatures enforced, as module.sig_enforce=1 or Secure Boot's lockdown: unsigned modules are refused")
      ("format,f", po::value(&a.format), "text (default), json, junit or markdown")
      ("output,o", po::value(&a.output), "write the report there (atomically) instead of standard output")
      ("fail-on", po::value(&a.fail_on), "refused (default) or taint: which verdicts make the exit status 1")
      ("modules", po::value(&a.modules_dirs)->composing(),
       "a target's shipped modules, lib/modules/<release> (repeatable; matched by the release; default: the "
       "target's own, else /lib/modules/<release>)")
      ("jobs,j", po::value(&a.jobs), "worker threads (default: one per core)")
      ("verbose,v", po::bool_switch(&a.verbose), "text: list every module, not only the refused and tainted");
  if (!cli::parse_options(args, d, kUsage, a.modules, out)) return 0;
  if (a.modules.empty()) throw po::error("no module given");
  if (a.kernels.empty()) throw po::error("no --kernel given");
  if (a.format != "text" && a.format != "json" && a.format != "junit" && a.format != "markdown")
    throw po::error("--format must be text, json, junit or markdown, not '" + a.format + "'");
  if (a.fail_on != "refused" && a.fail_on != "taint")
    throw po::error("--fail-on must be refused or taint, not '" + a.fail_on + "'");

  const std::vector<ModuleInput> modules = expand_modules(a.modules);
  CheckOptions co{a.keys, a.enforce};
  std::vector<TargetResult> results;
  for (const std::string& k : a.kernels) {
    CheckTarget ct = open_target(k, a, co);
    results.push_back(check_load(ct, modules, a.jobs));
  }
  ReportOptions ro{a.fail_on == "taint", a.verbose};
  std::ostringstream report;
  const bool direct = a.output.empty() || a.output == "-";
  std::ostream& to = direct ? out : report;
  if (a.format == "json") write_json(to, results, ro);
  else if (a.format == "junit") write_junit(to, results, ro);
  else if (a.format == "markdown") write_markdown(to, results, ro);
  else write_text(to, results, ro);
  if (!direct) write_file_atomic(a.output, report.str());
  for (const TargetResult& t : results)
    for (const ModuleResult& r : t.results)
      if (fails(r, ro)) return 1;
  return 0;
}

}  // namespace

int check_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << "Usage: modforge check load MODULE... --kernel TARGET... [options]\n"
                                  "       modforge check abi OLD NEW [options]\n"
                                  "Run 'modforge check load --help' or 'modforge check abi --help' for the options.\n";
    return args.empty() ? 2 : 0;
  }
  try {
    if (args[0] == "abi") return run_abi(std::vector<std::string>(args.begin() + 1, args.end()), out);
    if (args[0] != "load") throw po::error("unknown check '" + args[0] + "' (there are: load, abi)");
    return run_load(std::vector<std::string>(args.begin() + 1, args.end()), out);
  } catch (const po::error& e) {
    err << "modforge check: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    err << "modforge check: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace modforge::abi
