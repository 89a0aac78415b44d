// The build.ninja `modforge ninja` writes.  Each edge runs `modforge step`, which runs one
// target's steps exactly as `modforge build` does (its own up-to-date check from kbuild's
// .cmd files included), so ninja only orders and parallelises: ninja cannot read the .cmd
// files' dependencies (headers, CONFIG_* through fixdep, the command line), hence every
// edge depends on an always-dirty phony and the driver decides whether anything runs.
#pragma once
#include <string>
#include <vector>

#include "kbuild/plan.h"

namespace modforge::kbuild {

struct NinjaSpec {
  std::string modforge;              // absolute path of the modforge binary
  std::vector<std::string> context;  // `modforge step`'s arguments naming the build (tree, launcher, DIR, VAR=VALUE)
  std::vector<std::string> regen;    // `modforge ninja`'s arguments that rewrite this file
  std::string output;                // absolute path of build.ninja
  std::string objtree;               // the tree's (relative target paths are under it)
  std::string module_dir;            // absolute M
  int jobs = 1;                      // -j of the modpost and modfinal edges
  bool launcher = false;             // compile edges leave the local pool
};

// The text of build.ninja for the Build stage's plan `build`, then modpost and modfinal.
std::string ninja_file(const NinjaSpec& spec, const Plan& build);

// `w` as one shell word (quoted when needed).
std::string shell_word(const std::string& w);

}  // namespace modforge::kbuild
