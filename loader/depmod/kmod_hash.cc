#include "loader/depmod/kmod_hash.h"

#include <cstring>

namespace modforge::loader::depmod {

uint32_t kmod_superfast_hash(std::string_view key) {
  const char* k = key.data();
  uint32_t len = static_cast<uint32_t>(key.size());
  uint32_t hash = len, tmp;
  const uint32_t rem = len & 3;
  auto get16 = [](const char* p) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    return uint32_t{v};
  };
  // kmod reads `char`, signed on x86-64: bytes >= 0x80 are sign-extended.
  auto schar = [](char c) { return static_cast<uint32_t>(static_cast<int32_t>(static_cast<signed char>(c))); };
  for (len /= 4; len > 0; --len) {
    hash += get16(k);
    tmp = (get16(k + 2) << 11) ^ hash;
    hash = (hash << 16) ^ tmp;
    k += 4;
    hash += hash >> 11;
  }
  switch (rem) {
    case 3:
      hash += get16(k);
      hash ^= hash << 16;
      hash ^= schar(k[2]) << 18;
      hash += hash >> 11;
      break;
    case 2:
      hash += get16(k);
      hash ^= hash << 11;
      hash += hash >> 17;
      break;
    case 1:
      hash += schar(*k);
      hash ^= hash << 10;
      hash += hash >> 1;
      break;
  }
  hash ^= hash << 3;
  hash += hash >> 5;
  hash ^= hash << 4;
  hash += hash >> 17;
  hash ^= hash << 25;
  hash += hash >> 6;
  return hash;
}

}  // namespace modforge::loader::depmod
