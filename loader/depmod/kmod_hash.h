// The order in which kmod's hash table (libkmod's hash.c) hands out its entries: bucket by
// bucket (Paul Hsieh's SuperFastHash of the key, masked to the power-of-two bucket count),
// each bucket sorted by strcmp.  depmod writes modules.symbols in this order and builds its
// module array from it, so the same order is needed for identical output.
#pragma once
#include <cstdint>
#include <string_view>

namespace modforge::loader::depmod {

uint32_t kmod_superfast_hash(std::string_view key);

// The bucket of `key` in kmod's table of `n_buckets` (a power of two); entries of one
// bucket come out in strcmp order.
inline uint32_t kmod_hash_bucket(std::string_view key, uint32_t n_buckets) {
  return kmod_superfast_hash(key) & (n_buckets - 1);
}

}  // namespace modforge::loader::depmod
