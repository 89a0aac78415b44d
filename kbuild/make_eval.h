// GNU make as the one evaluator of make syntax: it reads the tree's Makefiles and the
// module's Kbuild with templates/kbuild-eval.mk loaded, and prints what kbuild would run
// (see plan.h).  Results are cached, keyed by an xxHash of every file make read and of the
// variables given, so that a build whose inputs did not change never runs make.
#pragma once
#include <string>
#include <vector>

#include "kbuild/plan.h"
#include "kbuild/tree.h"

namespace modforge::kbuild {

enum class Stage { Build, Modpost, Modfinal, Modinst };

class Evaluator {
public:
  // module_dir: absolute M; vars: VAR=VALUE as on make's command line; cache_root: where
  // the cache lives ($MODFORGE_KBUILD_CACHE, else $XDG_CACHE_HOME/modforge, else ~/.cache/modforge).
  Evaluator(Tree tree, std::string module_dir, std::vector<std::string> vars, std::string cache_root);

  // The stage's plan, from the cache when nothing make read has changed.  Throws Error
  // with make's own messages on standard error when make fails.
  Plan plan(Stage stage);

  // The environment kbuild's commands run in.
  const std::vector<std::string>& run_env();
  const Tree& tree() const { return tree_; }
  const std::string& module_dir() const { return module_dir_; }
  const std::string& cache_root() const { return cache_root_; }
  // A variable of kbuild's environment (srctree, KERNELRELEASE, MODLIB ...); empty if unset.
  std::string env_value(const std::string& name);

private:
  void load_env();          // from the cache, or by running the top-level Makefile once
  bool env_cache_valid();
  void learn_env();
  std::string stage_key(const Plan& p, Stage s);

  Tree tree_;
  std::string module_dir_;
  std::vector<std::string> vars_;
  std::string cache_root_;
  std::string cache_dir_;
  std::string eval_mk_;                // path of the written templates/kbuild-eval.mk
  std::vector<std::string> make_env_;  // as captured (for make -n runs)
  std::vector<std::string> run_env_;
  std::string tree_key_;
  bool env_loaded_ = false;
};

// The cache root from the environment.
std::string default_cache_root();

}  // namespace modforge::kbuild
