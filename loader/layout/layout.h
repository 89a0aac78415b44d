// The memory a module takes once loaded, as the kernel computes it from the module's
// sections (kernel/module/main.c layout_sections, kallsyms.c layout_symtab, and the
// allocation that follows): the size /proc/modules prints and sysfs's coresize/initsize.
//
// 6.1 keeps two running sizes (core_layout, init_layout) page-aligned after each class of
// section under CONFIG_STRICT_MODULE_RWX; 6.12 keeps one size per memory type (mem[]) and
// page-aligns each non-empty one when it allocates it.  The version differences are the
// rules of layout_rules.h; the config bits that matter are below.
//
// The input is neutral (LayoutInput): the sections and the symbol-table facts the layout
// reads, as setup_load_info leaves them.  The emulated kernel fills it from its own view of
// the image; layout_input() fills it from a file LLVM reads (the layout-sizes tool, tests).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/elf.h"
#include "core/kernel.h"

namespace modforge::loader::layout {

struct LayoutConfig {
  Kernel version = Kernel::v6_12;
  bool strict_module_rwx = true;   // 6.1: page-align each class of section
  bool kallsyms = true;            // layout_symtab: symtab/strtab kept for kallsyms
  bool kallsyms_all = true;        // every allocated symbol is kept, not only text ones
  bool module_unload = true;       // without it, .exit* sections go to the init part
  bool livepatch = true;           // a livepatch module keeps every symbol
  bool smp = true;                 // .data..percpu is allocated apart (not in the sizes)
  bool data_in_vmalloc = false;    // ARCH_WANTS_MODULES_DATA_IN_VMALLOC (never on x86)
  uint32_t page_size = 4096;
};

// The target's .config text ("CONFIG_X=y" lines; "# CONFIG_X is not set" or absence is
// off).  Options the text does not mention take the kernel's default of off.
LayoutConfig layout_config_from(const std::string& dot_config_text, Kernel);

// How the module is loaded (finit_module flags) where this changes the layout.
struct LoadFlags {
  bool ignore_modversions = false;  // MODULE_INIT_IGNORE_MODVERSIONS: __versions is kept
};

struct ModuleSizes {
  // All core memory: what /proc/modules prints once the module is live (init memory is
  // freed and its size zeroed at the end of do_init_module).
  uint64_t core = 0;
  // The init memory: /proc/modules prints core + init while the module is "Loading".
  uint64_t init = 0;
  // sysfs coresize: core without the data part when data lives in vmalloc (else == core).
  uint64_t coresize = 0;
  // 6.12's mem[] sizes after allocation (MOD_TEXT, MOD_DATA, MOD_RODATA,
  // MOD_RO_AFTER_INIT, MOD_INIT_TEXT, MOD_INIT_DATA, MOD_INIT_RODATA); 6.1 leaves it zero.
  std::array<uint32_t, 7> mem{};
  // The distance in bytes of the closest core page alignment from a page boundary (0 when
  // a size fell exactly on one; UINT32_MAX without any): a small margin means an error of
  // a few bytes in the layout would show in the page-rounded figures.
  uint32_t core_margin = UINT32_MAX;
  // The sizes move_module asks the module area for, in its order: 6.1 module_alloc of
  // core_layout, then of init_layout when not empty; 6.12 module_memory_alloc of each
  // mem[] type laid out non-empty, PAGE_ALIGNed in an unsigned int (so a type laid out
  // past 4 GiB - 4 KiB asks for 0).  Data in vmalloc (never on x86) is not among them.
  std::vector<uint32_t> allocations;
};

// Where layout_sections put an allocated section: its memory region and its offset there.
// Regions are separate allocations: 6.1 core 0, init 1 (data 2 only when data lives in
// vmalloc); 6.12 the mem type (MOD_TEXT ... MOD_INIT_RODATA).  -1: not placed.
struct SectionPlace {
  int region = -1;
  uint32_t offset = 0;
};

struct ModuleLayout {
  ModuleSizes sizes;
  std::vector<SectionPlace> places;  // by section index
};

// A section header as the layout reads it.
struct LayoutSection {
  std::string_view name;
  uint32_t type = 0;
  uint64_t flags = 0, size = 0, addralign = 0;
};

// A symbol as layout_symtab counts it.
struct LayoutSymbol {
  uint32_t shndx = 0;      // st_shndx as stored (reserved values kept)
  bool named = false;      // st_name != 0
  uint32_t name_bytes = 1; // strlen(strtab + st_name) + 1: name_bytes() below
};

struct LayoutInput {
  std::vector<LayoutSection> sections;  // by index; 0 is the null section
  // setup_load_info's indices (0: none): the symbol table and its string table; .modinfo
  // and __versions (none under MODULE_INIT_IGNORE_MODVERSIONS), which
  // rewrite_section_headers takes out of memory.
  unsigned sym = 0, str = 0, info = 0, vers = 0;
  bool livepatch = false;  // .modinfo says livepatch (mod->klp): every symbol is kept
  // The symbol table's entries (sh_size / sizeof(Elf64_Sym) of them).
  std::vector<LayoutSymbol> symbols;
};

// layout_symtab's strlen(&strtab[st_name]) + 1 for a name at `at` of `image` (the kernel
// reads to the NUL whatever the string table's size; past the image the name is "").
uint32_t name_bytes(std::string_view image, uint64_t at);

// The input from a file LLVM reads: setup_load_info's choices made the version's way.
LayoutInput layout_input(const elf::ElfFile&, const LayoutConfig&, const LoadFlags& = {});

ModuleLayout module_layout(const LayoutInput&, const LayoutConfig&);

// module_layout(layout_input(...)).sizes.  Never fails on a file ElfFile accepted:
// out-of-range names count as the kernel would read them, bounded by the file.
ModuleSizes module_sizes(const elf::ElfFile&, const LayoutConfig&, const LoadFlags& = {});

}  // namespace modforge::loader::layout
