// Text escapes both ABI reports (check load, check abi) share: XML for JUnit, JSON lists.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace modforge::abi {

// `s` as XML character data or an attribute value.
inline std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 allows no control characters but tab and newlines.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "?";
        else out += c;
    }
  }
  return out;
}

// A JSON string, invalid UTF-8 replaced rather than refused (kernel strings are bytes).
inline std::string js(std::string_view s) { return json_string(s, true); }

inline std::string str_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + js(v[i]);
  return out + "]";
}

}  // namespace modforge::abi
