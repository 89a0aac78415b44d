// kbuild's .<target>.cmd files: the command a target was last built with and what it
// depends on, in the form make reads them back (fixdep's output and the savedcmd lines).
#pragma once
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

// make's cmd-check: the two commands have the same words.
bool same_command(std::string_view a, std::string_view b);

// Implementation detail shared by the template.
void parse_cmd_file_impl(std::string_view text, std::string_view target, std::string_view prefix,
                         CmdFile& out, std::vector<std::string>& wildcards);

template <class Exists>
CmdFile parse_cmd_file(std::string_view text, std::string_view target, std::string_view prefix, Exists&& exists) {
  CmdFile out;
  std::vector<std::string> wildcards;
  parse_cmd_file_impl(text, target, prefix, out, wildcards);
  for (auto& w : wildcards)
    if (exists(w)) out.deps.push_back(std::move(w));
  return out;
}

}  // namespace modforge::kbuild
