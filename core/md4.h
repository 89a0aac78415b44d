// MD4 (RFC 1320).  modpost's srcversion uses a variant: sumversion.c converts each 64-byte
// block with ntohl() where it means le32_to_cpu(), so on a little-endian host the message
// words are read big-endian (the length words and the digest stay little-endian).  Both
// forms are here, chosen by the word order of the message blocks.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace modforge {

class Md4 {
public:
  enum class BlockWords {
    little_endian,  // RFC 1320
    big_endian,     // sumversion.c on x86-64
  };
  using Digest = std::array<uint8_t, 16>;

  explicit Md4(BlockWords order = BlockWords::little_endian) : order_(order) {}

  void update(std::string_view data);
  void update(char c) {
    block_[fill_++] = static_cast<uint8_t>(c);
    ++length_;
    if (fill_ == block_.size()) compress_block();
  }
  // Pads, compresses the last block(s) and returns the digest; the object is spent.
  Digest finish();

  // Lower-case hex of a digest (what `openssl dgst -md4` prints).
  static std::string hex(const Digest& digest);

private:
  void compress_block();

  BlockWords order_;
  std::array<uint32_t, 4> state_{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
  std::array<uint8_t, 64> block_{};
  std::size_t fill_ = 0;
  uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace modforge
