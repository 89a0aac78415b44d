#include "abi/symtypes_command.h"

#include <boost/program_options.hpp>

#include "abi/symtypes.h"
#include "abi/symtypes_gen.h"
#include "abi/symtypes_model.h"
#include "core/atomic_file.h"
#include "core/cli.h"
#include "core/error.h"

namespace po = boost::program_options;

namespace modforge::abi {

namespace {

constexpr const char* kUsage =
    "Usage: modforge symtypes --consolidate DIR -o FILE\n"
    "       modforge symtypes --source SRC --kernel TREE -o DIR [--symvers FILE] [--consolidated FILE] [-j N]\n"
    "Symtypes (genksyms -T output) as files.\n"
    "--consolidate: every .symtypes file under DIR (as kbuild writes them with KBUILD_SYMTYPES=1)\n"
    "as one consolidated file in SUSE ksymtypes' format (what `ksymtypes consolidate` writes);\n"
    "`modforge check abi` reads both forms.\n"
    "--source/--kernel: the symtypes and CRCs of a whole kernel, generated from its sources\n"
    "without building it: the source tree's Makefiles evaluated by GNU make under TREE's .config,\n"
    "then the preprocessor and genksyms over every object that exports symbols (built-in and\n"
    "modular, with kbuild's flags for each).  Writes <object>.symtypes under DIR, the CRCs as\n"
    "'0xCRC<TAB>symbol<TAB>module<TAB>object' lines (--symvers) and the consolidated form\n"
    "(--consolidated), ready for `modforge check abi --old-symtypes/--new-symtypes`.\n"
    "\n"
    "Exit status: 0 success, 1 some objects failed (named on standard error; the rest is\n"
    "written), 2 a usage or input error.\n";

struct Args {
  std::string consolidate, output, source, kernel, symvers, consolidated;
  unsigned jobs = 0;
};

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Args a;
  std::vector<std::string> operands;
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help")
      ("consolidate", po::value(&a.consolidate), "a directory of .symtypes files to consolidate")
      ("output,o", po::value(&a.output), "the file (--consolidate) or directory (--source) to write")
      ("source", po::value(&a.source), "a kernel source tree (with --kernel)")
      ("kernel", po::value(&a.kernel), "the headers tree whose .config and Module.symvers the sources build")
      ("symvers", po::value(&a.symvers), "with --source: write the CRCs computed to FILE")
      ("consolidated", po::value(&a.consolidated), "with --source: also write the consolidated symtypes to FILE")
      ("jobs,j", po::value(&a.jobs), "worker threads (default: one per core)");
  if (!cli::parse_options(args, d, kUsage, operands, out)) return 0;
  if (!operands.empty()) throw po::error("unexpected operand '" + operands.front() + "'");
  if (!a.consolidate.empty()) {
    if (!a.source.empty() || !a.kernel.empty()) throw po::error("--consolidate does not go with --source/--kernel");
    if (a.output.empty()) throw po::error("--consolidate needs -o FILE");
    SymtypesCorpus corpus;
    corpus.add_directory(a.consolidate);
    if (corpus.file_count() == 0) throw Error(a.consolidate + ": no .symtypes files in this directory", 2);
    const std::string text = consolidated_text(corpus);
    if (a.output == "-") out << text;
    else write_file_atomic(a.output, text);
    return 0;
  }
  if (!a.source.empty() || !a.kernel.empty()) {
    if (a.source.empty() || a.kernel.empty()) throw po::error("--source and --kernel go together");
    if (a.output.empty()) throw po::error("--source needs -o DIR");
    SymtypesGenOptions o;
    o.source = a.source;
    o.headers = a.kernel;
    o.out_dir = a.output;
    o.symvers = a.symvers;
    o.jobs = a.jobs;
    const SymtypesGenResult r = generate_symtypes(o);
    for (const std::string& f : r.failures) err << "modforge symtypes: " << f << "\n";
    if (!a.consolidated.empty()) {
      SymtypesCorpus corpus;
      corpus.add_directory(a.output);
      write_file_atomic(a.consolidated, consolidated_text(corpus));
    }
    err << "  SYMTYPES " << r.exporting << " objects exporting " << r.crcs.size() << " symbols (" << r.objects
        << " objects in the build, " << r.failures.size() << " failed)\n";
    return r.failures.empty() ? 0 : 1;
  }
  throw po::error("nothing to do: give --consolidate DIR -o FILE or --source SRC --kernel TREE");
}

}  // namespace

int symtypes_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    return run(args, out, err);
  } catch (const po::error& e) {
    err << "modforge symtypes: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    err << "modforge symtypes: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace modforge::abi
