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
#include "kbuild/launcher.h"
#include "kbuild/make_eval.h"
#include "kbuild/ninja_file.h"
#include "kbuild/tree.h"

namespace modforge::kbuild {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// What names one build: shared by `modforge ninja` and `modforge step`.
struct Context {
  std::vector<std::string> kernels;
  std::vector<std::string> operands;  // DIR and VAR=VALUE, as `modforge build` takes them
  std::string dir = ".";
  std::vector<std::string> vars;
  std::string launcher;
  int jobs = 0;
  bool verbose = false;
  bool help = false;
};

po::options_description context_options(Context& c) {
  po::options_description d("Options");
  d.add_options()
      ("help,h", po::bool_switch(&c.help), "print this help")
      ("kernel,k", po::value(&c.kernels)->composing(),
       "kernel build tree (default: /lib/modules/$(uname -r)/build, else the newest /usr/src/linux-headers-* tree)")
      ("launcher", po::value(&c.launcher),
       "run compiles through ccache, sccache, distcc, icecc or the program at this path")
      ("jobs,j", po::value(&c.jobs), "commands the modpost and modfinal edges run at once (default: the number of cores)")
      ("verbose,v", po::bool_switch(&c.verbose), "print every command, as make V=1 does");
  return d;
}

// Parses `args` with `desc` (context_options plus the caller's) and the operands.
void parse(const std::vector<std::string>& args, po::options_description& desc, Context& c) {
  po::options_description hidden;
  hidden.add_options()("operand", po::value(&c.operands));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("operand", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  bool have_dir = false;
  for (auto& o : c.operands) {
    if (o.find('=') != std::string::npos && o[0] != '=' && o.find('/') > o.find('=')) {
      c.vars.push_back(o);
    } else if (!have_dir) {
      c.dir = o;
      have_dir = true;
    } else {
      throw Error("unexpected argument '" + o + "' (one directory; VAR=VALUE for make variables)");
    }
  }
  std::error_code ec;
  fs::path dir = fs::canonical(c.dir, ec);
  if (ec) throw Error(c.dir + ": " + ec.message());
  c.dir = dir.string();
  if (!c.launcher.empty()) c.launcher = resolve_launcher(c.launcher);
  if (c.jobs <= 0) c.jobs = int(std::max(1u, std::thread::hardware_concurrency()));
}

// One tree: a build.ninja's outputs are the module directory's, which two trees would share.
Tree one_tree(const Context& c) {
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

bool read_text(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

int cmd_ninja(const std::vector<std::string>& args) {
  Context c;
  auto desc = context_options(c);
  std::string output = "build.ninja";
  desc.add_options()("output,o", po::value(&output), "the file to write (default: build.ninja)");
  parse(args, desc, c);
  if (c.help) {
    std::cout << "Usage: modforge ninja [DIR] [VAR=VALUE ...] [options]\n"
                 "Writes a build.ninja that builds the modules of DIR as `modforge build` does (the same\n"
                 "outputs), its compiles through --launcher in a form ccache and distcc can cache and\n"
                 "distribute; objtool, genksyms, modpost and the links stay local.  Run it with `ninja`\n"
                 "(-j as many as the launcher can take); it rewrites itself when the module's Kbuild changes.\n\n"
              << desc;
    return 0;
  }
  Tree tree = one_tree(c);
  Evaluator ev(tree, c.dir, c.vars, default_cache_root());
  Plan plan = ev.plan(Stage::Build);

  NinjaSpec spec;
  spec.modforge = self_exe();
  spec.output = fs::absolute(output).lexically_normal().string();
  spec.objtree = tree.objtree;
  spec.module_dir = c.dir;
  spec.jobs = c.jobs;
  spec.launcher = !c.launcher.empty();
  spec.context = {"--kernel", tree.objtree};
  if (!c.launcher.empty()) spec.context.insert(spec.context.end(), {"--launcher", c.launcher});
  if (c.verbose) spec.context.push_back("-v");
  spec.regen = spec.context;
  spec.regen.insert(spec.regen.end(), {"-j", std::to_string(c.jobs), "-o", spec.output});
  for (auto* list : {&spec.context, &spec.regen}) {
    list->push_back(c.dir);
    list->insert(list->end(), c.vars.begin(), c.vars.end());
  }

  std::string text = ninja_file(spec, plan), old;
  // Unchanged: left alone, so that ninja's restat sees no new manifest.
  if (read_text(spec.output, old) && old == text) return 0;
  write_file_atomic(spec.output, text);
  std::cout << "modforge: wrote " << spec.output << " (" << plan.targets.size() << " targets)\n";
  return 0;
}

int cmd_step(const std::vector<std::string>& args) {
  Context c;
  auto desc = context_options(c);
  std::string target, stage;
  desc.add_options()("target", po::value(&target), "one target of the Build stage")
      ("stage", po::value(&stage), "a whole stage: build, modpost or modfinal");
  parse(args, desc, c);
  if (c.help) {
    std::cout << "Usage: modforge step [DIR] [VAR=VALUE ...] (--target T | --stage S) [options]\n"
                 "Runs one target or stage as `modforge build` does: what build.ninja's edges run.\n\n"
              << desc;
    return 0;
  }
  if (target.empty() == stage.empty()) throw Error("step: give one of --target and --stage");
  Tree tree = one_tree(c);
  Evaluator ev(tree, c.dir, c.vars, default_cache_root());
  BuildOptions opts{c.jobs, c.verbose, c.launcher};
  BuildStats stats;
  if (!stage.empty()) {
    Stage s = stage == "build" ? Stage::Build : stage == "modpost" ? Stage::Modpost : stage == "modfinal"
                                                                                      ? Stage::Modfinal
                                                                                      : throw Error("step: unknown stage '" + stage + "'");
    std::counting_semaphore<> slots(c.jobs);
    return build_stage(ev, s, opts, slots, stats);
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
