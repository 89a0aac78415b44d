#include "loader/kmod/names.h"

namespace modforge::loader::kmod {

namespace {
constexpr std::size_t kPathMax = 4096;  // kmod's buffers are char[PATH_MAX]
}

std::string modname_normalize(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size() && i < kPathMax - 1; ++i) {
    const char c = name[i];
    if (c == '\0' || c == '.') break;
    out.push_back(c == '-' ? '_' : c);
  }
  return out;
}

std::string path_to_modname(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return modname_normalize(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::optional<std::string> alias_normalize(std::string_view alias) {
  std::string out;
  for (std::size_t i = 0; i < alias.size() && i < kPathMax - 1; ++i) {
    const char c = alias[i];
    if (c == '\0') break;
    if (c == '-') {
      out.push_back('_');
    } else if (c == ']') {
      return std::nullopt;
    } else if (c == '[') {
      // kmod copies the group without checking its buffer's end: the group may cross it.
      const std::size_t close = alias.find(']', i);
      const std::size_t nul = alias.find('\0', i);
      if (close == std::string_view::npos || (nul != std::string_view::npos && nul < close)) return std::nullopt;
      out.append(alias.substr(i, close - i + 1));
      i = close;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string underscores(std::string s) {
  bool in_group = false;
  for (char& c : s) {
    if (c == '[') in_group = true;
    else if (c == ']') in_group = false;
    else if (c == '-' && !in_group) c = '_';
  }
  return s;
}

}  // namespace modforge::loader::kmod
