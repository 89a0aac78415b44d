// kbuild's .<target>.cmd files: the command a target was last built with and what it
// depends on, in the form make reads them back (fixdep's output and the savedcmd lines).
#pragma once
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace modforge::kbuild {

// <dir>/.<name>.cmd for <dir>/<name>.
std::string dot_cmd_path(std::string_view target);

// What make stores for a command: '$' doubled and '#' as $(pound), so that reading the
// file back with ':=' yields the command again (Kbuild.include's make-cmd, without the
// shell quoting, which the shell undoes).
std::string make_cmd(std::string_view command);

struct CmdFile {
  bool found = false;        // the savedcmd line for the target was there
  std::string saved;         // the command, unescaped (as make's $(savedcmd_T) reads)
  std::vector<std::string> deps;  // deps_T entries and existing $(wildcard ...) entries
};

// Parses `text`, the .cmd file of `target`; `prefix` is "savedcmd_" (6.12) or "cmd_" (6.1).
// $(wildcard X) entries are kept only when `exists(X)` (make's wildcard).
template <class Exists>
CmdFile parse_cmd_file(std::string_view text, std::string_view target, std::string_view prefix, Exists&& exists);

// The inverse of make_cmd (what make's ':=' does to the stored text).
std::string unescape_make_cmd(std::string_view stored);

// make's cmd-check: the two commands have the same words.
bool same_command(std::string_view a, std::string_view b);

// The fast form for the up-to-date check: calls dep(entry) for every deps_T entry and
// every other "T: X" prerequisite, and wildcard(X) for every $(wildcard X); views into
// `text`.  `saved` gets the command as stored (escaped as make_cmd() writes it).  Returns
// whether the savedcmd line was there.
template <class Dep, class Wildcard>
bool scan_cmd_file(std::string_view text, std::string_view target, std::string_view prefix, std::string_view& saved,
                   Dep&& dep, Wildcard&& wildcard);

namespace detail {
inline std::string_view trim_entry(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\\')) s.remove_suffix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
inline bool starts_with_key(std::string_view line, std::string_view a, std::string_view b, std::string_view c) {
  if (line.size() < a.size() + b.size() + c.size()) return false;
  return line.substr(0, a.size()) == a && line.substr(a.size(), b.size()) == b &&
         line.substr(a.size() + b.size(), c.size()) == c;
}
}  // namespace detail

template <class Dep, class Wildcard>
bool scan_cmd_file(std::string_view text, std::string_view target, std::string_view prefix, std::string_view& saved,
                   Dep&& dep, Wildcard&& wildcard) {
  bool found = false, in_deps = false;
  auto entry = [&](std::string_view e) {
    e = detail::trim_entry(e);
    if (e.empty()) return;
    if (e.size() > 12 && e.substr(0, 11) == "$(wildcard " && e.back() == ')')
      wildcard(detail::trim_entry(e.substr(11, e.size() - 12)));
    else
      dep(e);
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const char* nlp = static_cast<const char*>(memchr(text.data() + pos, '\n', text.size() - pos));
    size_t nl = nlp ? size_t(nlp - text.data()) : text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (in_deps) {
      entry(line);
      in_deps = !line.empty() && line.back() == '\\';
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    if (detail::starts_with_key(line, prefix, target, " := ")) {
      found = true;
      saved = line.substr(prefix.size() + target.size() + 4);
    } else if (detail::starts_with_key(line, "deps_", target, " := ")) {
      std::string_view rest = line.substr(5 + target.size() + 4);
      entry(rest);
      in_deps = !rest.empty() && rest.back() == '\\';
    } else if (detail::starts_with_key(line, target, ": ", "")) {
      std::string_view rest = detail::trim_entry(line.substr(target.size() + 2));
      if (rest.substr(0, 7) != "$(deps_") entry(rest);
    }
  }
  return found;
}

template <class Exists>
CmdFile parse_cmd_file(std::string_view text, std::string_view target, std::string_view prefix, Exists&& exists) {
  CmdFile out;
  std::string_view saved;
  out.found = scan_cmd_file(
      text, target, prefix, saved, [&](std::string_view d) { out.deps.emplace_back(d); },
      [&](std::string_view w) {
        if (exists(std::string(w))) out.deps.emplace_back(w);
      });
  if (out.found) out.saved = unescape_make_cmd(saved);
  return out;
}

}  // namespace modforge::kbuild
