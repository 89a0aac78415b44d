// What differs between the 6.1 and 6.12 layout of a module's memory, as data: one table
// per version (layout_rules.cc), selected by layout_rules().
#pragma once
#include "core/kernel.h"

namespace modforge::loader::layout {

struct LayoutRules {
  // How the allocated sections are grouped: 6.1 keeps two running sizes (core_layout,
  // init_layout), page-aligned after each class of section under CONFIG_STRICT_MODULE_RWX;
  // 6.12 one size per memory type (mem[]), each page-aligned when it is allocated.
  enum class Memory { core_and_init, memory_types } memory;
  // layout_symtab's is_core_symbol on a section layout_sections left unplaced: 6.1 reads
  // its ~0UL as having INIT_OFFSET_MASK (an init section); 6.12 reads its type bits as 15,
  // not an init type.
  bool unplaced_is_init;
  // The .modinfo setup_load_info reads: 6.1 find_sec (the first SHF_ALLOC one); 6.12 the
  // unique one whatever its flags (elf_validity_cache_index_info).
  bool modinfo_any_flags;
};

const LayoutRules& layout_rules(Kernel k);

}  // namespace modforge::loader::layout
