#include "kbuild/options.h"

#include <filesystem>
#include <iostream>
#include <thread>

#include "core/cli.h"
#include "core/error.h"
#include "kbuild/launcher.h"

namespace modforge::kbuild {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

po::options_description common_options(Common& c) {
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help")
      ("kernel,k", po::value(&c.kernels)->composing(),
       "kernel build tree (repeatable; default: /lib/modules/$(uname -r)/build, else the newest "
       "/usr/src/linux-headers-* tree)")
      ("build-dir,O", po::value(&c.build_dir),
       "write the outputs here, not into DIR (with several --kernel trees: one subdirectory per kernel "
       "release); the default with several trees is DIR/build-<release>")
      ("jobs,j", po::value(&c.jobs), "commands to run at once (default: the number of cores)")
      ("verbose,v", po::bool_switch(&c.verbose), "print every command, as make V=1 does");
  return d;
}

// Operands: the directory (at most one) and VAR=VALUE assignments, as make takes them.
void split_operands(const std::vector<std::string>& ops, Common& c) {
  bool have_dir = false;
  for (auto& o : ops) {
    if (o.find('=') != std::string::npos && o[0] != '=' && o.find('/') > o.find('=')) {
      c.vars.push_back(o);
    } else if (!have_dir) {
      c.dir = o;
      have_dir = true;
    } else {
      throw Error("unexpected argument '" + o + "' (one directory; VAR=VALUE for make variables)");
    }
  }
}

}  // namespace

// Where a tree's outputs go: DIR itself (as make M=DIR), or a build directory.
std::string output_dir(const Common& c, const std::string& dir, const Tree& t, size_t trees) {
  if (c.build_dir.empty()) return trees == 1 ? dir : dir + "/build-" + t.release;
  std::error_code ec;
  fs::path base = fs::absolute(c.build_dir, ec).lexically_normal();
  std::string b = base.string();
  if (b.size() > 1 && b.back() == '/') b.pop_back();
  return trees == 1 ? b : b + "/" + t.release;
}

void add_pch_option(po::options_description& desc, std::string& pch) {
  desc.add_options()("pch", po::value(&pch)->default_value("auto"),
                     "compile the <module>.mod.c files with a precompiled <linux/module.h> (kept in the cache, "
                     "checked to give the same bytes): auto (made when a build compiles 4 or more, used once "
                     "made), always, never");
}

void check_pch(const std::string& pch) {
  if (pch != "auto" && pch != "always" && pch != "never")
    throw Error("--pch: '" + pch + "' is not auto, always or never");
}

// Parses a subcommand's options and operands; false when --help was printed.
bool parse_common(const std::vector<std::string>& args, Common& c, const char* usage, bool launcher,
                  const po::options_description* own) {
  auto desc = common_options(c);
  if (own) desc.add(*own);
  if (launcher)
    desc.add_options()("launcher", po::value(&c.launcher),
                       "run each compile through this launcher (ccache, sccache, distcc, icecc or a path); "
                       "kbuild's -Wp,-MMD becomes -MMD -MF, the .cmd files keep kbuild's command");
  std::vector<std::string> ops;
  if (!cli::parse_options(args, desc, usage, ops, std::cout)) return false;
  split_operands(ops, c);
  std::error_code ec;
  fs::path dir = fs::canonical(c.dir, ec);
  if (ec) throw Error(c.dir + ": " + ec.message());
  c.dir = dir.string();
  c.jobs_given = c.jobs > 0;
  if (c.jobs <= 0) c.jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  if (!c.launcher.empty()) c.launcher = resolve_launcher(c.launcher);
  return true;
}


}  // namespace modforge::kbuild
