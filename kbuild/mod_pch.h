// A GCC precompiled header for the .mod.c compiles.  Every <module>.mod.o of a tree is
// compiled with the same flags from a .mod.c that starts with #include <linux/module.h>;
// parsing that header tree is ~0.09 s of the ~0.12 s each compile takes.  So the driver
// precompiles it once per tree and flags (in the cache), and compiles each .mod.c with it,
// the per-module -D KBUILD_* moved after the PCH (GCC refuses a PCH when a macro its
// headers name is defined first; they name these only inside macro bodies, which
// create() checks), and the dependency file rewritten to what the plain compile writes.
//
// Trust is earned, not assumed: the PCH is kept only when one module compiled both ways
// gives the same object bytes and the same dependency list, and each later compile falls
// back to the plain command when the PCH was not used or GCC printed anything.
#pragma once
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kbuild/mod_compile.h"
#include "kbuild/plan.h"

namespace modforge::kbuild {

// One tree's PCH, shared by the threads of a build.
class ModPch {
public:
  // Runs a shell command in the tree (the runner's: it reports failures); true on success.
  using Shell = std::function<bool(const std::string& cmd)>;

  // cache_root: the kbuild cache's root; objtree: the compiles' directory; a PCH is made
  // when `pending` (the .mod.o compiles this build runs) is at least `make_from` (it costs
  // about three compiles; once made, every build uses it).
  ModPch(std::string cache_root, std::string objtree, const std::vector<std::string>& env, size_t make_from,
         size_t pending);

  // Compiles the .mod.o of `t` (its `s`, a Fixdep step) leaving the object and the plain
  // compile's dependency file, through the PCH when there is one.  nullopt: not a .mod.o
  // compile or no PCH; the caller runs the command itself.  false: the compile failed
  // (already reported through `shell`).
  std::optional<bool> compile(const Target& t, const Step& s, const Shell& shell);

private:
  enum class State { Unknown, Creating, Ready, None };
  State state_for(const ModCompile& mc, std::string& dir);
  bool fresh(const std::string& dir);
  bool create(const ModCompile& mc, const Step& s);
  std::optional<bool> compile_with(const ModCompile& mc, const std::string& dir, const Step& s,
                                   const std::string& object, const std::string& depfile);
  std::string abs(const std::string& p) const { return p.empty() || p[0] == '/' ? p : objtree_ + "/" + p; }

  std::string root_;
  std::string objtree_;
  const std::vector<std::string>& env_;
  size_t make_from_;
  size_t pending_;
  std::mutex m_;
  State state_ = State::Unknown;
  std::string key_;  // the flags and includes state_ is for
  std::string dir_;  // the cache directory for key_
  std::vector<std::string> pch_deps_;
};

}  // namespace modforge::kbuild
