#include "loader/kernel/rules.h"

#include <array>
#include <cstdlib>

namespace modforge::loader::kernel {

namespace {

// 6.1: check_modinfo (with the taints) in layout_and_allocate, then the allocation, then
// add_unformed_module; the special names after find_module_sections.
constexpr std::array k61Steps{
    Step::check_modinfo,        Step::enforce_rwx,   Step::allocate,          Step::check_exists,
    Step::sig_taint,            Step::find_module_sections, Step::special_names, Step::check_export_crcs,
};
// 6.12: early_mod_check (check_modinfo, the name), layout_and_allocate,
// add_unformed_module, then module_augment_kernel_taints.
constexpr std::array k612Steps{
    Step::check_modinfo,  Step::check_exists,   Step::enforce_rwx,          Step::allocate,
    Step::check_exists,   Step::augment_taints, Step::find_module_sections, Step::check_export_crcs,
};

constexpr int kMemText = 0, kMemRodata = 2, kMemRoAfterInit = 3, kMemInitText = 4, kMemInitRodata = 6;
constexpr std::array k612Zeroed{kMemText, kMemRodata, kMemRoAfterInit, kMemInitText, kMemInitRodata};

constexpr Rules k61{
    .name = "6.1",
    .split_elf_validity = false,
    .early_steps = k61Steps,
    .taints_in_check_modinfo = true,
    .alloc_checks_modules_len = true,
    .alloc_vmalloc_warns = true,
    .alloc_failure_line = "",
    .reloc_overflow_first = false,
    .reloc_invalid_target = "Skipping invalid",
    .returns_decode_warn_at = "arch/x86/kernel/alternative.c:815",
    .returns_thunk_warn_at = "arch/x86/kernel/alternative.c:823",
    .orc_warn_at = "arch/x86/kernel/unwind_orc.c:250",
    .ftrace_fault_warn_at = "arch/x86/kernel/ftrace.c:88",
    .ftrace_mismatch_warn_at = "arch/x86/kernel/ftrace.c:95",
    .ftrace_bug_warn_at = "kernel/trace/ftrace.c:2161",
    .ftrace_bug_reason = " (0)  ",
    .unpatched_thunk_warn_at = "",
    .zeroed_memory_types = {},
    .btf_check = false,
    .dyndbg_flags = "pmflt_",
};

constexpr Rules k612{
    .name = "6.12",
    .split_elf_validity = true,
    .early_steps = k612Steps,
    .taints_in_check_modinfo = false,
    .alloc_checks_modules_len = false,
    .alloc_vmalloc_warns = false,
    // execmem_alloc's vmalloc fails quietly (__GFP_NOWARN): only execmem's own line
    .alloc_failure_line = "execmem: unable to allocate memory",
    .reloc_overflow_first = true,
    .reloc_invalid_target = "Invalid",
    .returns_decode_warn_at = "arch/x86/kernel/alternative.c:1008",
    .returns_thunk_warn_at = "arch/x86/kernel/alternative.c:1016",
    .orc_warn_at = "arch/x86/kernel/unwind_orc.c:296",
    .ftrace_fault_warn_at = "arch/x86/kernel/ftrace.c:93",
    .ftrace_mismatch_warn_at = "arch/x86/kernel/ftrace.c:100",
    .ftrace_bug_warn_at = "kernel/trace/ftrace.c:2235",
    .ftrace_bug_reason = " (0)    ",
    .unpatched_thunk_warn_at = "arch/x86/kernel/cpu/bugs.c:3524",
    .zeroed_memory_types = k612Zeroed,
    .btf_check = true,
    .dyndbg_flags = "pmfslt_",
};

}  // namespace

const Rules& rules_for(Kernel k) {
  return per_kernel(k, k61, k612);
}

}  // namespace modforge::loader::kernel
