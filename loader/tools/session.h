// The emulated kernel a kmod-style command acts on, and the options that choose it, taken
// by the same parser as the command's own options (in any order):
//   --target=DIR   (MODFORGE_TARGET)  a headers tree or lib/modules/<release>
//   --state=FILE   (MODFORGE_STATE)   the saved state; absent means a freshly booted kernel
//   --kernel=VER   (MODFORGE_KERNEL)  6.1 or 6.12 rules, when the release does not say
//   --modules=DIR  (MODFORGE_MODULES) the target's lib/modules/<release>, when neither the
//                                     target itself nor /lib/modules/<release> holds it
//   --dmesg        (MODFORGE_DMESG=1) also print the kernel's lines on stderr ("kernel: ...")
// and from the environment only:
//   MODFORGE_SIG_ENFORCE=1    boot with module.sig_enforce=1 (unsigned or unverifiable
//                             modules are refused)
//   MODFORGE_SIG_KEYS=F[:F..] certificates (DER or PEM) trusted besides the target's own,
//                             as enrolled keys are
// A session holds an exclusive lock on the state (flock on "<state>.lock") from reading it
// to writing the new one, as the kernel holds module_mutex: commands run at once on one
// state give the result of some serial order.  A command that changes the kernel saves the
// state atomically at the end, so an interrupted or failed command leaves the previous one.
#pragma once
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/kernel.h"
#include "loader/kernel/kernel.h"

namespace modforge::loader::tools {

struct SessionOptions {
  std::string state_path, target_dir, modules_dir;
  std::string kernel;  // "6.1", "6.12" or empty (the release's); checked by Session::open
  bool show_kernel_log = false;
  bool sig_enforce = false;            // MODFORGE_SIG_ENFORCE=1
  std::vector<std::string> sig_keys;   // MODFORGE_SIG_KEYS
};

// The environment's defaults (MODFORGE_*).
SessionOptions session_options_from_env();
// A command's own options followed by the session's, for one cli::parse.
std::vector<cli::OptionSpec> with_session_options(std::span<const cli::OptionSpec> own);
// Takes `u` into `o` when it is a session option (true), else leaves it to the command.
bool take_session_option(const cli::OptionUse& u, SessionOptions& o);

class Session {
public:
  // Locks and reads the state.  Throws Error("<path>: <cause>") for a missing target, a
  // corrupt state file, a lock that cannot be taken, or Error for an unknown version.
  static std::unique_ptr<Session> open(const SessionOptions& o);
  ~Session();

  kernel::EmulatedKernel& kernel() { return *kernel_; }
  const kernel::Target& target() const { return target_; }
  void save();  // throws Error

  // The kernel's lines of one syscall, on `err` when --dmesg asked for them.
  void print_log(std::ostream& err, const kernel::Log& log) const;

private:
  Session() = default;
  std::string state_path_;
  int lock_fd_ = -1;
  bool show_kernel_log_ = false;
  kernel::Target target_;
  std::unique_ptr<kernel::EmulatedKernel> kernel_;
};

}  // namespace modforge::loader::tools
