// symtypes-gen: abi/symtypes_gen.h's generate_symtypes() as a command, for
// tests/abi_symtypes_whole_kernel.sh (the `modforge symtypes` subcommand lives elsewhere).
//
//   symtypes-gen --source SRC --headers HDRS --out DIR [--symvers FILE] [-j N] [--work DIR]
//
// Standard error: the counts, the timings, every failed object and make's complaints.
#include <boost/program_options.hpp>

#include <iostream>
#include <string>

#include "abi/symtypes_gen.h"
#include "core/error.h"

namespace po = boost::program_options;
using namespace modforge;

int main(int argc, char** argv) {
  modforge::abi::SymtypesGenOptions o;
  po::options_description opts("symtypes-gen --source SRC --headers HDRS --out DIR [--symvers FILE] [-j N]");
  opts.add_options()("source", po::value(&o.source)->required(), "kernel source tree")(
      "headers", po::value(&o.headers)->required(), "built headers tree (.config, generated headers)")(
      "out", po::value(&o.out_dir)->required(), "where the .symtypes go")(
      "symvers", po::value(&o.symvers), "the CRC list to write")("work", po::value(&o.work_dir), "scratch objtree")(
      "cc", po::value(&o.cc), "compiler (default: CONFIG_CC_VERSION_TEXT's)")(
      "jobs,j", po::value(&o.jobs), "parallel workers (default: CPUs)")(
      "only", po::value(&o.only), "objects under this path only (repeatable)")(
      "genksyms", po::value(&o.external_genksyms),
      "pipe the preprocessor into this real genksyms (as Makefile.build does) instead of ours")(
      "cpp-only", po::bool_switch(&o.cpp_only), "the preprocessor alone, output discarded (a floor)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "symtypes-gen: " << e.what() << "\n" << opts;
    return 2;
  }
  try {
    auto r = modforge::abi::generate_symtypes(o);
    for (auto& e : r.make_errors) std::cerr << "make: " << e << "\n";
    for (auto& f : r.failures) std::cerr << "failed: " << f << "\n";
    std::cerr << "objects " << r.objects << " candidates " << r.candidates << " exporting " << r.exporting
              << " crcs " << r.crcs.size() << " failures " << r.failures.size() << "\n"
              << "make " << r.make_seconds << " s, preprocess+genksyms " << r.gen_seconds << " s\n";
    return r.failures.empty() ? 0 : 1;
  } catch (const Error& e) {
    std::cerr << "symtypes-gen: " << e.what() << "\n";
    return e.exit_code() ? e.exit_code() : 1;
  }
}
