#include "core/json.h"

#include "core/error.h"

namespace modforge {

namespace {

// Whether `utf8` at `i` starts a valid UTF-8 sequence; its length in `len`.
bool utf8_sequence(std::string_view s, size_t i, size_t& len) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  unsigned cp;
  if (c < 0x80) {
    len = 1;
    return true;
  } else if (c >= 0xc2 && c <= 0xdf) {
    len = 2, cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3, cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, cp = c & 0x07;
  } else {
    return false;
  }
  if (i + len > s.size()) return false;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return false;
    cp = cp << 6 | (byte(i + k) & 0x3f);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return false;  // overlong, surrogate
  if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return false;
  return true;
}

}  // namespace

std::string json_string(std::string_view s, bool lossy) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    if (c >= 0x80) {
      if (!utf8_sequence(s, i, len)) {
        if (!lossy) throw Error("not valid UTF-8, so not writable in JSON: " + std::string(s));
        out += "\ufffd";
        ++i;
        continue;
      }
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

}  // namespace modforge
