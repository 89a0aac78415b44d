#include "kbuild/launcher.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <unistd.h>
#include <vector>

#include "core/error.h"

namespace modforge::kbuild {

namespace {

struct Word {
  size_t begin, end;
};

// The words of the first simple command of `s` (up to an unquoted ; & | or newline), as
// the shell splits them; quotes stay part of the word's text.
std::vector<Word> first_command_words(std::string_view s) {
  std::vector<Word> out;
  size_t i = 0;
  for (;;) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size() || s[i] == ';' || s[i] == '&' || s[i] == '|' || s[i] == '\n') break;
    size_t b = i;
    char quote = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (quote) {
        if (c == quote) quote = 0;
        else if (c == '\\' && quote == '"' && i + 1 < s.size()) ++i;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < s.size()) {
        ++i;
      } else if (c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|' || c == '\n') {
        break;
      }
    }
    if (quote) return {};  // unbalanced: not a command we understand
    out.push_back({b, i});
  }
  return out;
}

bool plain(std::string_view w) {
  for (char c : w)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' || c == '+' || c == '-' ||
          c == ',' || c == '='))
      return false;
  return !w.empty();
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::optional<std::string> with_launcher(std::string_view command, std::string_view launcher) {
  if (launcher.empty()) return std::nullopt;
  auto words = first_command_words(command);
  if (words.empty()) return std::nullopt;
  auto text = [&](const Word& w) { return command.substr(w.begin, w.end - w.begin); };
  // The compiler: a program name or path, not an assignment or a shell keyword.
  std::string_view prog = text(words[0]);
  if (!plain(prog) || prog.find('=') != std::string_view::npos || prog.find(',') != std::string_view::npos)
    return std::nullopt;
  for (std::string_view kw : {"if", "then", "for", "while", "until", "case", "exec", "set", "test", "!"})
    if (prog == kw) return std::nullopt;
  const Word* dep = nullptr;
  std::string_view mode;
  bool compile = false;
  for (auto& w : words) {
    std::string_view t = text(w);
    if (t == "-c") compile = true;
    if (t == "-E" || t == "-M" || t == "-MM") return std::nullopt;
    for (std::string_view m : {"-MMD", "-MD"}) {
      std::string_view opt = m == "-MMD" ? "-Wp,-MMD," : "-Wp,-MD,";
      if (!starts_with(t, opt)) continue;
      std::string_view file = t.substr(opt.size());
      // One option only (a further ",-..." would be another preprocessor option), plain.
      if (dep || file.empty() || !plain(file) || file.find(',') != std::string_view::npos) return std::nullopt;
      dep = &w;
      mode = m;
    }
  }
  if (!dep || !compile) return std::nullopt;
  std::string_view file = text(*dep).substr(mode == "-MMD" ? 9 : 8);
  std::string out;
  out.reserve(command.size() + launcher.size() + 8);
  out.append(launcher).append(" ");
  out.append(command.substr(0, dep->begin));
  out.append(mode).append(" -MF ").append(file);
  out.append(command.substr(dep->end));
  return out;
}

std::string resolve_launcher(const std::string& launcher) {
  if (launcher.empty()) throw Error("--launcher: empty");
  if (launcher.find('/') != std::string::npos) {
    std::string p = std::filesystem::absolute(launcher).lexically_normal().string();
    if (access(p.c_str(), X_OK) != 0) throw Error(errno_message(p, errno));
    return p;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string d;
  while (std::getline(dirs, d, ':'))
    if (!d.empty() && access((d + "/" + launcher).c_str(), X_OK) == 0) return launcher;
  throw Error("--launcher " + launcher + ": not found in PATH");
}

}  // namespace modforge::kbuild
