#include "loader/depmod/resolve.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unordered_set>

#include "loader/depmod/kmod_hash.h"

namespace modforge::loader::depmod {

namespace {

void add_symbol(State& st, std::string_view name, bool prefix_skipped, uint64_t crc, uint32_t owner) {
  if (!prefix_skipped && !name.empty() && name[0] == st.s.sym_prefix) name.remove_prefix(1);
  st.symbols[std::string(name)] = Symbol{owner, crc};
}

const Symbol* find_symbol(const State& st, std::string_view name) {
  if (!name.empty() && name[0] == '.') name.remove_prefix(1);  // PPC64: .foo is foo
  if (!name.empty() && name[0] == st.s.sym_prefix) name.remove_prefix(1);
  auto it = st.symbols.find(std::string(name));
  return it == st.symbols.end() ? nullptr : &it->second;
}

void add_fake_symbols(State& st) {
  add_symbol(st, "__this_module", true, 0, kNoOwner);
  add_symbol(st, "_GLOBAL_OFFSET_TABLE_", true, 0, kNoOwner);
  if (!st.symbols.count("TOC.")) add_symbol(st, "TOC.", true, 0, kNoOwner);
}

void read_all(std::vector<Mod>& mods) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    ReadBuffers buffers;
    for (std::size_t i; (i = next.fetch_add(1)) < mods.size();) mods[i].data = read_module(mods[i].path, buffers);
  };
  const unsigned n = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n && t < mods.size(); ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
}

// kmod's depmod_report_cycles.
void report_cycles(State& st, const std::vector<uint32_t>& users) {
  std::vector<uint32_t> roots;  // kmod_list of modules still in a cycle or behind one
  for (uint32_t i = 0; i < st.mods.size(); ++i)
    if (users[i] > 0) roots.push_back(i);
  std::unordered_set<std::string> loop_set;
  struct Vertex {
    int parent;
    uint32_t mod;
  };
  auto remove_root = [&](uint32_t m) {
    auto it = std::find(roots.begin(), roots.end(), m);
    if (it != roots.end()) roots.erase(it);
  };
  while (!roots.empty()) {
    const uint32_t root = roots.front();
    roots.erase(roots.begin());
    std::vector<Vertex> vertices{{-1, root}};
    std::vector<int> stack{0};
    while (!stack.empty()) {
      const int vi = stack.back();
      stack.pop_back();
      Mod& m = st.mods[vertices[vi].mod];
      if (m.visited && vertices[vi].mod == root) {
        std::vector<uint32_t> chain;
        for (int p = vertices[vi].parent; p >= 0; p = vertices[p].parent) {
          chain.push_back(vertices[p].mod);
          loop_set.insert(st.mods[vertices[p].mod].modname);
        }
        std::string buf;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
          buf += st.mods[*it].modname + " -> ";
          remove_root(*it);
        }
        buf += m.modname;
        st.log(kErr, "Cycle detected: " + buf + "\n");
        continue;
      }
      m.visited = true;
      if (m.deps.empty()) {
        remove_root(vertices[vi].mod);
        continue;
      }
      for (uint32_t d : m.deps) {
        vertices.push_back({vi, d});
        stack.push_back(static_cast<int>(vertices.size() - 1));
      }
    }
  }
  st.log(kErr, "Found " + std::to_string(loop_set.size()) + " modules in dependency cycles!\n");
}

bool calculate_dependencies(State& st) {
  const std::size_t n = st.mods.size();
  std::vector<uint32_t> users(n), roots;
  roots.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    users[i] = st.mods[i].users;
    if (users[i] == 0) roots.push_back(i);
  }
  int sorted = 0;
  while (!roots.empty()) {
    const uint32_t src = roots.back();
    roots.pop_back();
    st.mods[src].dep_sort_idx = sorted++;
    for (uint32_t d : st.mods[src].deps)
      if (--users[d] == 0) roots.push_back(d);
  }
  if (static_cast<std::size_t>(sorted) < n) {
    report_cycles(st, users);
    return false;
  }
  for (Mod& m : st.mods)
    std::sort(m.deps.begin(), m.deps.end(),
              [&](uint32_t a, uint32_t b) { return st.mods[a].dep_sort_idx < st.mods[b].dep_sort_idx; });
  return true;
}

}  // namespace

bool load_modules(State& st) {
  read_all(st.mods);
  for (Mod& m : st.mods) {
    if (m.data.symbols_error)
      st.log(kErr, "failed to load symbols from " + m.path + ": " + std::strerror(m.data.symbols_error) + "\n");
    for (const ExportedSymbol& e : m.data.exports) add_symbol(st, e.name, false, e.crc, m.idx);
  }
  for (Mod& m : st.mods) {
    for (const NeededSymbol& need : m.data.needed) {
      const Symbol* sym = find_symbol(st, need.name);
      if (!sym) {
        if (st.s.print_unknown && !need.weak)
          st.log(kWarning, m.path + " needs unknown symbol " + need.name + "\n");
        continue;
      }
      if (st.s.check_symvers && sym->crc != need.crc && !need.weak && st.s.print_unknown)
        st.log(kWarning, m.path + " disagrees about version of symbol " + need.name + "\n");
      if (sym->owner == kNoOwner) continue;
      if (std::find(m.deps.begin(), m.deps.end(), sym->owner) != m.deps.end()) continue;
      m.deps.push_back(sym->owner);
      Mod& owner = st.mods[sym->owner];
      ++owner.users;
      std::string shown = need.name;
      if (!shown.empty() && shown[0] == '.') shown.erase(0, 1);
      if (!shown.empty() && shown[0] == st.s.sym_prefix) shown.erase(0, 1);
      st.log.show(m.path + " needs \"" + shown + "\": " + owner.path + "\n");
    }
  }
  return calculate_dependencies(st);
}

// kmod's loop over a symbol file: fgets into a 10 KB buffer (longer lines come in pieces),
// the line number counted per piece, then the fake symbols; errno when it cannot open.
template <typename Fn>
int for_each_fgets_line(State& st, const std::string& path, Fn fn) {
  FILE* fp = std::fopen(path.c_str(), "r");
  if (!fp) return errno;
  char line[10240];
  unsigned linenum = 0;
  while (std::fgets(line, sizeof line, fp)) fn(line, ++linenum);
  add_fake_symbols(st);
  std::fclose(fp);
  return 0;
}

int load_system_map(State& st, const std::string& path) {
  return for_each_fgets_line(st, path, [&](char* line, unsigned linenum) {
    char* p = std::strchr(line, ' ');
    if (p) p = std::strchr(p + 1, ' ');
    if (!p) {
      st.log(kErr, path + ":" + std::to_string(linenum) + ": invalid line: " + line + "\n");
      return;
    }
    ++p;
    if (p[0] == st.s.sym_prefix) ++p;
    if (std::strncmp(p, "__ksymtab_", 10) != 0) return;
    if (char* end = std::strchr(p, '\n')) *end = '\0';
    add_symbol(st, p + 10, true, 0, kNoOwner);
  });
}

int load_symvers(State& st, const std::string& path) {
  return for_each_fgets_line(st, path, [&](char* line, unsigned linenum) {
    char* save = nullptr;
    const char* ver = strtok_r(line, " \t", &save);
    const char* sym = ver ? strtok_r(nullptr, " \t", &save) : nullptr;
    const char* where = sym ? strtok_r(nullptr, " \t", &save) : nullptr;
    if (!ver || !sym || !where) return;
    if (std::strcmp(where, "vmlinux") != 0) return;
    char* verend = nullptr;
    const uint64_t crc = std::strtoull(ver, &verend, 16);
    if (verend[0] != '\0') {
      st.log(kErr, path + ":" + std::to_string(linenum) + " Invalid symbol version " + ver + ": " + std::strerror(errno) + "\n");
      return;
    }
    add_symbol(st, sym, false, crc, kNoOwner);
  });
}

}  // namespace modforge::loader::depmod
