#include "core/crc32.h"

#include <zlib.h>

namespace modforge {

void SymCrc::add(std::string_view bytes) {
  reg_ = ~static_cast<std::uint32_t>(
      crc32_z(~reg_ & 0xffffffffu, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::uint32_t sym_crc(std::string_view bytes) {
  SymCrc c;
  c.add(bytes);
  return c.value();
}

}  // namespace modforge
