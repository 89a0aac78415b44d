#include "kbuild/ninja.h"

#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <semaphore>
#include <sstream>
#include <thread>

#include "core/atomic_file.h"
#include "core/error.h"
#include "kbuild/build.h"
#include "kbuild/compdb.h"
#include "kbuild/launcher.h"
#include "kbuild/make_eval.h"
#include "kbuild/mirror.h"
#include "kbuild/ninja_file.h"
#include "kbuild/options.h"
#include "kbuild/tree.h"

namespace modforge::kbuild {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// One tree: a build.ninja's outputs are the module directory's, which two trees would share.
Tree one_tree(const Common& c) {
  auto trees = find_trees(c.kernels);
  if (trees.size() != 1) throw Error("one --kernel tree per build.ninja (the trees' outputs would share " + c.dir + ")");
  return trees[0];
}

std::string self_exe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("/proc/self/exe: " + ec.message());
  return p.string();
}


}  // namespace

int cmd_ninja(const std::vector<std::string>& args) {
  Common c;
  std::string output = "build.ninja";
  po::options_description own("ninja");
  own.add_options()("output,o", po::value(&output), "the file to write (default: build.ninja)");
  if (!parse_common(args, c,
                    "Usage: modforge ninja [DIR] [VAR=VALUE ...] [options]\n"
                    "Writes a build.ninja that builds the modules of DIR as `modforge build` does (the same\n"
                    "outputs), its compiles through --launcher in a form ccache and distcc can cache and\n"
                    "distribute; objtool, genksyms, modpost and the links stay local.  Run it with `ninja`\n"
                    "(-j as many as the launcher can take); it rewrites itself when the module's Kbuild\n"
                    "changes.  One --kernel tree; -j is what the modpost and modfinal edges run at once.\n",
                    true, &own))
    return 0;
  Tree tree = one_tree(c);
  std::string out = output_dir(c, c.dir, tree, 1);
  if (out != c.dir) sync_mirror(c.dir, out);
  Evaluator ev(tree, out, c.vars, default_cache_root());
  Plan plan = ev.plan(Stage::Build);

  NinjaSpec spec;
  spec.modforge = self_exe();
  spec.output = fs::absolute(output).lexically_normal().string();
  spec.objtree = tree.objtree;
  spec.module_dir = out;
  spec.jobs = c.jobs;
  spec.launcher = !c.launcher.empty();
  spec.context = {"--kernel", tree.objtree};
  if (!c.launcher.empty()) spec.context.insert(spec.context.end(), {"--launcher", c.launcher});
  if (c.verbose) spec.context.push_back("-v");
  if (!c.build_dir.empty()) spec.context.insert(spec.context.end(), {"-O", out});
  spec.regen = spec.context;
  spec.regen.insert(spec.regen.end(), {"-j", std::to_string(c.jobs), "-o", spec.output});
  for (auto* list : {&spec.context, &spec.regen}) {
    list->push_back(c.dir);
    list->insert(list->end(), c.vars.begin(), c.vars.end());
  }

  // Unchanged: left alone, so that ninja's restat sees no new manifest.
  if (!write_file_if_changed(spec.output, ninja_file(spec, plan))) return 0;
  std::cout << "modforge: wrote " << spec.output << " (" << plan.targets.size() << " targets)\n";
  return 0;
}

int cmd_step(const std::vector<std::string>& args) {
  Common c;
  std::string target, stage;
  po::options_description own("step");
  own.add_options()("target", po::value(&target), "one target of the Build stage")
      ("stage", po::value(&stage), "a whole stage: build, modpost or modfinal");
  if (!parse_common(args, c,
                    "Usage: modforge step [DIR] [VAR=VALUE ...] (--target T | --stage S) [options]\n"
                    "Runs one target or stage as `modforge build` does: what build.ninja's edges run.\n",
                    true, &own))
    return 0;
  if (target.empty() == stage.empty()) throw Error("step: give one of --target and --stage");
  Tree tree = one_tree(c);
  std::string out = output_dir(c, c.dir, tree, 1);
  if (out != c.dir) sync_mirror(c.dir, out);  // a source file added since build.ninja was written
  Evaluator ev(tree, out, c.vars, default_cache_root());
  BuildOptions opts{c.jobs, c.verbose, c.launcher};
  BuildStats stats;
  if (!stage.empty()) {
    Stage s = stage == "build" ? Stage::Build : stage == "modpost" ? Stage::Modpost : stage == "modfinal"
                                                                                      ? Stage::Modfinal
                                                                                      : throw Error("step: unknown stage '" + stage + "'");
    std::counting_semaphore<> slots(c.jobs);
    int rc = build_stage(ev, s, opts, slots, stats);
    // The last edge: a ninja build leaves compile_commands.json too, as every build does.
    if (rc == 0 && s == Stage::Modfinal) write_compdb(ev, {out + "/compile_commands.json", false}, nullptr);
    return rc;
  }
  Plan plan = ev.plan(Stage::Build);
  for (auto& t : plan.targets)
    if (t.path == target) {
      std::counting_semaphore<> slots(1);
      return build_target(ev, t, opts, slots, stats);
    }
  throw Error("step: " + target + " is not a target of " + c.dir + " (rerun modforge ninja)", 2);
}

}  // namespace modforge::kbuild
