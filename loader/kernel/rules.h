// What differs between the 6.1 and 6.12 load_module, as data: one table per version
// (rules.cc), selected by rules_for().  Code that behaves differently per version reads a
// field here rather than comparing versions.
#pragma once
#include <span>
#include <string_view>

#include "core/kernel.h"

namespace modforge::loader::kernel {

// The checks between the ELF checks and simplify_symbols, named as the kernel names them;
// their order is the version's (early_mod_check, layout_and_allocate, add_unformed_module,
// find_module_sections).  Each is run by load.cc's run_step.
enum class Step {
  check_modinfo,          // vermagic, livepatch (6.1: and the taints)
  check_exists,           // module_patient_check_exists / add_unformed_module: the name is free
  enforce_rwx,            // module_enforce_rwx_sections
  allocate,               // move_module's allocation
  sig_taint,              // TAINT_UNSIGNED_MODULE (6.1, after add_unformed_module)
  augment_taints,         // 6.12 module_augment_kernel_taints (with sig_taint and special names)
  find_module_sections,   // __obsparm, the module's exports
  special_names,          // 6.1: ndiswrapper, driverloader, lve
  check_export_crcs,      // check_export_symbol_versions
};

struct Rules {
  std::string_view name;  // "6.1" / "6.12", as the state file's target line names it

  // elf_validity_check: 6.12 split it into elf_validity_cache_*: section names checked for
  // every non-NULL section (6.1: SHF_ALLOC ones), SHT_STRTAB type checks, unique .modinfo
  // and .gnu.linkonce.this_module, the this_module size, exactly one symbol table; 6.1
  // then runs setup_load_info.
  bool split_elf_validity;
  std::span<const Step> early_steps;
  // 6.1 adds the module's origin, livepatch and licence taints in check_modinfo; 6.12 in
  // module_augment_kernel_taints, after the module is listed.
  bool taints_in_check_modinfo;
  // move_module's allocations in the module area (allocate.cc).  6.1's x86 module_alloc
  // refuses a size past MODULES_LEN quietly before it asks vmalloc; 6.12's execmem_alloc
  // asks vmalloc whatever the size.
  bool alloc_checks_modules_len;
  // vmalloc's own warnings when the area has no room: 6.1 asks with GFP_KERNEL, so it
  // prints them (with a stack dump, not modelled); 6.12 adds __GFP_NOWARN.
  bool alloc_vmalloc_warns;
  std::string_view alloc_failure_line;  // what a failed vmalloc then prints ("": nothing)

  // apply_relocate_add: 6.1 checks the target is zero before the overflow (which it
  // checks after writing); 6.12 checks the value first.
  bool reloc_overflow_first;
  std::string_view reloc_invalid_target;  // "Skipping invalid" / "Invalid" relocation target

  // WARN locations (FILE:LINE) of module_finalize and ftrace_module_init.
  std::string_view returns_decode_warn_at;    // apply_returns: undecodable return site
  std::string_view returns_thunk_warn_at;     // apply_returns: missing return thunk
  std::string_view orc_warn_at;               // unwind_module_init
  std::string_view ftrace_fault_warn_at;      // ftrace_verify_code: unreadable site
  std::string_view ftrace_mismatch_warn_at;   // ftrace_verify_code: not a call __fentry__
  std::string_view ftrace_bug_warn_at;        // ftrace_bug
  std::string_view ftrace_bug_reason;         // ftrace_bug's " (0)" line, with its padding
  // __warn_thunk's WARN when a return apply_returns left unpatched runs ("": 6.1 has none).
  std::string_view unpatched_thunk_warn_at;

  // MOD_* memory types move_module zeroed after their sections (6.12's text and read-only
  // types hold nothing else); 6.1's allocations end with the kallsyms tables.
  std::span<const int> zeroed_memory_types;
  // prepare_coming_module's module BTF check (6.1's modules carry no .BTF).
  bool btf_check;
  // lib/dynamic_debug.c: the flag letters a dyndbg query accepts.
  std::string_view dyndbg_flags;
};

const Rules& rules_for(Kernel k);

}  // namespace modforge::loader::kernel
