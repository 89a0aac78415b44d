#include "loader/depmod/outputs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"
#include "core/input.h"
#include "loader/depmod/kmod_hash.h"
#include "loader/depmod/scan.h"
#include "loader/kmod/index_write.h"
#include "loader/kmod/names.h"

namespace modforge::loader::depmod {

namespace {

// Transitive dependencies sorted by the topological index (kmod's
// mod_get_all_sorted_dependencies).
std::vector<uint32_t> all_deps(const State& st, const Mod& m, std::vector<char>& seen) {
  std::vector<uint32_t> out, todo(m.deps.rbegin(), m.deps.rend());
  while (!todo.empty()) {
    const uint32_t d = todo.back();
    todo.pop_back();
    if (seen[d]) continue;
    seen[d] = 1;
    out.push_back(d);
    const Mod& dm = st.mods[d];
    todo.insert(todo.end(), dm.deps.rbegin(), dm.deps.rend());
  }
  for (uint32_t d : out) seen[d] = 0;
  std::sort(out.begin(), out.end(), [&](uint32_t a, uint32_t b) { return st.mods[a].dep_sort_idx < st.mods[b].dep_sort_idx; });
  return out;
}

std::string dep_line(const State& st, const Mod& m, std::vector<char>& seen) {
  std::string line = m.shown_path() + ":";
  for (uint32_t d : all_deps(st, m, seen)) line += " " + st.mods[d].shown_path();
  return line;
}

std::string make_dep(const State& st) {
  std::string out;
  std::vector<char> seen(st.mods.size());
  for (const Mod& m : st.mods) out += dep_line(st, m, seen) + "\n";
  return out;
}

std::string make_dep_bin(const State& st) {
  kmod::IndexWriter idx(st.s.warn_dups);
  std::vector<char> seen(st.mods.size());
  for (const Mod& m : st.mods) {
    const std::string line = dep_line(st, m, seen);
    if (idx.insert(m.modname, line, m.idx) && st.s.warn_dups) st.log(kWarning, "duplicate module deps:\n" + line + "\n");
  }
  return idx.serialize();
}

std::string make_alias(const State& st) {
  std::string out = "# Aliases extracted from modules themselves.\n";
  for (const Mod& m : st.mods)
    for (const std::string& a : m.data.aliases) out += "alias " + a + " " + m.modname + "\n";
  return out;
}

std::string make_alias_bin(const State& st) {
  kmod::IndexWriter idx(st.s.warn_dups);
  for (const Mod& m : st.mods)
    for (const std::string& a : m.data.aliases) {
      const auto alias = kmod::alias_normalize(a);
      if (!alias) {
        st.log(kWarning, "Unmatched bracket in " + a + "\n");
        continue;
      }
      if (idx.insert(*alias, m.modname, m.idx) && st.s.warn_dups)
        st.log(kWarning, "duplicate module alias:\n" + *alias + " " + m.modname + "\n");
    }
  return idx.serialize();
}

std::string make_softdep(const State& st) {
  std::string out = "# Soft dependencies extracted from modules themselves.\n";
  for (const Mod& m : st.mods)
    for (const std::string& s : m.data.softdeps) out += "softdep " + m.modname + " " + s + "\n";
  return out;
}

// Owned symbols in kmod's hash order (2048 buckets).
std::vector<std::pair<const std::string*, const Symbol*>> owned_symbols(const State& st) {
  struct Item {
    uint32_t bucket;
    const std::string* name;
    const Symbol* sym;
  };
  std::vector<Item> items;
  items.reserve(st.symbols.size());
  for (const auto& [name, sym] : st.symbols)
    if (sym.owner != kNoOwner) items.push_back({kmod_hash_bucket(name, 2048), &name, &sym});
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.bucket != b.bucket ? a.bucket < b.bucket : *a.name < *b.name;
  });
  std::vector<std::pair<const std::string*, const Symbol*>> v;
  v.reserve(items.size());
  for (const Item& i : items) v.emplace_back(i.name, i.sym);
  return v;
}

std::string make_symbols(const State& st) {
  std::string out = "# Aliases for symbols, used by symbol_request().\n";
  for (const auto& [name, sym] : owned_symbols(st)) out += "alias symbol:" + *name + " " + st.mods[sym->owner].modname + "\n";
  return out;
}

std::string make_symbols_bin(const State& st) {
  kmod::IndexWriter idx(st.s.warn_dups);
  for (const auto& [name, sym] : owned_symbols(st)) {
    const Mod& owner = st.mods[sym->owner];
    const std::string key = "symbol:" + *name;
    if (idx.insert(key, owner.modname, owner.idx) && st.s.warn_dups)
      st.log(kWarning, "duplicate module syms:\n" + key + " " + owner.modname + "\n");
  }
  return idx.serialize();
}

// kmod's dfdopen: a file of the module directory, or nothing (with kmod's warning).
std::optional<std::string> read_tree_file(const State& st, const char* name) {
  const int dfd = open(st.s.dirname.c_str(), O_RDONLY);
  if (dfd < 0) {
    st.log(kWarning, "could not open directory " + st.s.dirname + ": " + std::strerror(errno) + "\n");
    return std::nullopt;
  }
  const int fd = openat(dfd, name, O_RDONLY);
  const int e = errno;
  close(dfd);
  if (fd < 0) {
    st.log(kWarning, std::string("could not open ") + name + " at " + st.s.dirname + ": " + std::strerror(e) + "\n");
    return std::nullopt;
  }
  try {
    Input in = Input::from_fd(fd, name);
    std::string s(in.bytes());
    close(fd);
    return s;
  } catch (const Error&) {
    close(fd);
    return std::string();
  }
}

std::string make_builtin_bin(const State& st) {
  const auto text = read_tree_file(st, "modules.builtin");
  if (!text) return {};
  kmod::IndexWriter idx;
  std::string modname;  // kmod keeps its buffer from the previous line
  std::size_t pos = 0;
  while (pos < text->size()) {
    // fgets into a PATH_MAX buffer
    std::size_t end = text->find('\n', pos);
    end = end == std::string::npos ? text->size() : end + 1;
    end = std::min(end, pos + 4095);
    std::string line = text->substr(pos, end - pos);
    pos = end;
    line.resize(std::strlen(line.c_str()));
    if (!std::isalpha(static_cast<unsigned char>(line[0]))) {
      st.log(kErr, "Invalid modules.builtin line: " + line + "\n");
      continue;
    }
    const std::size_t slash = line.rfind('/');
    const std::string base = slash == std::string::npos ? line : line.substr(slash + 1);
    if (!base.empty()) modname = kmod::path_to_modname(base);
    idx.insert(modname, "", 0);
  }
  return idx.serialize();
}

// modules.builtin.modinfo holds "module.key=value\0" strings; kmod reads it a character at a
// time (including its quirk: a string without '=' makes it skip the next string too).
std::string make_builtin_alias_bin(const State& st) {
  const auto text = read_tree_file(st, "modules.builtin.modinfo");
  if (!text) return {};
  kmod::IndexWriter idx;
  std::size_t pos = 0;
  bool eof = false;
  auto getc = [&]() -> int {
    if (pos >= text->size()) {
      eof = true;
      return EOF;
    }
    return static_cast<unsigned char>((*text)[pos++]);
  };
  auto read_to = [&](int endc, std::string& dst) -> std::size_t {
    dst.clear();
    int c;
    while ((c = getc()) != EOF && c != endc && c != '\0' && dst.size() < 4096) dst.push_back(static_cast<char>(c));
    return c == endc ? dst.size() : 0;
  };
  std::string modname, key, value;
  while (!eof) {
    if (!read_to('.', modname)) continue;
    read_to('=', key);
    if (key != "alias") {
      int c;
      while ((c = getc()) != EOF && c != '\0') {
      }
      continue;
    }
    if (!read_to('\0', value)) continue;
    const auto alias = kmod::alias_normalize(value);
    if (!alias) {
      st.log(kWarning, "Unmatched bracket in " + value + "\n");
      continue;
    }
    idx.insert(*alias, modname, 0);
  }
  return idx.serialize();
}

std::string make_devname(const State& st) {
  std::string out;
  for (const Mod& m : st.mods) {
    const std::string* devname = nullptr;
    char type = '\0';
    unsigned major = 0, minor = 0;
    for (const std::string& a : m.data.aliases) {
      unsigned maj, min;
      if (a.compare(0, 8, "devname:") == 0) {
        devname = &a;
      } else if (std::sscanf(a.c_str(), "char-major-%u-%u", &maj, &min) == 2) {
        type = 'c', major = maj, minor = min;
      } else if (std::sscanf(a.c_str(), "block-major-%u-%u", &maj, &min) == 2) {
        type = 'b', major = maj, minor = min;
      }
      if (type != '\0' && devname) break;
    }
    if (!devname) continue;
    const std::string name = std::string(devname->c_str() + 8);
    if (type == '\0') {
      st.log(kErr, "Module '" + m.modname + "' has devname (" + name + ") but lacks major and minor information. Ignoring.\n");
      continue;
    }
    if (out.empty()) out = "# Device nodes to trigger on-demand module loading.\n";
    out += m.modname + " " + name + " " + type + std::to_string(major) + ":" + std::to_string(minor) + "\n";
  }
  return out;
}

}  // namespace

const std::vector<OutputFile>& output_files() {
  static const std::vector<OutputFile> files = {
      {"modules.dep", false, make_dep},
      {"modules.dep.bin", true, make_dep_bin},
      {"modules.alias", false, make_alias},
      {"modules.alias.bin", true, make_alias_bin},
      {"modules.softdep", false, make_softdep},
      {"modules.symbols", false, make_symbols},
      {"modules.symbols.bin", true, make_symbols_bin},
      {"modules.builtin.bin", true, make_builtin_bin},
      {"modules.builtin.alias.bin", true, make_builtin_alias_bin},
      {"modules.devname", false, make_devname},
  };
  return files;
}

}  // namespace modforge::loader::depmod
