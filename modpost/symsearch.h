// Symbol look-ups that modpost's section-mismatch walk and 6.12's export check share:
// the section index a symbol counts under, which names count as symbols, and 6.12's
// nearest-symbol table (scripts/mod/symsearch.c).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/elf.h"

namespace modforge::modpost {

// get_secindex(): the symbol's section, with the reserved indices (SHN_ABS,
// SHN_COMMON, ...) moved to the top of the 32-bit range so they never equal a real
// section's index.
uint32_t symbol_section(const elf::ElfFile& elf, const elf::Symbol& sym);
// is_shndx_special(): a reserved index other than SHN_XINDEX (6.1 skips those targets).
bool has_special_section(const elf::ElfFile& elf, const elf::Symbol& sym);
// sec_name(): the name of section `index`, "" when there is no such section.
std::string_view section_name(const elf::ElfFile& elf, uint32_t index);

// is_valid_name() of 6.12: not empty and not a mapping/local label (".L*", "L0*", "$*").
bool is_named_symbol_612(std::string_view name);
// is_valid_name() of 6.1: not empty and not an ARM mapping symbol ("$a", "$d.x", ...).
bool is_named_symbol_61(std::string_view name);

// 6.12's table of named symbols sorted by (section, address, symbol index), built once
// per object; among symbols sharing a section and address the first in .symtab stands
// for all of them, whichever side a search comes from.
class SymbolSearch {
public:
  explicit SymbolSearch(const elf::ElfFile& elf);

  // symsearch_find_nearest(): the named symbol of section `secndx` nearest to `addr`:
  // the last at or below it within `max_distance`, else (if allow_above) the first
  // above it within `max_distance`; a tie goes to the lower address.  nullptr if none.
  const elf::Symbol* nearest(uint64_t addr, uint32_t secndx, bool allow_above, uint64_t max_distance) const;
  // find_fromsym(): the symbol a reference at `addr` of section `secndx` lies in.
  const elf::Symbol* containing(uint64_t addr, uint32_t secndx) const {
    return nearest(addr, secndx, false, ~uint64_t{0});
  }

private:
  struct Entry {
    uint32_t section;
    uint32_t symbol;
    uint64_t addr;
  };
  std::span<const elf::Symbol> symbols_;
  std::vector<Entry> table_;
};

}  // namespace modforge::modpost
