#include "loader/kmod/modprobe_config.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "core/input.h"
#include "loader/kmod/config.h"
#include "loader/kmod/names.h"

namespace modforge::loader::kmod {

namespace {

// kmod's getline_wrapped: a backslash before a newline joins the next line; before any other
// byte it is dropped and the byte kept; at the end of the file it leaves a 0xff byte (getc's
// EOF stored as a char).  `lineno` ends at the line's last physical line.
bool next_line(std::string_view text, std::size_t& pos, unsigned& lineno, std::string& line) {
  line.clear();
  if (pos >= text.size()) return false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (c == '\n') break;
    if (c != '\\') {
      line.push_back(c);
      continue;
    }
    if (pos == text.size()) {
      line.push_back('\xff');
    } else if (text[pos] == '\n') {
      ++pos;
      ++lineno;
    } else {
      line.push_back(text[pos++]);
    }
  }
  ++lineno;
  line.resize(std::min(line.size(), line.find('\0')));  // kmod's string functions stop at a NUL
  return true;
}

// strtok_r over one line: word() with the delimiters " \t", rest() with none (the text after
// the byte that ended the last word, nullopt when empty), as kmod_config_parse calls it.
class Words {
public:
  explicit Words(std::string_view line) : s_(line) {}
  std::optional<std::string> word() {
    while (pos_ < s_.size() && blank(s_[pos_])) ++pos_;
    if (pos_ >= s_.size()) return std::nullopt;
    const std::size_t start = pos_;
    while (pos_ < s_.size() && !blank(s_[pos_])) ++pos_;
    std::string w(s_.substr(start, pos_ - start));
    if (pos_ < s_.size()) ++pos_;  // strtok_r overwrites the delimiter and resumes after it
    return w;
  }
  std::optional<std::string> rest() {
    if (pos_ >= s_.size()) return std::nullopt;
    std::string r(s_.substr(pos_));
    pos_ = s_.size();
    return r;
  }

private:
  static bool blank(char c) { return c == ' ' || c == '\t'; }
  std::string_view s_;
  std::size_t pos_ = 0;
};

// kmod's underscores(): alias_normalize's rule, an unbalanced bracket (or no word) making the
// line bad.
std::optional<std::string> underscores(const std::optional<std::string>& w) {
  if (!w) return std::nullopt;
  return alias_normalize(*w);
}

// kmod_config_add_softdep: "pre:" and "post:" switch the list the following words go to.
ConfigSoftdep softdep(std::string module, std::string_view deps) {
  ConfigSoftdep sd{std::move(module), {}, {}};
  std::vector<std::string>* into = nullptr;
  std::size_t i = 0;
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };  // isspace
  while (i < deps.size()) {
    while (i < deps.size() && space(deps[i])) ++i;
    const std::size_t start = i;
    while (i < deps.size() && !space(deps[i])) ++i;
    if (i == start) break;
    const std::string_view w = deps.substr(start, i - start);
    if (w == "pre:") into = &sd.pre;
    else if (w == "post:") into = &sd.post;
    else if (into) into->emplace_back(w);
  }
  return sd;
}

}  // namespace

void ModprobeConfig::parse(std::string_view text, const std::string& file, std::string& diag) {
  std::size_t pos = 0;
  unsigned lineno = 0;
  for (std::string line; next_line(text, pos, lineno, line);) {
    // only a '#' in the first column starts a comment: " # x" is a bad line starting with '#'
    if (line.empty() || line[0] == '#') continue;
    Words words(line);
    const std::optional<std::string> cmd = words.word();
    if (!cmd) continue;
    bool bad = false;
    if (*cmd == "alias") {
      auto pattern = underscores(words.word());
      auto module = underscores(words.word());
      if (pattern && module) aliases.push_back({std::move(*pattern), std::move(*module)});
      else bad = true;
    } else if (*cmd == "blacklist") {
      if (auto module = underscores(words.word())) blacklist.push_back(std::move(*module));
      else bad = true;
    } else if (*cmd == "options" || *cmd == "install" || *cmd == "remove" || *cmd == "softdep") {
      auto module = underscores(words.word());
      auto rest = words.rest();
      if (!module || !rest) {
        bad = true;
      } else if (*cmd == "options") {
        std::replace(rest->begin(), rest->end(), '\t', ' ');
        options.push_back({std::move(*module), std::move(*rest)});
      } else if (*cmd == "softdep") {
        softdeps.push_back(softdep(std::move(*module), *rest));
      } else {
        (*cmd == "install" ? install : remove).push_back({std::move(*module), std::move(*rest)});
      }
    } else if (*cmd == "include" || *cmd == "config") {
      diag += "libkmod: ERROR ../libkmod/libkmod-config.c:708 kmod_config_parse: " + file + ": command " + *cmd +
              " is deprecated and not parsed anymore\n";
    } else {
      bad = true;
    }
    if (bad)
      diag += "libkmod: ERROR ../libkmod/libkmod-config.c:712 kmod_config_parse: " + file + " line " +
              std::to_string(lineno) + ": ignoring bad line starting with '" + *cmd + "'\n";
  }
}

ModprobeConfig ModprobeConfig::load(const std::vector<std::string>& paths, const std::string& dirname, std::string& diag) {
  ModprobeConfig c;
  ConfFiles files;
  // depmod's modules.softdep joins the sorted list under its own base name (measured: it
  // wins over a softdep in x.conf and loses to one in b.conf)
  const std::string softdep_file = dirname + "/modules.softdep";
  std::error_code ec;
  if (std::filesystem::is_regular_file(softdep_file, ec)) files.add("modules.softdep", softdep_file);
  for (const std::string& p : paths) files.add_path(p);
  for (const ConfFile& f : files.files()) {
    try {
      const Input in = Input::from_path(f.path);
      c.parse(in.bytes(), f.path, diag);
    } catch (const Error&) {
      // libkmod skips a file it cannot open
    }
  }
  return c;
}

}  // namespace modforge::loader::kmod
