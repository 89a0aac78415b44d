// The emulated kernel a kmod-style command acts on: the target (MODFORGE_TARGET or
// --target: a headers tree or lib/modules/<release>) and the saved state (MODFORGE_STATE or
// --state: a file; absent means a freshly booted kernel).  A command that changes the
// kernel saves the state atomically at the end, so an interrupted or failed command leaves
// the previous state intact.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "loader/kernel/kernel.h"

namespace modforge::loader {

struct SessionOptions {
  std::string state_path, target_dir;
  std::optional<Kernel> version;
};

// Takes --state=FILE / --target=DIR (also "--state FILE") and --kernel out of `args`, with
// the environment variables as defaults.  Returns false with `error` set when one is bad.
bool take_session_options(std::vector<std::string>& args, SessionOptions& o, std::string& error);

class Session {
public:
  // Throws Error("<path>: <cause>") for a missing target or a corrupt state file.
  static std::unique_ptr<Session> open(const SessionOptions& o);

  kernel::EmulatedKernel& kernel() { return *kernel_; }
  const kernel::Target& target() const { return target_; }
  void save();  // throws Error

private:
  Session() = default;
  std::string state_path_;
  kernel::Target target_;
  std::unique_ptr<kernel::EmulatedKernel> kernel_;
};

}  // namespace modforge::loader
