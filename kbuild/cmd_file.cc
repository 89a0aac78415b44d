#include "kbuild/cmd_file.h"

namespace modforge::kbuild {

std::string dot_cmd_path(std::string_view target) {
  size_t slash = target.rfind('/');
  std::string out;
  if (slash != std::string_view::npos) out.append(target.substr(0, slash + 1));
  out += '.';
  out.append(target.substr(slash == std::string_view::npos ? 0 : slash + 1));
  out += ".cmd";
  return out;
}

std::string make_cmd(std::string_view command) {
  std::string out;
  out.reserve(command.size() + 16);
  for (char c : command) {
    if (c == '$') out += "$$";
    else if (c == '#') out += "$(pound)";
    else out += c;
  }
  return out;
}

std::string unescape_make_cmd(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') {
      out += '$';
      ++i;
    } else if (s.compare(i, 8, "$(pound)") == 0) {
      out += '#';
      i += 7;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool same_command(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
    size_t n = 0;
    while (n < s.size() && s[n] != ' ' && s[n] != '\t' && s[n] != '\n') ++n;
    std::string_view w = s.substr(0, n);
    s.remove_prefix(n);
    return w;
  };
  for (;;) {
    std::string_view wa = next(a), wb = next(b);
    if (wa != wb) return false;
    if (wa.empty()) return true;
  }
}

}  // namespace modforge::kbuild
