// apply_relocations() of kernel/module/main.c with x86-64's apply_relocate_add
// (arch/x86/kernel/module.c): which relocation sections are applied, the relocation types
// refused, the 32-bit overflow checks and the refusal of a target whose bytes are not zero
// (6.1 and 6.12 check in different orders and print different lines).
//
// The module's memory is the sections' file bytes (NOBITS ones zero) at the places the
// kernel's layout gives them, with each applied relocation's value written over them, so a
// later relocation at the same place (or one an earlier write ran into) sees the write.  Addresses are stand-ins (module memory, vmlinux, the temporary copy of
// the file): the kernel prints values only in lines whose addresses differ on every boot,
// and the overflow checks only depend on which area an address lies in.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "loader/kernel/log.h"
#include "loader/kernel/module_memory.h"
#include "loader/kernel/module_view.h"
#include "loader/kernel/rules.h"
#include "loader/layout/layout.h"

namespace modforge::loader::kernel {

struct RelocInput {
  std::string mod_name;  // struct module's name (me->name in the messages)
  // st_value of each symbol after simplify_symbols, by symbol index.
  std::vector<uint64_t> sym_values;
  // Section flags after layout (.modinfo/__versions/per-cpu lose SHF_ALLOC, the symbol
  // and string tables gain it), by section index.
  std::vector<uint64_t> sec_flags;
  std::vector<uint64_t> sec_addrs;  // sh_addr after move_module, by section index
  // vmlinux symbols the code patching recognises, at fixed stand-in addresses
  static constexpr uint64_t kFentry = 0xffffffff81000100ull;       // __fentry__ (MCOUNT_ADDR)
  static constexpr uint64_t kReturnThunk = 0xffffffff81000200ull;  // __x86_return_thunk
};

// Stand-in addresses the emulated kernel gives: vmlinux's symbols, other modules' symbols,
// the module's own memory, the temporary copy of the file, the module's per-cpu area.
constexpr uint64_t kVmlinuxAddr = 0xffffffff81000000ull;
constexpr uint64_t kOtherModuleAddr = 0xffffffffc0100000ull;
constexpr uint64_t kModuleAddr = 0xffffffffc1000000ull;
constexpr uint64_t kRegionStride = 0x8000000ull;   // apart from each other, as vmalloc areas are
constexpr uint64_t kFileCopyAddr = 0xffffc90000100000ull;
constexpr uint64_t kPercpuAddr = 0x3a000ull;

// Fills sec_flags and sec_addrs from the image as layout_and_allocate leaves them
// (m.idx_info/idx_vers/idx_sym/idx_str set; `pcpu` the per-cpu section or 0), at the
// layout's places (by section index; when the layout could not be computed, the allocated
// sections follow each other in one region).
void place_sections(const ModuleView& m, unsigned pcpu, const std::vector<layout::SectionPlace>& places, RelocInput& in);

// 0 or a negative errno; the lines the kernel prints go to `log`.  `mem` is the module's
// memory at in.sec_addrs (kFileCopyAddr for the file copy); the relocations write to it.
int apply_relocations(const ModuleView& m, const RelocInput& in, const Rules& r, ModuleMemory& mem, Log& log);

}  // namespace modforge::loader::kernel
