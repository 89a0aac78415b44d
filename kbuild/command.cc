#include "kbuild/command.h"

#include <boost/program_options.hpp>
#include <filesystem>
#include <future>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "kbuild/build.h"
#include "kbuild/compdb.h"
#include "kbuild/depfile.h"
#include "kbuild/fragment_path.h"
#include "kbuild/jobserver.h"
#include "abi/check_command.h"
#include "abi/symtypes_command.h"
#include "kbuild/dkms.h"
#include "kbuild/launcher.h"
#include "kbuild/make_eval.h"
#include "kbuild/mirror.h"
#include "kbuild/options.h"
#include "core/spawn.h"
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
    "  compdb    write the directory's compile_commands.json (clangd, clang-tidy)\n"
    "  ninja     write a build.ninja that performs the same build with ninja (--launcher ccache|distcc|...)\n"
    "  dkms      dkms build SRC: a DKMS package for several kernels at once, with a load check\n"
    "  check     check load MODULE... --kernel TARGET...: will the modules load into those kernels,\n"
    "            and every reason why not (text, json, junit, markdown; exit 0/1/2)\n"
    "            check abi OLD NEW: what changed between two kernels' exports and whether it breaks\n"
    "            (Module.symvers, headers trees or .deb; waivers; exit 0/1/2)\n"
    "  symtypes  symtypes --consolidate DIR -o FILE: .symtypes files as one consolidated file\n"
    "\n"
    "  --makefile  print the path of the Makefile fragment for a module's own Makefile:\n"
    "              include $(shell modforge --makefile)   (then make, make clean, make install)\n"
    "\n"
    "Run from a make recipe marked '+' (or naming $(MAKE)), build, install and compdb take their\n"
    "job slots from make's jobserver (make -jN), never more than their own -j when one is given.\n"
    "\n"
    "Run 'modforge <command> --help' for a command's options.\n";

int cmd_clean(const std::vector<std::string>& args) {
  Common c;
  if (!parse_common(args, c,
                    "Usage: modforge clean [DIR] [VAR=VALUE ...] [options]\n"
                    "Removes what `make -C <tree> M=DIR clean` removes (the tree's own clean rules, run by\n"
                    "make), and a build directory of modforge's (-O, or DIR/build-<release>) entirely.\n"))
    return 0;
  const std::string& dir = c.dir;
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
  const std::string& dir = c.dir;
  auto trees = find_trees(c.kernels);
  auto slots = job_slots(c.jobs, c.jobs_given, c.verbose);
  BuildOptions opts{slots.threads, c.verbose, {}};
  int rc = 0;
  for (auto& t : trees) {
    std::string out = output_dir(c, dir, t, trees.size());
    Evaluator ev(t, out, c.vars, default_cache_root());
    BuildStats stats;
    int r = build_stage(ev, Stage::Modinst, opts, *slots.slots, stats);
    if (r == 0) r = run_depmod(ev, c.verbose);
    rc = std::max(rc, r);
  }
  return rc;
}

int cmd_build(const std::vector<std::string>& args) {
  Common c;
  std::string pch, depfile;
  std::vector<std::string> depfile_targets;
  po::options_description own("build");
  own.add_options()
      ("depfile", po::value(&depfile),
       "after a successful build, write FILE: one make rule (GCC's -MD form) naming every input the build "
       "read (sources, headers from the .cmd files, the Kbuild, the tree's Makefiles and config files), "
       "for CMake's DEPFILE, ninja and make")
      ("depfile-target", po::value(&depfile_targets)->composing(),
       "the depfile rule's target (repeatable; default: every .ko built)");
  add_pch_option(own, pch);
  if (!parse_common(args, c,
                    "Usage: modforge build [DIR] [VAR=VALUE ...] [options]\n"
                    "Builds the modules of DIR (default: the current directory) as\n"
                    "`make -C <tree> M=DIR VAR=VALUE ... modules` does, with identical outputs.\n",
                    true, &own))
    return 0;
  check_pch(pch);
  fs::path dir = c.dir;
  auto trees = find_trees(c.kernels);
  auto slots = job_slots(c.jobs, c.jobs_given, c.verbose);
  BuildOptions opts{slots.threads, c.verbose, c.launcher, pch};
  std::string cache = default_cache_root();
  std::vector<std::string> out_dirs;
  for (auto& t : trees) out_dirs.push_back(output_dir(c, dir.string(), t, trees.size()));
  std::vector<std::future<int>> runs;
  for (size_t i = 0; i < trees.size(); ++i) {
    const Tree& t = trees[i];
    const std::string& out = out_dirs[i];
    runs.push_back(std::async(std::launch::async, [&, i, t, out] {
      if (out != dir.string()) sync_mirror(dir.string(), out);
      Evaluator ev(t, out, c.vars, cache);
      BuildStats stats;
      try {
        int rc = build_module(ev, opts, *slots.slots, stats);
        // Every build leaves compile_commands.json where its outputs are (the sources stay
        // clean with -O; clangd --compile-commands-dir finds it there).  A build that ran
        // nothing changed no command: an existing one stays.
        std::string db = out + "/compile_commands.json";
        if (rc == 0 && (stats.ran > 0 || access(db.c_str(), F_OK) != 0)) write_compdb(ev, {db, false}, nullptr);
        return rc;
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
  if (rc == 0 && !depfile.empty()) {
    std::set<std::string> inputs;
    std::vector<std::string> targets = depfile_targets;
    for (size_t i = 0; i < trees.size(); ++i) {
      Evaluator ev(trees[i], out_dirs[i], c.vars, cache);
      collect_inputs(ev, inputs);
      if (depfile_targets.empty())
        for (auto& t : ev.plan(Stage::Modfinal).targets)
          if (t.path.ends_with(".ko")) targets.push_back(t.path[0] == '/' ? t.path : trees[i].objtree + "/" + t.path);
    }
    if (targets.empty()) throw Error("--depfile: the build made no .ko file to name (give --depfile-target)");
    write_file_if_changed(fs::absolute(depfile).string(), depfile_text(targets, inputs));
  }
  return rc;
}

int cmd_compdb(const std::vector<std::string>& args) {
  Common c;
  bool clang = false;
  std::string output;
  po::options_description own("compdb");
  own.add_options()
      ("clang", po::bool_switch(&clang), "leave out the GCC options clang rejects (for clangd and clang-tidy)")
      ("output,o", po::value(&output),
       "the file to write (default: compile_commands.json in DIR, or in the build directory with -O)");
  if (!parse_common(args, c,
                    "Usage: modforge compdb [DIR] [VAR=VALUE ...] [options]\n"
                    "Writes the compile_commands.json of DIR (default: the current directory):\n"
                    "one entry per object kbuild compiles, <module>.mod.c included, with the\n"
                    "command `make -C <tree> M=DIR VAR=VALUE ... modules` runs, in the tree.\n"
                    "The <module>.mod.c files come from a build: when DIR has not been built\n"
                    "(or its modules changed since), it is built first, as `modforge build` does.\n"
                    "With several --kernel trees, the first one's commands.\n",
                    false, &own))
    return 0;
  fs::path dir = c.dir;
  auto trees = find_trees(c.kernels);
  auto slots = job_slots(c.jobs, c.jobs_given, c.verbose);
  BuildOptions opts{slots.threads, c.verbose, {}};
  std::string out = output_dir(c, dir.string(), trees.front(), trees.size());
  if (out != dir.string()) sync_mirror(dir.string(), out);
  Evaluator ev(trees.front(), out, c.vars, default_cache_root());
  BuildStats stats;
  CompdbOptions co{output.empty() ? out + "/compile_commands.json" : output, clang};
  return write_compdb(ev, co, [&] { return build_module(ev, opts, *slots.slots, stats); });
}

}  // namespace

int modforge_main(const std::vector<std::string>& args) {
  try {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
      std::cout << kUsage;
      return args.size() < 2 ? 1 : 0;
    }
    if (args[1] == "--makefile") {
      std::cout << makefile_fragment_path() << "\n";
      return 0;
    }
    std::vector<std::string> rest(args.begin() + 2, args.end());
    if (args[1] == "build") return cmd_build(rest);
    if (args[1] == "clean") return cmd_clean(rest);
    if (args[1] == "install") return cmd_install(rest);
    if (args[1] == "compdb") return cmd_compdb(rest);
    if (args[1] == "ninja") return cmd_ninja(rest);
    if (args[1] == "dkms") return cmd_dkms(rest);
    if (args[1] == "check") return abi::check_main(rest, std::cout, std::cerr);
    if (args[1] == "symtypes") return abi::symtypes_main(rest, std::cout, std::cerr);
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
