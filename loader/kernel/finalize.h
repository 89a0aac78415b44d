// What load_module does to the module's code after relocating it and before the module
// is formed, where the kernel prints: x86 module_finalize's apply_returns (every
// .return_sites entry must point at a `jmp __x86_return_thunk`; each is rewritten to
// "ret; int3..." as under qemu's CPU, which wants no return thunk) and
// ftrace_module_init (every __mcount_loc entry must point at a `call __fentry__`, which
// becomes a 5-byte NOP; a mismatch is an ftrace bug that disables ftrace for the boot).
// Their WARN blocks are written as the kernel's first lines: "cut here", the message, and
// "WARNING: CPU: 0 PID: <pid> at FILE:LINE FUNC+<off>" (the process id and the code offset
// differ on every machine); the register dump and call trace are not.
//
// The emulator knows the module's own memory; when a check would read elsewhere (vmlinux,
// another module, a VEX-encoded instruction), the outcome is
// not modelled: the reason is returned and the rest of that check is skipped.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "loader/kernel/kernel.h"
#include "loader/kernel/log.h"
#include "loader/kernel/module_memory.h"
#include "loader/kernel/module_view.h"
#include "loader/kernel/relocate.h"

namespace modforge::loader::kernel {

// module_finalize's apply_returns; returns "" or why the outcome is not modelled.
// `patched`: the return sites it rewrote.
std::string apply_returns(const ModuleView& m, const RelocInput& in, const Rules& r, ModuleMemory& mem, State& st,
                          Log& log, std::vector<uint64_t>& patched);

// 6.12's __x86_return_thunk warns, once per boot, when a return apply_returns left
// unpatched runs.  Whether running the function at `entry` does, following the direct
// calls and tail jumps (call/jmp rel32 to the start of one of the module's `functions`)
// from it and from the functions they reach (`functions` sorted by address): `yes` when the entry function has such a
// return and no patched one (every way out of it is unpatched), `unknown` when it has both
// (which one runs depends on its branches) or when a function it reaches has one (whether
// that call runs, and which of the callee's returns, depends on the code's branches),
// `no` otherwise.  Indirect calls are not followed.
enum class ThunkRun { no, yes, unknown };
struct Function {
  uint64_t addr = 0, size = 0;
};
ThunkRun runs_unpatched_return(ModuleMemory& mem, std::span<const Function> functions, uint64_t entry,
                               const std::vector<uint64_t>& patched);
// The WARN it prints (r.unpatched_thunk_warn_at set).
void warn_unpatched_thunk(const Rules& r, State& st, Log& log);

// The end of module_finalize: unwind_module_init's WARN_ON_ONCE on .orc_unwind_ip and
// .orc_unwind sizes that do not describe the same number of entries.
void unwind_module_init(const ModuleView& m, const Rules& r, State& st, Log& log);

// ftrace_module_init (after module_finalize); "" or why not modelled.
std::string ftrace_module_init(const ModuleView& m, const RelocInput& in, const Rules& r, ModuleMemory& mem, State& st,
                               Log& log);

}  // namespace modforge::loader::kernel
