// The emulated kernel: the state of a booted target (loaded modules, taints) and the two
// syscalls the kmod commands make, decided as the target's kernel decides them.
//
// Library API used by the commands (insmod, rmmod, lsmod, modprobe):
//   Target t = load_target(tree);                       // target.h
//   State s = read_state_file(path, t) or boot_state(t, boot_taint);   // state_file.h
//   EmulatedKernel k(t, std::move(s));
//   Outcome o = k.init_module(bytes, params, flags);    // finit_module(2)
//   Outcome o = k.delete_module(name, O_NONBLOCK);      // delete_module(2)
//   write_state_file(path, k.state());                  // atomically (temp + rename)
//   proc_modules(k.state())                             // /proc/modules text
// Outcome.err is 0 or the positive errno the syscall sets; Outcome.log the kernel lines it
// printed (level + text).  Nothing here prints or exits.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/kernel/log.h"
#include "loader/kernel/module_sig_verify.h"
#include "loader/kernel/target.h"

namespace modforge::loader::kernel {

// include/linux/panic.h TAINT_* bit numbers.
enum TaintBit : unsigned {
  kTaintProprietary = 0, kTaintForcedModule = 1, kTaintForcedRmmod = 3, kTaintUser = 6, kTaintWarn = 9,
  kTaintCrap = 10, kTaintOot = 12, kTaintUnsigned = 13, kTaintLivepatch = 15, kTaintTest = 18,
};
// The letters of /proc/modules and /proc/sys/kernel/tainted's bits, in bit order.
std::string taint_letters(uint32_t module_taints);

// finit_module flags
constexpr int kIgnoreModversions = 1, kIgnoreVermagic = 2;
// delete_module flags
constexpr unsigned kDeleteNonblock = 04000 /* O_NONBLOCK */, kDeleteForce = 01000 /* O_TRUNC */;

enum class ModState { live, coming, going };

struct ModExport {
  std::string name;
  uint32_t crc = 0;
  bool has_crc = false;
  bool gpl_only = false;
  std::string ns;
};

struct LoadedModule {
  std::string name;
  ModState state = ModState::live;
  uint32_t taints = 0;
  std::vector<std::string> uses;     // modules this one took references on (oldest first)
  std::vector<std::string> holders;  // modules using this one, newest first (source_list)
  std::vector<ModExport> exports;
  bool has_init = false, has_exit = false;
  bool exit_warns_thunk = false;  // 6.12: its exit function returns through an unpatched thunk
  uint64_t core_size = 0, init_size = 0;  // /proc/modules size; 0 until "layout" lands
  int refcnt() const { return static_cast<int>(holders.size()); }
};

struct State {
  uint64_t tainted = 0;               // /proc/sys/kernel/tainted
  bool sig_notice_done = false;       // pr_notice_once of the unsigned-module line
  bool livepatch_notice_done = false; // pr_notice_once of TAINT_LIVEPATCH
  bool lockdep_off = false;           // "Disabling lock debugging" was printed (once per boot)
  bool warned_returns_decode = false; // apply_returns' WARN_ON_ONCE (undecodable return site)
  bool warned_returns_thunk = false;  // apply_returns' WARN_ONCE "missing return thunk"
  bool warned_orc = false;            // unwind_module_init's WARN_ON_ONCE (ORC table sizes)
  bool warned_thunk_run = false;      // 6.12 __warn_thunk's WARN_ONCE (an unpatched return ran)
  bool ftrace_disabled = false;       // an ftrace bug killed ftrace for the rest of the boot
  bool warned_btf = false;            // 6.12's pr_warn_once of a module BTF mismatch
  std::vector<LoadedModule> modules;  // newest first, as /proc/modules lists them
};

struct Outcome {
  int err = 0;  // positive errno, 0 on success
  Log log;
  std::string name;  // the module's name (info->name), when the image got that far
  bool init_failed = false;  // every check passed; the module's own init returned err
  uint32_t init_taints = 0;  // then: the module's taints when init ran (TaintBit mask)
  // False when init ran code whose return the emulator cannot know (init_return.h): every
  // load check passed, and the verdict assumes init returns 0.
  bool init_evaluated = true;
  // Set when the kernel's outcome depends on memory the emulator does not know (see
  // finalize.h): why.  The verdict is the emulator's best; log lines may be missing.
  std::string unmodelled;
  // The module's signature and how module_sig_check() judged it (present: it had a trailer).
  ModuleSignature signature;
};

class EmulatedKernel {
public:
  EmulatedKernel(const Target& target, State state) : target_(target), state_(std::move(state)) {}

  // finit_module(fd, params, flags) on a decompressed image (kmod decompresses first).
  Outcome init_module(std::string_view image, std::string_view params, int flags = 0);
  // delete_module(name, flags).
  Outcome delete_module(std::string_view name, unsigned flags = kDeleteNonblock);

  const State& state() const { return state_; }
  const Target& target() const { return target_; }
  const LoadedModule* find(std::string_view name) const;

private:
  const Target& target_;
  State state_;
};

// /proc/modules, one line per module ("name size refcnt users state 0x0000000000000000 (OE)").
std::string proc_modules(const State& s);
std::string_view state_name(ModState s);  // Live, Loading, Unloading

}  // namespace modforge::loader::kernel
