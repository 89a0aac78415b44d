#include "abi/abi_command.h"

#include <sstream>

#include <boost/program_options.hpp>

#include "abi/abi_report.h"
#include "abi/symtypes.h"
#include "abi/symvers_diff.h"
#include "abi/waivers.h"
#include "core/atomic_file.h"
#include "core/cli.h"

namespace po = boost::program_options;

namespace modforge::abi {

namespace {

constexpr const char* kUsage =
    "Usage: modforge check abi OLD NEW [options]\n"
    "What changed between two kernels' exported symbols: every symbol removed, added, with a\n"
    "changed CRC, export type (EXPORT_SYMBOL <-> _GPL), namespace or module; with symtypes on\n"
    "both sides, why each CRC changed, grouped by the type change that caused it.\n"
    "\n"
    "OLD, NEW: a Module.symvers, a headers tree (/usr/src/linux-headers-<release>), or a headers\n"
    "          package (.deb, unpacked on the fly).\n"
    "Breaks: removed, crc, export type made GPL-only, namespace added or changed.  Not breaks:\n"
    "added, export type made plain, namespace removed, module moved (reported all the same).\n"
    "\n"
    "Exit status: 0 nothing breaks, 1 a break no waiver covers, 2 a usage or input error.\n";

struct Args {
  std::vector<std::string> sides, stablelists, rules, ignores;
  std::string old_symtypes, new_symtypes, format = "text", output;
};

AbiSide side_of(const SymversSide& s) {
  std::string shown = s.path;
  if (s.unpacked) shown = s.given + ":" + s.path.substr(s.unpacked->path().size() + 1);
  return {s.given, shown, s.file.entries.size()};
}

}  // namespace

int run_abi(const std::vector<std::string>& args, std::ostream& out) {
  Args a;
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help")
      ("old-symtypes", po::value(&a.old_symtypes),
       "OLD's symtypes: a directory of .symtypes files (KBUILD_SYMTYPES=1) or one consolidated file")
      ("new-symtypes", po::value(&a.new_symtypes), "NEW's symtypes (both or neither)")
      ("stablelist", po::value(&a.stablelists)->composing(),
       "a stablelist (Red Hat's [..._stablelist], Android's [abi_symbol_list]): only the symbols listed can break "
       "(repeatable)")
      ("rules", po::value(&a.rules)->composing(),
       "SUSE kABI severity rules: [MODULE|NAMESPACE|SYMBOL] PATTERN PASS|FAIL, first match wins (repeatable)")
      ("ignore-changes", po::value(&a.ignores)->composing(),
       "Debian ignore-changes patterns (module:drivers/net/**, kvm_*; a plain list or debian/config's [abi] "
       "section) (repeatable)")
      ("format,f", po::value(&a.format), "text (default), json, junit or markdown")
      ("output,o", po::value(&a.output), "write the report there (atomically) instead of standard output");
  if (!cli::parse_options(args, d, kUsage, a.sides, out)) return 0;
  if (a.sides.size() != 2)
    throw po::error(a.sides.empty() ? "no OLD and NEW given" : a.sides.size() == 1 ? "no NEW given" : "more than OLD and NEW given");
  if (a.format != "text" && a.format != "json" && a.format != "junit" && a.format != "markdown")
    throw po::error("--format must be text, json, junit or markdown, not '" + a.format + "'");
  if (a.old_symtypes.empty() != a.new_symtypes.empty())
    throw po::error("--old-symtypes and --new-symtypes go together (the explanation compares the two)");

  // Waivers first: a malformed waiver file fails before the (slower) sides are read.
  const Waivers waivers = load_waivers(a.stablelists, a.rules, a.ignores);
  const auto old_side = open_symvers_side(a.sides[0]);
  const auto new_side = open_symvers_side(a.sides[1]);
  AbiDiff diff;
  diff_symvers(old_side->file, new_side->file, diff);
  if (!a.old_symtypes.empty()) {
    const auto old_types = load_symtypes(a.old_symtypes);
    const auto new_types = load_symtypes(a.new_symtypes);
    explain_crc_changes(*old_types, *new_types, diff);
  }
  apply_waivers(waivers, old_side->file, new_side->file, diff);

  const AbiReport report{side_of(*old_side), side_of(*new_side), &diff};
  std::ostringstream text;
  const bool direct = a.output.empty() || a.output == "-";
  std::ostream& to = direct ? out : text;
  if (a.format == "json") write_abi_json(to, report);
  else if (a.format == "junit") write_abi_junit(to, report);
  else if (a.format == "markdown") write_abi_markdown(to, report);
  else write_abi_text(to, report);
  if (!direct) write_file_atomic(a.output, text.str());
  return summarize(diff).breaks ? 1 : 0;
}

}  // namespace modforge::abi
