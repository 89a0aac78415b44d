// The options and operands every `modforge` subcommand takes (Boost.Program_options):
// DIR, VAR=VALUE as make takes them, --kernel (repeatable), -O, -j, -v, --launcher.
#pragma once
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "kbuild/tree.h"

namespace modforge::kbuild {

struct Common {
  std::vector<std::string> kernels;
  std::string dir = ".";
  std::vector<std::string> vars;
  std::string build_dir;
  std::string launcher;
  int jobs = 0;
  bool jobs_given = false;  // -j was on the command line (it caps a make jobserver's -j)
  bool verbose = false;
};

// Parses a subcommand's arguments: the common options, `own` (the subcommand's), --launcher
// when `launcher`; DIR made absolute, jobs defaulted to the number of cores.  Prints `usage`
// and the options and returns false for --help.  Throws po::error or Error.
bool parse_common(const std::vector<std::string>& args, Common& c, const char* usage, bool launcher = false,
                  const boost::program_options::options_description* own = nullptr);

// --pch auto|always|never (mod_pch.h) into `desc`, for the commands that build; check_pch()
// refuses another value after parsing.  Throws Error.
void add_pch_option(boost::program_options::options_description& desc, std::string& pch);
void check_pch(const std::string& pch);

// Where a tree's outputs go: DIR itself (as make M=DIR), or a build directory (-O, and
// DIR/build-<release> with several trees).
std::string output_dir(const Common& c, const std::string& dir, const Tree& t, size_t trees);

}  // namespace modforge::kbuild
