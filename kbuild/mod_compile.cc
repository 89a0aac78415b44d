#include "kbuild/mod_compile.h"

#include <unordered_set>

namespace modforge::kbuild {

namespace {

// A GCC -D value in the shell quoting kbuild writes ('"name"'); no quote or backslash inside.
bool take_quoted(std::string_view& s, std::string_view prefix, std::string& value) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  if (s.substr(0, 2) != "'\"") return false;
  size_t end = s.find("\"'", 2);
  if (end == std::string_view::npos) return false;
  value = std::string(s.substr(2, end - 2));
  if (value.find_first_of("\"'\\ ") != std::string::npos) return false;
  s.remove_prefix(end + 2);
  return true;
}

}  // namespace

std::optional<ModCompile> parse_mod_compile(const Target& t, const Step& s) {
  std::string_view cmd = s.command;
  if (s.kind != Step::Kind::Fixdep || t.path.size() < 7 || t.path.compare(t.path.size() - 6, 6, ".mod.o") != 0)
    return std::nullopt;
  ModCompile mc;
  mc.object = t.path;
  // The tail: " -DKBUILD_BASENAME='"b"' -DKBUILD_MODNAME='"m"' -D__KBUILD_MODNAME=kmod_m -c -o OBJ SRC".
  std::string tail_mark = " -c -o " + t.path + " ";
  size_t tail = cmd.rfind(tail_mark);
  if (tail == std::string_view::npos) return std::nullopt;
  mc.source = std::string(cmd.substr(tail + tail_mark.size()));
  if (mc.source.size() < 7 || mc.source.compare(mc.source.size() - 6, 6, ".mod.c") != 0 ||
      mc.source.find_first_of(" \t'\"\\$") != std::string::npos)
    return std::nullopt;
  size_t defs = cmd.rfind(" -DKBUILD_BASENAME=", tail);
  if (defs == std::string_view::npos) return std::nullopt;
  std::string_view d = cmd.substr(defs, tail - defs);
  std::string base, mod, kmod;
  if (!take_quoted(d, " -DKBUILD_BASENAME=", base) || !take_quoted(d, " -DKBUILD_MODNAME=", mod)) return std::nullopt;
  if (d.substr(0, 20) != " -D__KBUILD_MODNAME=") return std::nullopt;
  kmod = std::string(d.substr(20));
  if (kmod.empty() || kmod.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                          std::string::npos)
    return std::nullopt;
  mc.defines = "#define KBUILD_BASENAME \"" + base + "\"\n#define KBUILD_MODNAME \"" + mod +
               "\"\n#define __KBUILD_MODNAME " + kmod + "\n";
  std::string head(cmd.substr(0, defs));
  // kbuild's -Wp,-MMD,<depfile>: the compile writes its dependency file there.
  std::string dep_word = " -Wp,-MMD," + s.depfile + " ";
  size_t dp = head.find(dep_word);
  if (s.depfile.empty() || dp == std::string::npos || head.find(dep_word, dp + 1) != std::string::npos)
    return std::nullopt;
  // The forced includes, one run of absolute paths (the PCH's header includes them by name).
  size_t inc = head.find(" -include ");
  if (inc == std::string::npos) return std::nullopt;
  size_t end = inc;
  while (head.compare(end, 10, " -include ") == 0) {
    size_t w = end + 10, e = head.find(' ', w);
    if (e == std::string::npos || head[w] != '/') return std::nullopt;
    if (head.substr(w, e - w).find_first_of("'\"\\$") != std::string::npos) return std::nullopt;
    end = e;
  }
  if (head.find(" -include ", end) != std::string::npos || (dp >= inc && dp < end)) return std::nullopt;
  mc.includes = head.substr(inc, end - inc);
  // Replace the later range first, so the earlier one's offsets hold.
  auto edit = [&](std::string s, std::string_view dep_to, std::string_view inc_to) {
    if (dp > inc) {
      s.replace(dp, dep_word.size(), dep_to);
      s.replace(inc, end - inc, inc_to);
    } else {
      s.replace(inc, end - inc, inc_to);
      s.replace(dp, dep_word.size(), dep_to);
    }
    return s;
  };
  mc.flags = edit(head, " ", "");
  mc.pch_cmd = edit(head, " -Wp,-MMD,@DEP@ ", " -include @PCH@ -include @DEFS@") + " -c -o @OBJ@ " + mc.source;
  return mc;
}

std::vector<std::string> depfile_words(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      c = ' ';
    }
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

std::vector<std::string> plain_deps(const std::vector<std::string>& pch_deps,
                                    const std::vector<std::string>& pch_compile_deps, const std::string& source) {
  std::unordered_set<std::string_view> in_pch(pch_deps.begin(), pch_deps.end());
  std::vector<std::string> out;
  out.reserve(pch_deps.size() + pch_compile_deps.size() + 1);
  out.push_back(source);
  out.insert(out.end(), pch_deps.begin(), pch_deps.end());
  for (auto& d : pch_compile_deps)
    if (!in_pch.count(d)) out.push_back(d);
  return out;
}

}  // namespace modforge::kbuild
