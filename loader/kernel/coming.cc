// The end of load_module, once the module's code is relocated: post_relocation (x86
// module_finalize, then ftrace_module_init), prepare_coming_module's notifiers, the
// module's parameters, do_init_module, and the module listed as live.
#include <algorithm>
#include <string>
#include <vector>

#include <llvm/BinaryFormat/ELF.h>

#include "loader/kernel/finalize.h"
#include "loader/kernel/init_return.h"
#include "loader/kernel/load_passes.h"
#include "loader/kernel/module_btf.h"
#include "loader/kernel/params.h"

namespace modforge::loader::kernel {

namespace {

// Whether running the module's function at `addr` (what struct module's init or exit
// points at) returns through a return thunk apply_returns left unpatched.
ThunkRun thunk_run_of(LoadInfo& li, uint64_t addr) {
  if (!li.memory || !function_at(li.m, li.reloc.sym_values, addr)) return ThunkRun::no;
  std::vector<Function> functions;  // the module's defined functions, where they were placed
  for (std::size_t i = 1; i < li.m.num_symbols() && i < li.reloc.sym_values.size(); ++i) {
    const Sym s = li.m.symbol(i);
    if (s.st_shndx != llvm::ELF::SHN_UNDEF && s.getType() == llvm::ELF::STT_FUNC)
      functions.push_back({li.reloc.sym_values[i], s.st_size});
  }
  std::sort(functions.begin(), functions.end(), [](const Function& a, const Function& b) { return a.addr < b.addr; });
  return runs_unpatched_return(*li.memory, functions, addr, li.patched_returns);
}

}  // namespace

void post_relocation(LoadInfo& li) {
  li.out.unmodelled = apply_returns(li.m, li.reloc, li.rules, *li.memory, li.state, li.out.log, li.patched_returns);
  unwind_module_init(li.m, li.rules, li.state, li.out.log);
  std::string why = ftrace_module_init(li.m, li.reloc, li.rules, *li.memory, li.state, li.out.log);
  if (li.out.unmodelled.empty()) li.out.unmodelled = why;
}

// The MODULE_STATE_COMING notifiers: 6.12's BTF check warns, once per boot.
void prepare_coming_module(LoadInfo& li) {
  // A module built for another kernel carries split BTF on that kernel's vmlinux BTF, which
  // the emulator does not have: the kernel's verifier may reject it (its "BPF:" lines and
  // "failed to validate module" are not modelled); the module loads either way.
  if (const auto magic = li.m.modinfo("vermagic"); magic && li.out.unmodelled.empty()) {
    const std::string_view release = magic->substr(0, magic->find(' '));
    bool has_btf = false;
    for (unsigned i = 1; i < li.m.image.shnum() && !has_btf; ++i)
      has_btf = li.m.image.section_name(i) == ".BTF" && li.m.image.sections()[i].sh_size;
    if (has_btf && release != li.target.release)
      li.out.unmodelled = "module BTF built on another kernel's vmlinux BTF (" + std::string(release) +
                          "): the kernel may reject that BTF with verifier lines not modelled here; they never decide the load";
  }
  if (!li.rules.btf_check) return;
  for (unsigned i = 1; i < li.m.image.shnum(); ++i) {
    if (li.m.image.section_name(i) != ".BTF") continue;  // find_any_sec: the first, any flags
    const Shdr& b = li.m.image.sections()[i];
    if (!b.sh_size) return;
    const BtfVerdict v = module_btf_check(li.m.image.contents(b));
    if (v.ok) return;
    if (!v.log.empty()) li.log(kErr, "BPF: " + v.log);
    if (!li.state.warned_btf)
      li.log(kWarn, "Kernel module BTF mismatch detected, BTF debug info may be unavailable for some modules");
    li.state.warned_btf = true;
    return;
  }
}

int parse_args(LoadInfo& li, std::string_view params) {
  ParseResult pr = parse_module_args(li.mod.name, params, read_params(li.m), li.out.log, li.rules);
  if (pr.taint_user) li.add_taint(kTaintUser);
  if (pr.err) return pr.err;
  if (pr.has_dashes) li.log(kWarn, li.mod.name + ": parameters '" + pr.after_dashes + "' after `--' ignored");
  // mod_sysfs_setup() refuses a name /sys/module already holds ("module is already
  // loaded"): built-in parameters' prefixes, which no file a user has lists reliably
  // (modules.builtin.modinfo names KBUILD_MODNAME, sysfs the parameter prefix), so this
  // refusal is not emulated.
  return 0;
}

int do_init_module(LoadInfo& li) {
  // struct module's init and exit, as the relocations of .gnu.linkonce.this_module left them
  const Target& t = li.target;
  InitPointers ptrs{0, 0, &li.reloc.sym_values};
  const uint64_t mod_addr = li.reloc.sec_addrs[li.m.idx_mod];
  if (t.init_offset) ptrs.init = li.memory->read(mod_addr + t.init_offset, 8);
  if (t.exit_offset) ptrs.exit = li.memory->read(mod_addr + t.exit_offset, 8);
  InitInfo init = init_info(li.m, t.init_offset && t.exit_offset ? &ptrs : nullptr);
  li.mod.has_init = init.has_init;
  li.mod.has_exit = init.has_exit;
  li.out.init_evaluated = !init.has_init || init.evaluated;
  if (!li.rules.unpatched_thunk_warn_at.empty()) {
    // init runs now (its return may go through the unpatched thunk); exit runs at rmmod
    const ThunkRun at_init = init.has_init ? thunk_run_of(li, ptrs.init) : ThunkRun::no;
    const ThunkRun at_exit = init.has_exit ? thunk_run_of(li, ptrs.exit) : ThunkRun::no;
    if ((at_init == ThunkRun::unknown || at_exit == ThunkRun::unknown) && li.out.unmodelled.empty())
      li.out.unmodelled = "an unpatched return that runs or not depending on the code's branches";
    if (at_init == ThunkRun::yes) warn_unpatched_thunk(li.rules, li.state, li.out.log);
    li.mod.exit_warns_thunk = at_exit == ThunkRun::yes;
  }
  if (init.ret < 0) {
    li.out.init_failed = true;
    li.out.init_taints = li.mod.taints;
    return init.ret;
  }
  if (init.ret > 0) {
    // followed by dump_stack()'s lines, which depend on the running machine
    li.log(kWarn, "do_init_module: '" + li.mod.name + "'->init suspiciously returned " + std::to_string(init.ret) +
                      ", it should follow 0/-E convention");
    li.log(kWarn, "do_init_module: loading module anyway...");
  }
  return 0;
}

void list_module(LoadInfo& li) {
  li.mod.core_size = li.layout.sizes.core;
  li.mod.init_size = li.layout.sizes.init;
  li.mod.state = ModState::live;
  for (const std::string& u : li.pending_uses) {
    li.mod.uses.push_back(u);
    for (LoadedModule& o : li.state.modules)
      if (o.name == u) o.holders.insert(o.holders.begin(), li.mod.name);
  }
  li.state.modules.insert(li.state.modules.begin(), std::move(li.mod));
}

}  // namespace modforge::loader::kernel
