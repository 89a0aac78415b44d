#include "modpost/symsearch.h"

#include <algorithm>
#include <llvm/BinaryFormat/ELF.h>
#include <tuple>

namespace modforge::modpost {

namespace ELF = llvm::ELF;

namespace {
// ElfFile keeps reserved st_shndx values as they are, and resolves SHN_XINDEX to a real
// index; a reserved-looking value names a real section only past 0xff00 sections.
bool reserved_index(const elf::ElfFile& elf, uint32_t index) {
  return index >= ELF::SHN_LORESERVE && index <= ELF::SHN_HIRESERVE && index >= elf.sections().size();
}
}  // namespace

uint32_t symbol_section(const elf::ElfFile& elf, const elf::Symbol& sym) {
  uint32_t index = sym.section_index;
  if (reserved_index(elf, index)) return index - ELF::SHN_HIRESERVE - 1;  // wraps to 0xffffff00..
  return index;
}

bool has_special_section(const elf::ElfFile& elf, const elf::Symbol& sym) {
  return reserved_index(elf, sym.section_index) && sym.section_index != ELF::SHN_XINDEX;
}

std::string_view section_name(const elf::ElfFile& elf, uint32_t index) {
  return index < elf.sections().size() ? elf.sections()[index].name : std::string_view();
}

bool is_named_symbol_612(std::string_view name) {
  if (name.empty()) return false;
  if (name.starts_with(".L") || name.starts_with("L0")) return false;
  return name[0] != '$';
}

bool is_named_symbol_61(std::string_view name) {
  if (name.empty()) return false;
  const bool arm_mapping = name.size() >= 2 && name[0] == '$' &&
                           (name[1] == 'a' || name[1] == 'd' || name[1] == 't' || name[1] == 'x') &&
                           (name.size() == 2 || name[2] == '.');
  return !arm_mapping;
}

SymbolSearch::SymbolSearch(const elf::ElfFile& elf) : symbols_(elf.symbols()) {
  for (const elf::Symbol& s : symbols_)
    if (is_named_symbol_612(s.name)) table_.push_back({symbol_section(elf, s), s.index, s.value});
  // x86-64 only: no Thumb bit to clear from function addresses
  std::sort(table_.begin(), table_.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.section, a.addr, a.symbol) < std::tie(b.section, b.addr, b.symbol);
  });
  for (size_t i = 1; i < table_.size(); ++i)
    if (table_[i].addr == table_[i - 1].addr && table_[i].section == table_[i - 1].section)
      table_[i].symbol = table_[i - 1].symbol;
}

const elf::Symbol* SymbolSearch::nearest(uint64_t addr, uint32_t secndx, bool allow_above,
                                         uint64_t max_distance) const {
  // first entry past (secndx, addr, any symbol)
  auto it = std::upper_bound(table_.begin(), table_.end(), std::pair{secndx, addr},
                             [](const std::pair<uint32_t, uint64_t>& key, const Entry& e) {
                               return std::tie(key.first, key.second) < std::tie(e.section, e.addr);
                             });
  const elf::Symbol* result = nullptr;
  if (allow_above && it != table_.end() && it->section == secndx && it->addr - addr <= max_distance) {
    max_distance = it->addr - addr;
    result = &symbols_[it->symbol];
  }
  if (it != table_.begin()) {
    const Entry& below = *(it - 1);
    if (below.section == secndx && addr - below.addr <= max_distance) result = &symbols_[below.symbol];
  }
  return result;
}

}  // namespace modforge::modpost
