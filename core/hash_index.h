// An open-addressing hash index of values that carry their own string key (a symbol and
// its name, say), hashed with xxHash.  A slot is a 32-bit hash and the value: no key copy.
// V must be a pointer-like type whose default value means "empty".
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include <xxhash.h>

namespace modforge {

template <typename V, typename KeyOf>
class HashIndex {
public:
  // The table grows when it would be fuller than max_load_percent: 50 keeps probes short,
  // a higher value trades a few probes for memory.
  explicit HashIndex(std::size_t capacity_hint = 1024, unsigned max_load_percent = 50)
      : max_load_percent_(max_load_percent) {
    rehash(round_up(capacity_hint * 100 / max_load_percent_));
  }

  const V* find(std::string_view key) const {
    const std::uint32_t h = hash(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (!s.value) return nullptr;
      if (s.hash == h && KeyOf()(s.value) == key) return &s.value;
    }
  }

  // Inserts v, or replaces the value with the same key.
  void put(V v) {
    if ((size_ + 1) * 100 > slots_.size() * max_load_percent_) rehash(slots_.size() * 2);
    const std::string_view key = KeyOf()(v);
    const std::uint32_t h = hash(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.value) {
        s = Slot{h, v};
        ++size_;
        return;
      }
      if (s.hash == h && KeyOf()(s.value) == key) {
        s.value = v;
        return;
      }
    }
  }

  std::size_t size() const { return size_; }

private:
  struct Slot {
    std::uint32_t hash = 0;
    V value{};
  };
  static std::uint32_t hash(std::string_view k) {
    return static_cast<std::uint32_t>(XXH3_64bits(k.data(), k.size()));
  }
  static std::size_t round_up(std::size_t n) {
    std::size_t p = 16;
    while (p < n) p <<= 1;
    return p;
  }
  void rehash(std::size_t n) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    size_ = 0;
    for (Slot& s : old)
      if (s.value) put(s.value);
  }

  unsigned max_load_percent_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace modforge
