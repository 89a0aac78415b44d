#include "kbuild/command.h"

#include <boost/program_options.hpp>
#include <filesystem>
#include <future>
#include <iostream>
#include <thread>

#include "core/error.h"
#include "kbuild/build.h"
#include "kbuild/launcher.h"
#include "kbuild/make_eval.h"
#include "kbuild/mirror.h"
#include "kbuild/spawn.h"
#include "kbuild/steps.h"
#include "kbuild/ninja.h"
#include "kbuild/tree.h"

namespace modforge::kbuild {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "Usage: modforge <command> [options]\n"
    "\n"
    "Commands:\n"
    "  build     build the out-of-tree modules of a directory (make -C <tree> M=DIR modules)\n"
    "  clean     remove what a build wrote (make -C <tree> M=DIR clean)\n"
    "  install   install the built modules, then depmod (make -C <tree> M=DIR modules_install)\n"
    "  ninja     write a build.ninja that performs the same build with ninja (--launcher ccache|distcc|...)\n"
    "\n"
    "Run 'modforge <command> --help' for a command's options.\n";

struct Common {
  std::vector<std::string> kernels;
  std::string dir = ".";
  std::vector<std::string> vars;
  std::string build_dir;
  std::string launcher;
  int jobs = 0;
  bool verbose = false;
};

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

// Where a tree's outputs go: DIR itself (as make M=DIR), or a build directory.
std::string output_dir(const Common& c, const std::string& dir, const Tree& t, size_t trees) {
  if (c.build_dir.empty()) return trees == 1 ? dir : dir + "/build-" + t.release;
  std::error_code ec;
  fs::path base = fs::absolute(c.build_dir, ec).lexically_normal();
  std::string b = base.string();
  if (b.size() > 1 && b.back() == '/') b.pop_back();
  return trees == 1 ? b : b + "/" + t.release;
}

// Parses a subcommand's options and operands; false when --help was printed.
bool parse_common(const std::vector<std::string>& args, Common& c, const char* usage, bool launcher = false) {
  auto desc = common_options(c);
  if (launcher)
    desc.add_options()("launcher", po::value(&c.launcher),
                       "run each compile through this launcher (ccache, sccache, distcc, icecc or a path); "
                       "kbuild's -Wp,-MMD becomes -MMD -MF, the .cmd files keep kbuild's command");
  std::vector<std::string> ops;
  po::options_description hidden;
  hidden.add_options()("operand", po::value(&ops));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("operand", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << usage << "\n" << desc;
    return false;
  }
  split_operands(ops, c);
  return true;
}

std::string canonical_dir(const std::string& d) {
  std::error_code ec;
  fs::path dir = fs::canonical(d, ec);
  if (ec) throw Error(d + ": " + ec.message());
  return dir.string();
}

int cmd_clean(const std::vector<std::string>& args) {
  Common c;
  if (!parse_common(args, c,
                    "Usage: modforge clean [DIR] [VAR=VALUE ...] [options]\n"
                    "Removes what `make -C <tree> M=DIR clean` removes (the tree's own clean rules, run by\n"
                    "make), and a build directory of modforge's (-O, or DIR/build-<release>) entirely.\n"))
    return 0;
  std::string dir = canonical_dir(c.dir);
  auto trees = find_trees(c.kernels);
  int rc = 0;
  for (auto& t : trees) {
    std::string out = output_dir(c, dir, t, trees.size());
    std::error_code ec;
    if (out != dir) {
      // Only a directory modforge made (it holds the mirror's marker) is removed whole.
      if (fs::exists(fs::path(out) / ".modforge-build", ec)) fs::remove_all(out, ec);
      if (ec) throw Error(out + ": " + ec.message());
      continue;
    }
    std::vector<std::string> argv = {"make", "-C", t.objtree, "M=" + dir};
    for (auto& v : c.vars) argv.push_back(v);
    argv.push_back("clean");
    if (!c.verbose) argv.push_back("-s");
    rc = std::max(rc, run_program(argv, "", nullptr, false).status);
  }
  return rc;
}

int cmd_install(const std::vector<std::string>& args) {
  Common c;
  if (!parse_common(args, c,
                    "Usage: modforge install [DIR] [VAR=VALUE ...] [options]\n"
                    "Installs the modules a build of DIR made as `make -C <tree> M=DIR modules_install` does\n"
                    "(INSTALL_MOD_PATH, INSTALL_MOD_DIR, INSTALL_MOD_STRIP, the tree's module compression),\n"
                    "then runs modforge's depmod on INSTALL_MOD_PATH/lib/modules/<release>.\n"))
    return 0;
  std::string dir = canonical_dir(c.dir);
  auto trees = find_trees(c.kernels);
  int jobs = c.jobs > 0 ? c.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
  std::counting_semaphore<> slots(jobs);
  BuildOptions opts{jobs, c.verbose};
  int rc = 0;
  for (auto& t : trees) {
    std::string out = output_dir(c, dir, t, trees.size());
    Evaluator ev(t, out, c.vars, default_cache_root());
    BuildStats stats;
    int r = build_stage(ev, Stage::Modinst, opts, slots, stats);
    if (r == 0) r = run_depmod(ev, c.verbose);
    rc = std::max(rc, r);
  }
  return rc;
}

int cmd_build(const std::vector<std::string>& args) {
  Common c;
  if (!parse_common(args, c,
                    "Usage: modforge build [DIR] [VAR=VALUE ...] [options]\n"
                    "Builds the modules of DIR (default: the current directory) as\n"
                    "`make -C <tree> M=DIR VAR=VALUE ... modules` does, with identical outputs.\n",
                    true))
    return 0;
  fs::path dir = canonical_dir(c.dir);
  auto trees = find_trees(c.kernels);
  int jobs = c.jobs > 0 ? c.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
  std::counting_semaphore<> slots(jobs);
  BuildOptions opts{jobs, c.verbose, c.launcher.empty() ? "" : resolve_launcher(c.launcher)};
  std::string cache = default_cache_root();
  std::vector<std::string> out_dirs;
  for (auto& t : trees) out_dirs.push_back(output_dir(c, dir.string(), t, trees.size()));
  std::vector<std::future<int>> runs;
  for (size_t i = 0; i < trees.size(); ++i) {
    const Tree& t = trees[i];
    const std::string& out = out_dirs[i];
    runs.push_back(std::async(std::launch::async, [&, t, out] {
      if (out != dir.string()) sync_mirror(dir.string(), out);
      Evaluator ev(t, out, c.vars, cache);
      BuildStats stats;
      try {
        return build_module(ev, opts, slots, stats);
      } catch (const Error& e) {
        std::cerr << "modforge: " << e.what() << "\n";
        return e.exit_code();
      }
    }));
  }
  int rc = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    int r = runs[i].get();
    if (trees.size() > 1 || out_dirs[i] != dir.string())
      std::cout << "modforge: " << trees[i].release << ": " << (r ? "failed" : "built") << " in " << out_dirs[i]
                << "\n";
    rc = std::max(rc, r);
  }
  return rc;
}

}  // namespace

int modforge_main(const std::vector<std::string>& args) {
  try {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
      std::cout << kUsage;
      return args.size() < 2 ? 1 : 0;
    }
    std::vector<std::string> rest(args.begin() + 2, args.end());
    if (args[1] == "build") return cmd_build(rest);
    if (args[1] == "clean") return cmd_clean(rest);
    if (args[1] == "install") return cmd_install(rest);
    if (args[1] == "ninja") return cmd_ninja(rest);
    if (args[1] == "step") return cmd_step(rest);  // hidden: what build.ninja's edges run
    std::cerr << "modforge: unknown command '" << args[1] << "'\n" << kUsage;
    return 1;
  } catch (const po::error& e) {
    std::cerr << "modforge " << args[1] << ": " << e.what() << "\n";
    return 1;
  } catch (const Error& e) {
    std::cerr << "modforge: " << e.what() << "\n";
    return e.exit_code();
  }
}

}  // namespace modforge::kbuild
