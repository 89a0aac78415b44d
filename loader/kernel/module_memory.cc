#include "loader/kernel/module_memory.h"

#include <algorithm>
#include <cstring>

#include <llvm/BinaryFormat/ELF.h>

namespace modforge::loader::kernel {

ModuleMemory::ModuleMemory(const Image& im, const std::vector<uint64_t>& addrs, const std::vector<uint64_t>& flags,
                           uint64_t file_copy_addr, const std::vector<std::pair<uint64_t, uint64_t>>& zero_areas)
    : im_(im) {
  const auto& secs = im.sections();
  for (unsigned i = 1; i < secs.size() && i < addrs.size(); ++i)
    if ((flags[i] & llvm::ELF::SHF_ALLOC) && secs[i].sh_size) ranges_.push_back({addrs[i], secs[i].sh_size, i, {}, {}, false, false});
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
  ranges_.push_back({file_copy_addr, im.len(), 0, {}, {}, false, false});
  spans_.push_back({file_copy_addr, file_copy_addr + im.len()});
  std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.addr < b.addr; });
}

ModuleMemory::Range* ModuleMemory::find(uint64_t a) {
  // The first range starting after `a`: relocations and patches come in runs within one
  // section, so the last answer is tried before the binary search.
  std::size_t k;
  if (hint_ < ranges_.size() && ranges_[hint_].addr <= a && (hint_ + 1 == ranges_.size() || ranges_[hint_ + 1].addr > a))
    k = hint_ + 1;
  else
    k = static_cast<std::size_t>(
        std::upper_bound(ranges_.begin(), ranges_.end(), a, [](uint64_t x, const Range& r) { return x < r.addr; }) -
        ranges_.begin());
  if (k > 0) hint_ = k - 1;
  // Sections may overlap (a hostile size): the nearest start at or below wins, else the
  // one before it if it still covers the address.
  for (int j = 0; j < 2 && k > 0; ++j) {
    --k;
    if (a - ranges_[k].addr < ranges_[k].size) return &ranges_[k];
  }
  return nullptr;
}

std::string_view ModuleMemory::load(Range& r) {
  if (!r.loaded) {
    if (r.sec == 0) {
      r.bytes = im_.bytes().substr(0, im_.len());
    } else {
      const Shdr& sh = im_.sections()[r.sec];
      if (sh.sh_type != llvm::ELF::SHT_NOBITS) r.bytes = im_.contents(sh);
    }
    r.loaded = true;
  }
  return r.bytes;
}

char* ModuleMemory::writable(Range& r) {
  load(r);
  if (!r.owned) {
    r.own = std::string(r.bytes);
    r.bytes = r.own;
    r.owned = true;
  }
  return r.own.data();
}

uint8_t ModuleMemory::byte(uint64_t a) {
  if (auto it = sparse_.find(a); it != sparse_.end()) return it->second;
  Range* r = find(a);
  if (!r) return 0;
  const std::string_view b = load(*r);
  return a - r->addr < b.size() ? uint8_t(b[a - r->addr]) : 0;
}

// Whether [addr, addr + size) lies in `r`'s bytes, every byte of it found in `r`.
bool ModuleMemory::in_one_range(Range* r, uint64_t addr, unsigned size) {
  if (!r || !size || addr - r->addr + size > load(*r).size()) return false;
  const uint64_t last = addr + size - 1;
  // No range starts after r and at or before `last`: r is the nearest start below it.
  if (r + 1 == ranges_.data() + ranges_.size() || r[1].addr > last) return true;
  return find(last) == r;
}

uint64_t ModuleMemory::read(uint64_t addr, unsigned size) {
  // Fast path: inside one section's bytes, with nothing written outside the sections.
  if (sparse_.empty()) {
    if (Range* r = find(addr); in_one_range(r, addr, size)) {
      const char* p = r->bytes.data() + (addr - r->addr);
      uint64_t v = 0;
      for (unsigned k = size; k-- > 0;) v = v << 8 | uint8_t(p[k]);
      return v;
    }
  }
  uint64_t v = 0;
  for (unsigned k = 0; k < size; ++k) v |= uint64_t(byte(addr + k)) << (8 * k);
  return v;
}

void ModuleMemory::write(uint64_t addr, uint64_t v, unsigned size) {
  if (sparse_.empty()) {
    if (Range* r = find(addr); in_one_range(r, addr, size)) {
      char* p = writable(*r) + (addr - r->addr);
      for (unsigned k = 0; k < size; ++k) p[k] = char(uint8_t(v >> (8 * k)));
      return;
    }
  }
  for (unsigned k = 0; k < size; ++k) {
    const uint64_t a = addr + k;
    const uint8_t b = uint8_t(v >> (8 * k));
    sparse_.erase(a);
    Range* r = find(a);
    if (r && a - r->addr < load(*r).size()) writable(*r)[a - r->addr] = char(b);
    else sparse_[a] = b;
  }
}

void ModuleMemory::write_bytes(uint64_t addr, std::string_view bytes) {
  // Byte by byte as one-byte writes would go, a run at a time while it stays in one range.
  for (std::size_t k = 0; k < bytes.size();) {
    const uint64_t a = addr + k;
    if (sparse_.empty()) {
      Range* r = find(a);
      if (r && a - r->addr < load(*r).size()) {
        // Every byte up to the next range's start (or this one's end) is found in `r` too.
        uint64_t end = r->addr + r->bytes.size();
        if (r + 1 != ranges_.data() + ranges_.size() && r[1].addr > a) end = std::min(end, r[1].addr);
        else if (r + 1 != ranges_.data() + ranges_.size()) end = a + 1;  // overlapping sections: one byte
        const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(end - a, bytes.size() - k));
        std::memcpy(writable(*r) + (a - r->addr), bytes.data() + k, n);
        k += n;
        continue;
      }
    }
    write(a, uint8_t(bytes[k]), 1);
    ++k;
  }
}

bool ModuleMemory::known(uint64_t addr, uint64_t size) const {
  for (const auto& [b, e] : spans_)
    if (addr >= b && addr < e && size <= e - addr) return true;
  return false;
}

}  // namespace modforge::loader::kernel
