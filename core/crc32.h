// The CRC-32 that genksyms computes over the expanded text of a symbol.
#pragma once
#include <cstdint>
#include <string_view>

namespace modforge {

// genksyms: register starts at 0xffffffff, is fed byte by byte (reflected CRC-32, the zlib
// polynomial) and is inverted once at the end.  zlib inverts on entry and on exit of every
// call, so an un-inverted register is carried between calls.
class SymCrc {
public:
  void add(std::string_view bytes);
  std::uint32_t value() const { return reg_ ^ 0xffffffffu; }

private:
  std::uint32_t reg_ = 0xffffffffu;
};

// The CRC of one whole string, as genksyms' crc32() returns it.
std::uint32_t sym_crc(std::string_view bytes);

}  // namespace modforge
