#include "loader/kernel/module_memory.h"

#include <algorithm>

#include <llvm/BinaryFormat/ELF.h>

namespace modforge::loader::kernel {

ModuleMemory::ModuleMemory(const Image& im, const std::vector<uint64_t>& addrs, const std::vector<uint64_t>& flags,
                           uint64_t file_copy_addr, const std::vector<std::pair<uint64_t, uint64_t>>& zero_areas)
    : im_(im) {
  const auto& secs = im.sections();
  for (unsigned i = 1; i < secs.size() && i < addrs.size(); ++i)
    if ((flags[i] & llvm::ELF::SHF_ALLOC) && secs[i].sh_size) ranges_.push_back({addrs[i], secs[i].sh_size, i, {}, false});
  // Regions lie far apart (relocate.h's stride); sections of one region follow each other
  // with at most an alignment gap, so sections closer than 64 KiB share a span.
  std::vector<std::pair<uint64_t, uint64_t>> s;
  for (const Range& r : ranges_) s.push_back({r.addr, r.addr + r.size});
  std::sort(s.begin(), s.end());
  for (const auto& [b, e] : s) {
    if (!spans_.empty() && (b <= spans_.back().second || b - spans_.back().second < (1u << 16)))
      spans_.back().second = std::max(spans_.back().second, e);
    else
      spans_.push_back({b, e});
  }
  for (const auto& z : zero_areas) spans_.push_back(z);
  ranges_.push_back({file_copy_addr, im.len(), 0, {}, false});
  spans_.push_back({file_copy_addr, file_copy_addr + im.len()});
  std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.addr < b.addr; });
}

ModuleMemory::Range* ModuleMemory::find(uint64_t a) {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), a, [](uint64_t x, const Range& r) { return x < r.addr; });
  // Sections may overlap (a hostile size): the nearest start at or below wins, else the
  // one before it if it still covers the address.
  for (int k = 0; k < 2 && it != ranges_.begin(); ++k) {
    --it;
    if (a - it->addr < it->size) return &*it;
  }
  return nullptr;
}

const std::string& ModuleMemory::load(Range& r) {
  if (!r.loaded) {
    if (r.sec == 0) {
      r.bytes = std::string(im_.bytes().substr(0, im_.len()));
    } else {
      const Shdr& sh = im_.sections()[r.sec];
      if (sh.sh_type != llvm::ELF::SHT_NOBITS) r.bytes = std::string(im_.contents(sh));
    }
    r.loaded = true;
  }
  return r.bytes;
}

uint8_t ModuleMemory::byte(uint64_t a) {
  if (auto it = sparse_.find(a); it != sparse_.end()) return it->second;
  Range* r = find(a);
  if (!r) return 0;
  const std::string& b = load(*r);
  return a - r->addr < b.size() ? uint8_t(b[a - r->addr]) : 0;
}

uint64_t ModuleMemory::read(uint64_t addr, unsigned size) {
  // Fast path: inside one section's bytes, with nothing written outside the sections.
  if (sparse_.empty()) {
    if (Range* r = find(addr); r && size && addr - r->addr + size <= load(*r).size() && find(addr + size - 1) == r) {
      uint64_t v = 0;
      for (unsigned k = size; k-- > 0;) v = v << 8 | uint8_t(r->bytes[addr - r->addr + k]);
      return v;
    }
  }
  uint64_t v = 0;
  for (unsigned k = 0; k < size; ++k) v |= uint64_t(byte(addr + k)) << (8 * k);
  return v;
}

void ModuleMemory::write(uint64_t addr, uint64_t v, unsigned size) {
  if (sparse_.empty()) {
    if (Range* r = find(addr); r && size && addr - r->addr + size <= load(*r).size() && find(addr + size - 1) == r) {
      for (unsigned k = 0; k < size; ++k) r->bytes[addr - r->addr + k] = char(uint8_t(v >> (8 * k)));
      return;
    }
  }
  for (unsigned k = 0; k < size; ++k) {
    const uint64_t a = addr + k;
    const uint8_t b = uint8_t(v >> (8 * k));
    sparse_.erase(a);
    Range* r = find(a);
    if (r && a - r->addr < load(*r).size()) r->bytes[a - r->addr] = char(b);
    else sparse_[a] = b;
  }
}

void ModuleMemory::write_bytes(uint64_t addr, std::string_view bytes) {
  for (std::size_t k = 0; k < bytes.size(); ++k) write(addr + k, uint8_t(bytes[k]), 1);
}

bool ModuleMemory::known(uint64_t addr, uint64_t size) const {
  for (const auto& [b, e] : spans_)
    if (addr >= b && addr < e && size <= e - addr) return true;
  return false;
}

}  // namespace modforge::loader::kernel
