#include "core/md4.h"

#include <bit>
#include <cstring>

namespace modforge {
namespace {

// The three auxiliary functions of RFC 1320, section 3.4.
constexpr uint32_t select_bits(uint32_t x, uint32_t y, uint32_t z) { return z ^ (x & (y ^ z)); }
constexpr uint32_t majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | (z & (x | y)); }
constexpr uint32_t parity(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }

uint32_t load_le(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint32_t load_be(const uint8_t* p) {
  return uint32_t(p[3]) | uint32_t(p[2]) << 8 | uint32_t(p[1]) << 16 | uint32_t(p[0]) << 24;
}

}  // namespace

void Md4::update(std::string_view data) {
  while (!data.empty()) {
    std::size_t take = std::min(block_.size() - fill_, data.size());
    std::memcpy(block_.data() + fill_, data.data(), take);
    fill_ += take;
    length_ += take;
    data.remove_prefix(take);
    if (fill_ == block_.size()) compress_block();
  }
}

void Md4::compress_block() {
  uint32_t x[16];
  for (int i = 0; i < 16; ++i)
    x[i] = order_ == BlockWords::little_endian ? load_le(&block_[4 * i]) : load_be(&block_[4 * i]);
  fill_ = 0;

  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  // Each round cycles the target register through a, d, c, b; the function always takes
  // the three registers that follow the target in a, b, c, d order.  Only the message word
  // picked, the added constant and the shifts change between rounds.
  auto round = [&](auto fn, uint32_t k, const int (&shift)[4], auto word_of) {
    for (int step = 0; step < 16; ++step) {
      uint32_t* cycle[4] = {&a, &d, &c, &b};
      uint32_t& target = *cycle[step % 4];
      uint32_t& next1 = *cycle[(step + 3) % 4];
      uint32_t& next2 = *cycle[(step + 2) % 4];
      uint32_t& next3 = *cycle[(step + 1) % 4];
      target = std::rotl(target + fn(next1, next2, next3) + x[word_of(step)] + k, shift[step % 4]);
    }
  };
  static constexpr int s1[4] = {3, 7, 11, 19}, s2[4] = {3, 5, 9, 13}, s3[4] = {3, 9, 11, 15};
  round([](uint32_t u, uint32_t v, uint32_t w) { return select_bits(u, v, w); }, 0, s1,
        [](int step) { return step; });
  round([](uint32_t u, uint32_t v, uint32_t w) { return majority(u, v, w); }, 0x5a827999u, s2,
        [](int step) { return (step % 4) * 4 + step / 4; });
  static constexpr int order3[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
  round([](uint32_t u, uint32_t v, uint32_t w) { return parity(u, v, w); }, 0x6ed9eba1u, s3,
        [](int step) { return order3[step]; });

  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

Md4::Digest Md4::finish() {
  uint64_t bits = length_ * 8;
  block_[fill_++] = 0x80;
  if (fill_ > 56) {
    std::memset(block_.data() + fill_, 0, block_.size() - fill_);
    compress_block();
  }
  std::memset(block_.data() + fill_, 0, 56 - fill_);
  // The length is two little-endian words in both variants: sumversion.c stores it after
  // its byte swap of the other fourteen words.
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = uint8_t(bits >> (8 * i));
  if (order_ == BlockWords::big_endian) {
    for (int w = 0; w < 2; ++w) std::swap(len[4 * w], len[4 * w + 3]), std::swap(len[4 * w + 1], len[4 * w + 2]);
  }
  std::memcpy(block_.data() + 56, len, 8);
  compress_block();

  Digest out{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = uint8_t(state_[i] >> (8 * j));
  return out;
}

std::string Md4::hex(const Digest& digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(32);
  for (uint8_t b : digest) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

}  // namespace modforge
