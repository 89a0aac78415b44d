// A module image after the kernel's ELF checks: the section indices load_info caches
// (info->index.*), the name used in messages, and the lookups load_module makes
// (find_sec, get_modinfo, the symbol table, relocations).  Every read stays in bounds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/kernel/image.h"

namespace modforge::loader::kernel {

struct ModVersion {
  uint64_t crc = 0;
  std::string_view name;
};

class ModuleView {
public:
  explicit ModuleView(std::string_view bytes) : image(bytes) {}

  Image image;
  unsigned idx_info = 0, idx_sym = 0, idx_str = 0, idx_mod = 0, idx_vers = 0;
  bool has_name = false;  // info->name set
  std::string name;       // info->name: .modinfo name=, else struct module's name
  bool sig_ok = false;

  // find_sec(): the first SHF_ALLOC section of that name, or 0.
  unsigned find_sec(std::string_view name) const;
  // find_any_unique_sec() (6.12): index, 0 when absent, -count when repeated.
  int find_any_unique_sec(std::string_view name) const;

  // get_modinfo()/get_next_modinfo() over .modinfo (index idx_info).
  std::optional<std::string_view> modinfo(std::string_view tag) const;
  std::vector<std::string_view> modinfo_all(std::string_view tag) const;

  // struct module's name field in .gnu.linkonce.this_module (char name[56] at offset 24).
  std::string struct_name() const;

  std::size_t num_symbols() const;
  Sym symbol(std::size_t i) const;
  std::string_view symbol_name(const Sym& s) const;

  // __versions entries (empty when idx_vers is 0).
  std::vector<ModVersion> versions() const;

  // The relocation applied at `offset` of section `sec`, if any: its symbol and addend.
  struct Reloc { uint32_t sym = 0; uint32_t type = 0; int64_t addend = 0; };
  std::optional<Reloc> reloc_at(unsigned sec, uint64_t offset) const;
  // The bytes a symbol + addend points at (to the end of its section).
  std::string_view target_bytes(const Sym& s, int64_t addend) const;
};

}  // namespace modforge::loader::kernel
