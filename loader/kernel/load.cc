// load_module() of kernel/module/main.c (6.1 and 6.12): its passes in the kernel's order.
// Each pass lives in the file named beside it (load_passes.h lists them); what differs
// between the versions is in rules.cc.  A refusal carries the kernel's errno and log lines.
#include <cerrno>
#include <string>
#include <utility>

#include "loader/kernel/load_passes.h"

namespace modforge::loader::kernel {

namespace {

// The syscall fails with `err` (a negative errno).
Outcome refuse(LoadInfo& li, int err) {
  li.out.err = -err;
  return std::move(li.out);
}

// One of the checks Rules::early_steps orders.
int run_step(LoadInfo& li, Step s) {
  switch (s) {
    case Step::check_modinfo: return check_modinfo(li);
    case Step::check_exists: return check_exists(li);
    case Step::enforce_rwx: return enforce_rwx(li);
    case Step::allocate: return allocate(li);
    case Step::sig_taint: sig_taint(li); return 0;
    case Step::augment_taints: module_augment_kernel_taints(li); return 0;
    case Step::find_module_sections: find_module_sections(li); return 0;
    case Step::special_names: special_names(li, li.tainted(kTaintProprietary)); return 0;
    case Step::check_export_crcs: return check_export_crcs(li);
  }
  return 0;
}

// apply_relocations over the module's memory.
int relocate(LoadInfo& li) { return apply_relocations(li.m, li.reloc, li.rules, *li.memory, li.out.log); }

Outcome load_module(LoadInfo& li, std::string_view params) {
  if (int e = module_sig_check(li)) return refuse(li, e);         // signing.cc
  if (int e = elf_validity_check(li)) return refuse(li, e);       // elf_validity.cc (6.1: + setup_load_info)
  // blacklisted(): the emulated boot has no module_blacklist= parameter.
  if (int e = check_modstruct_version(li)) return refuse(li, e);  // version.cc
  for (Step s : li.rules.early_steps)                             // check_modinfo .. find_module_sections,
    if (int e = run_step(li, s)) return refuse(li, e);            //   in the version's order (rules.cc)
  move_module(li);                                                // allocate.cc: the memory
  if (int e = simplify_symbols(li)) return refuse(li, e);         // symbols.cc
  if (int e = relocate(li)) return refuse(li, e);                 // relocate.cc
  post_relocation(li);                                            // coming.cc: module_finalize, ftrace
  if (int e = verify_exported_symbols(li)) return refuse(li, e);  // exports.cc
  prepare_coming_module(li);                                      // coming.cc: 6.12's BTF check
  if (int e = parse_args(li, params)) return refuse(li, e);       // coming.cc, params.cc
  if (int e = do_init_module(li)) return refuse(li, e);           // coming.cc: the module's init
  list_module(li);                                                // coming.cc: MODULE_STATE_LIVE
  return std::move(li.out);
}

}  // namespace

Outcome EmulatedKernel::init_module(std::string_view image, std::string_view params, int flags) {
  if (flags & ~(kIgnoreModversions | kIgnoreVermagic | 4)) {
    Outcome o;
    o.err = EINVAL;
    return o;
  }
  LoadInfo li(target_, state_, image, flags);
  return load_module(li, params);
}

}  // namespace modforge::loader::kernel
