#include "loader/kernel/module_view.h"

#include <cstring>

#include <llvm/BinaryFormat/ELF.h>

namespace modforge::loader::kernel {

using namespace llvm::ELF;

unsigned ModuleView::find_sec(std::string_view n) const {
  const auto& s = image.sections();
  for (std::size_t i = 1; i < s.size(); ++i)
    if ((s[i].sh_flags & SHF_ALLOC) && image.section_name(i) == n) return static_cast<unsigned>(i);
  return 0;
}

int ModuleView::find_any_unique_sec(std::string_view n) const {
  const auto& s = image.sections();
  int count = 0, idx = 0;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (image.section_name(i) == n) {
      ++count;
      idx = static_cast<int>(i);
    }
  return count <= 1 ? idx : -count;
}

std::vector<std::string_view> ModuleView::modinfo_all(std::string_view tag) const {
  std::vector<std::string_view> out;
  if (!idx_info || idx_info >= image.shnum()) return out;
  // get_next_modinfo(): strings start inside sh_size (next_string counts the bytes it
  // skips), but each is read to its NUL, past the section's end if need be.
  const Shdr& sec = image.sections()[idx_info];
  std::string_view all = image.range(sec.sh_offset, image.len());
  uint64_t size = sec.sh_size;
  std::size_t pos = 0;
  auto at = [&](std::size_t i) { return i < all.size() ? all[i] : '\0'; };
  while (pos < all.size()) {
    std::string_view str = all.substr(pos);
    str = str.substr(0, str.find('\0'));
    if (str.size() > tag.size() && str.substr(0, tag.size()) == tag && str[tag.size()] == '=')
      out.push_back(str.substr(tag.size() + 1));
    // next_string()
    bool end = false;
    while (!end && at(pos)) { ++pos; end = size-- <= 1; }
    while (!end && !at(pos) && pos < all.size()) { ++pos; end = size-- <= 1; }
    if (end) break;
  }
  return out;
}

std::optional<std::string_view> ModuleView::modinfo(std::string_view tag) const {
  auto all = modinfo_all(tag);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::string ModuleView::struct_name() const {
  if (!idx_mod || idx_mod >= image.shnum()) return {};
  // char name[MODULE_NAME_LEN]: at most 55 characters before the terminating NUL
  std::string_view r = image.range(image.sections()[idx_mod].sh_offset + 24, 55);
  return std::string(r.substr(0, r.find('\0')));
}

std::size_t ModuleView::num_symbols() const {
  if (!idx_sym || idx_sym >= image.shnum()) return 0;
  return image.sections()[idx_sym].sh_size / sizeof(Sym);
}

Sym ModuleView::symbol(std::size_t i) const {
  auto s = image.record<Sym>(image.sections()[idx_sym].sh_offset + i * sizeof(Sym));
  return s ? *s : Sym{};
}

std::string_view ModuleView::symbol_name(const Sym& s) const {
  if (!idx_str || idx_str >= image.shnum()) return {};
  const Shdr& str = image.sections()[idx_str];
  // The kernel reads strtab + st_name without a bound; past the image we read "".
  std::string_view r = image.range(str.sh_offset + s.st_name, 4096);
  return r.substr(0, r.find('\0'));
}

std::vector<ModVersion> ModuleView::versions() const {
  std::vector<ModVersion> out;
  if (!idx_vers || idx_vers >= image.shnum()) return out;
  const Shdr& v = image.sections()[idx_vers];
  const uint64_t n = v.sh_size / 64;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view e = image.range(v.sh_offset + i * 64, 64);
    if (e.size() < 8) break;
    ModVersion m;
    std::memcpy(&m.crc, e.data(), 8);
    std::string_view nm = e.substr(8);
    m.name = nm.substr(0, nm.find('\0'));
    out.push_back(m);
  }
  return out;
}

std::optional<ModuleView::Reloc> ModuleView::reloc_at(unsigned sec, uint64_t offset) const {
  const auto& s = image.sections();
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i].sh_type != SHT_RELA || s[i].sh_info != sec) continue;
    const uint64_t n = s[i].sh_size / sizeof(Rela);
    for (uint64_t k = 0; k < n; ++k) {
      auto r = image.record<Rela>(s[i].sh_offset + k * sizeof(Rela));
      if (!r) break;
      if (r->r_offset == offset)
        return Reloc{r->getSymbol(false), r->getType(false), static_cast<int64_t>(r->r_addend)};
    }
  }
  return std::nullopt;
}

std::string_view ModuleView::target_bytes(const Sym& s, int64_t addend) const {
  if (s.st_shndx == SHN_UNDEF || s.st_shndx >= image.shnum()) return {};
  const Shdr& sec = image.sections()[s.st_shndx];
  const uint64_t off = s.st_value + static_cast<uint64_t>(addend);
  if (off >= sec.sh_size) return {};
  return image.range(sec.sh_offset + off, sec.sh_size - off);
}

}  // namespace modforge::loader::kernel
