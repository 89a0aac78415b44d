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

namespace {

// The inverse of make_cmd for what make_cmd can produce.
std::string unescape(std::string_view s) {
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

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\\')) s.remove_suffix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void add_entry(std::string_view e, std::vector<std::string>& deps, std::vector<std::string>& wildcards) {
  e = trim(e);
  if (e.empty()) return;
  if (e.substr(0, 11) == "$(wildcard " && e.back() == ')') {
    wildcards.emplace_back(trim(e.substr(11, e.size() - 12)));
  } else {
    deps.emplace_back(e);
  }
}

}  // namespace

void parse_cmd_file_impl(std::string_view text, std::string_view target, std::string_view prefix,
                         CmdFile& out, std::vector<std::string>& wildcards) {
  std::string saved_key = std::string(prefix) + std::string(target) + " := ";
  std::string deps_key = "deps_" + std::string(target) + " := ";
  std::string dep_line = std::string(target) + ": ";
  bool in_deps = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (in_deps) {
      add_entry(line, out.deps, wildcards);
      in_deps = !line.empty() && line.back() == '\\';
      continue;
    }
    if (line.substr(0, saved_key.size()) == saved_key) {
      out.found = true;
      out.saved = unescape(line.substr(saved_key.size()));
    } else if (line.substr(0, deps_key.size()) == deps_key) {
      std::string_view rest = line.substr(deps_key.size());
      add_entry(rest, out.deps, wildcards);
      in_deps = !rest.empty() && rest.back() == '\\';
    } else if (line.substr(0, dep_line.size()) == dep_line) {
      std::string_view rest = trim(line.substr(dep_line.size()));
      if (rest.substr(0, 7) != "$(deps_") add_entry(rest, out.deps, wildcards);
    }
  }
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
