#include "loader/kernel/module_btf.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace modforge::loader::kernel {

namespace {

uint32_t u32_at(std::string_view b, std::size_t at) {
  uint32_t v = 0;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}

// btf_check_meta's record lengths: struct btf_type (12 bytes) and what each kind adds.
bool record_length(uint32_t info, uint32_t& len) {
  const uint32_t kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
  switch (kind) {
    case 1: case 14: case 17: len = 12 + 4; return true;            // INT, VAR, DECL_TAG
    case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18:
      len = 12; return true;                                         // refs, FWD, FUNC, FLOAT, TYPE_TAG
    case 3: len = 12 + 12; return true;                              // ARRAY
    case 4: case 5: case 15: case 19: len = 12 + 12 * vlen; return true;  // STRUCT, UNION, DATASEC, ENUM64
    case 6: case 13: len = 12 + 8 * vlen; return true;               // ENUM, FUNC_PROTO
    default: return false;                                           // UNKN or past BTF_KIND_MAX
  }
}

}  // namespace

BtfVerdict module_btf_check(std::string_view b) {
  auto bad = [](std::string msg) { return BtfVerdict{false, std::move(msg)}; };
  constexpr uint32_t kHdr = 24;  // sizeof(struct btf_header)
  const uint32_t size = static_cast<uint32_t>(b.size());
  if (size < 8) return bad("hdr_len not found");
  const uint32_t hdr_len = u32_at(b, 4);
  if (size < hdr_len) return bad("btf_header not found");
  for (uint32_t i = kHdr; i < hdr_len; ++i)  // unsupported header fields must be 0
    if (b[i]) return bad("Unsupported btf_header");
  char hdr[kHdr] = {};
  std::memcpy(hdr, b.data(), std::min(hdr_len, kHdr));
  const std::string_view h(hdr, kHdr);
  if (static_cast<uint8_t>(h[0]) != 0x9f || static_cast<uint8_t>(h[1]) != 0xeb) return bad("Invalid magic");
  if (h[2] != 1) return bad("Unsupported version");
  if (h[3] != 0) return bad("Unsupported flags");
  // btf_check_sec_info: types and strings, sorted by offset, exactly fill the rest
  struct Sec { uint32_t off, len; };
  Sec secs[2] = {{u32_at(h, 8), u32_at(h, 12)}, {u32_at(h, 16), u32_at(h, 20)}};
  const Sec types = secs[0], strs = secs[1];
  std::sort(secs, secs + 2, [](const Sec& x, const Sec& y) { return x.off < y.off; });
  const uint32_t expected = size - hdr_len;
  uint32_t total = 0;
  for (const Sec& s : secs) {
    if (expected < s.off) return bad("Invalid section offset");
    if (total < s.off) return bad("Unsupported section found");
    if (total > s.off) return bad("Section overlap found");
    if (expected - total < s.len) return bad("Total section length too long");
    total += s.len;
  }
  if (expected != total) return bad("Unsupported section found");
  // btf_parse_str_sec (split BTF: an empty string section is allowed)
  if (uint64_t(strs.off) + strs.len != expected) return bad("String section is not at the end");
  if (strs.len && (strs.len - 1 > 0xffffff || b[hdr_len + strs.off + strs.len - 1])) return bad("Invalid string section");
  // The module's own strings name its functions, variables and data sections: the checks
  // of those names (btf_name_valid_identifier, btf_name_valid_section) refuse any byte
  // but letters, digits, '_' and '.'.  Which record uses which string is not checked.
  for (char c : b.substr(hdr_len + strs.off, strs.len))
    if (c && !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return bad("");
  // btf_check_all_metas: the records fill the type section
  std::string_view meta = b.substr(hdr_len + types.off, types.len);
  // (type ids count on from vmlinux's, which the emulator does not know: "[<id>]")
  while (!meta.empty()) {
    if (meta.size() < 12) return bad("[<id>] meta_left:" + std::to_string(meta.size()) + " meta_needed:12");
    const uint32_t info = u32_at(meta, 4);
    if (info & ~0x9f00ffffu) {  // BTF_INFO_MASK
      char hex[16];
      std::snprintf(hex, sizeof hex, "%x", info);
      return bad(std::string("[<id>] Invalid btf_info:") + hex);
    }
    const uint32_t kind = (info >> 24) & 0x1f;
    uint32_t len = 0;
    if (!record_length(info, len)) return bad("[<id>] Invalid kind:" + std::to_string(kind));
    if (len > meta.size()) return bad("");  // the kind's own check, whose log is not printed
    meta.remove_prefix(len);
  }
  return {true, ""};
}

}  // namespace modforge::loader::kernel
