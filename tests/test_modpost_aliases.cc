// The shipped-module check: for every module of Debian's 6.1 and 6.12 kernel packages,
// the aliases our file2alias derives from its device tables must be exactly the alias=
// entries the real modpost wrote into its .mod.c (compiled into the .modinfo section).
//
// Which alias= entries come from the .mod.c: kbuild links <mod>.mod.o last, so its
// .modinfo strings are the tail of the section.  The .mod.c defines, in this order,
// vermagic, name, (intree, retpoline, staging), depends, the MODULE_ALIAS lines, then
// srcversion; each is a `__UNIQUE_ID_<tag><N>` symbol where N is __COUNTER__, and GCC emits
// them in reverse order of definition, each symbol just before the previous one in .symtab.
// The vermagic/retpoline strings come through headers and do not follow that counter, but
// from the last depends= on they do: walking back from depends= (counter D, symbol S),
// the strings of the .mod.c are exactly those whose symbol is `__UNIQUE_ID_<tag><D+k>` at
// .symtab index S-k, k = 1, 2, ...  All but the farthest (which may be srcversion=) must be
// alias=; in the order of that walk they are the generated aliases in .mod.c order.  The module's own MODULE_ALIAS
// strings precede that run (and by chance sometimes carry the next counter value, which is
// why the .symtab position is checked too: on Debian's 6.1 modules, counters alone take
// three own strings in by mistake).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/decompress.h"
#include "core/elf.h"
#include "core/input.h"
#include "modpost/file2alias.h"

namespace fs = std::filesystem;
using modforge::Kernel;

namespace {

struct Tree {
  Kernel kernel;
  const char* release;
  const char* suffix;
};
const Tree kTrees[] = {{Kernel::v6_1, "6.1.0-56-amd64", ".ko"},
                       {Kernel::v6_12, "6.12.117+deb12-amd64", ".ko.xz"}};

fs::path oracle_cache() {
  if (const char* c = std::getenv("ORACLE_CACHE")) return c;
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/root") / ".cache/modforge-oracle";
}

// modpost's remove_dot(): "name.123" and "name.123.x" lose the numeric suffix.
std::string_view remove_dot(std::string_view s) {
  size_t n = s.find('.');
  if (n == 0 || n == std::string_view::npos) return s;
  size_t m = 0;
  while (n + 1 + m < s.size() && s[n + 1 + m] >= '0' && s[n + 1 + m] <= '9') m++;
  if (m && (n + 1 + m == s.size() || s[n + 1 + m] == '.')) return s.substr(0, n);
  return s;
}

struct ModinfoString {
  uint64_t offset;
  std::string_view text;
};

// The aliases the real modpost generated, in .mod.c order (see the comment at the top),
// or an error text when the .modinfo does not have the expected shape.
std::vector<std::string> real_generated_aliases(const modforge::elf::ElfFile& elf, std::string& error) {
  const modforge::elf::Section* mi = elf.section(".modinfo");
  if (!mi) {
    error = "no .modinfo";
    return {};
  }
  std::vector<ModinfoString> strings;
  for (size_t at = 0; at < mi->contents.size();) {
    size_t end = mi->contents.find('\0', at);
    if (end == std::string_view::npos) end = mi->contents.size();
    if (end > at) strings.push_back({at, mi->contents.substr(at, end - at)});
    at = end + 1;
  }
  // offset -> (.symtab index, counter)
  struct Tag {
    uint32_t index;
    unsigned long counter;
  };
  std::vector<std::optional<Tag>> tags(strings.size());
  for (const auto& sym : elf.symbols()) {
    if (sym.section_index != mi->index || !sym.name.starts_with("__UNIQUE_ID_")) continue;
    size_t digits = sym.name.find_last_not_of("0123456789") + 1;
    if (digits == sym.name.size()) continue;
    auto it = std::lower_bound(strings.begin(), strings.end(), sym.value,
                               [](const ModinfoString& s, uint64_t v) { return s.offset < v; });
    if (it == strings.end() || it->offset != sym.value) continue;
    tags[it - strings.begin()] = Tag{sym.index, std::stoul(std::string(sym.name.substr(digits)))};
  }
  ptrdiff_t depends = -1;
  for (size_t i = 0; i < strings.size(); i++)
    if (strings[i].text.starts_with("depends=")) depends = static_cast<ptrdiff_t>(i);
  if (depends < 0 || !tags[depends]) {
    error = "no depends= entry with a __UNIQUE_ID symbol";
    return {};
  }
  bool named = false;
  for (size_t i = depends + 1; i < strings.size(); i++) named |= strings[i].text.starts_with("name=");
  if (!named) {
    error = "no name= after the last depends=";
    return {};
  }
  std::vector<std::string> aliases;
  Tag prev = *tags[depends];
  for (ptrdiff_t i = depends - 1; i >= 0; i--) {
    const auto& tag = tags[i];
    if (!tag || tag->counter != prev.counter + 1 || tag->index + 1 != prev.index) break;
    std::string_view text = strings[i].text;
    if (text.starts_with("srcversion=")) break;  // the last line of the .mod.c
    if (!text.starts_with("alias=")) {
      error = "unexpected .mod.c entry " + std::string(text);
      return {};
    }
    aliases.emplace_back(text.substr(6));
    prev = *tag;
  }
  return aliases;
}

// Our MODULE_ALIAS("...") lines, unwrapped.
std::vector<std::string> our_aliases(const std::string& buf, std::string& error) {
  std::vector<std::string> out;
  constexpr std::string_view open = "MODULE_ALIAS(\"", close = "\");\n";
  for (size_t at = 0; at < buf.size();) {
    size_t end = buf.find(close, at);
    if (buf.compare(at, open.size(), open) != 0 || end == std::string::npos) {
      error = "malformed line in our output at " + std::to_string(at);
      return out;
    }
    out.push_back(buf.substr(at + open.size(), end - at - open.size()));
    at = end + close.size();
  }
  return out;
}

struct Totals {
  size_t modules = 0, with_tables = 0, identical_modules = 0, aliases = 0, identical_aliases = 0;
  std::string diagnostics;
  std::vector<std::string> failures;
};

// Whether `real` is the concatenation of all `groups` in some order (backtracking; modules
// have a handful of tables).
bool is_concatenation(const std::vector<std::vector<std::string>>& groups, const std::vector<std::string>& real,
                      size_t at, std::vector<bool>& used) {
  if (at == real.size()) return std::find(used.begin(), used.end(), false) == used.end();
  for (size_t g = 0; g < groups.size(); g++) {
    if (used[g] || groups[g].size() > real.size() - at) continue;
    if (!std::equal(groups[g].begin(), groups[g].end(), real.begin() + at)) continue;
    used[g] = true;
    if (is_concatenation(groups, real, at + groups[g].size(), used)) return true;
    used[g] = false;
  }
  return false;
}

void check_module(const Tree& tree, const fs::path& root, const fs::path& path, Totals& t) {
  std::string rel = fs::relative(path, root).string();
  std::string modname = rel.substr(0, rel.size() - std::string_view(tree.suffix).size());
  std::string error;
  std::vector<std::vector<std::string>> groups;  // our aliases, one group per device table
  std::vector<std::string> ours, real;
  modforge::modpost::Report report(tree.kernel);
  try {
    modforge::Input in = modforge::Input::from_path(path.string());
    std::string bytes = modforge::decompress(in.bytes(), path.string());
    auto elf = modforge::elf::ElfFile::from_bytes(bytes, path.string());
    for (const auto& sym : elf.symbols()) {
      std::string buf;
      modforge::modpost::handle_device_table(elf, sym, remove_dot(sym.name), modname, tree.kernel, report, buf);
      if (buf.empty()) continue;
      groups.push_back(our_aliases(buf, error));
      ours.insert(ours.end(), groups.back().begin(), groups.back().end());
    }
    if (error.empty()) real = real_generated_aliases(elf, error);
  } catch (const std::exception& e) {
    error = std::string("exception: ") + e.what() + " / " + report.text();
  }
  t.modules++;
  t.diagnostics += report.text();
  if (!ours.empty() || !real.empty()) t.with_tables++;
  t.aliases += real.size();
  if (!error.empty()) {
    t.failures.push_back(rel + ": " + error);
    return;
  }
  // The .ko lists its global symbols in the linker's order, not in the order of the .o the
  // real modpost read, so the tables may come in any order; within a table the order holds.
  std::vector<bool> used(groups.size(), false);
  if (is_concatenation(groups, real, 0, used)) {
    t.identical_modules++;
    t.identical_aliases += real.size();
    return;
  }
  std::vector<std::string> a = ours, b = real;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<std::string> only_ours, only_real;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_ours));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_real));
  t.identical_aliases += real.size() - only_real.size();
  t.failures.push_back(rel + ": " + std::to_string(ours.size()) + " aliases, real " + std::to_string(real.size()) +
                       "; only ours: \"" + (only_ours.empty() ? "(none)" : only_ours[0]) + "\" (" +
                       std::to_string(only_ours.size()) + "), only real: \"" +
                       (only_real.empty() ? "(none)" : only_real[0]) + "\" (" + std::to_string(only_real.size()) +
                       ")" + (only_ours.empty() && only_real.empty() ? " (order within a table differs)" : ""));
}

Totals check_tree(const Tree& tree, const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().string().ends_with(tree.suffix)) files.push_back(e.path());
  std::sort(files.begin(), files.end());

  // Two workers (the machine's share); each sums its own totals.
  const unsigned workers = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  std::vector<Totals> parts(workers);
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; w++)
    threads.emplace_back([&, w] {
      for (size_t i; (i = next++) < files.size();) check_module(tree, root, files[i], parts[w]);
    });
  for (auto& th : threads) th.join();

  Totals all;
  for (auto& p : parts) {
    all.modules += p.modules;
    all.with_tables += p.with_tables;
    all.identical_modules += p.identical_modules;
    all.aliases += p.aliases;
    all.identical_aliases += p.identical_aliases;
    all.diagnostics += p.diagnostics;
    all.failures.insert(all.failures.end(), p.failures.begin(), p.failures.end());
  }
  std::sort(all.failures.begin(), all.failures.end());
  return all;
}

void run_version(const Tree& tree, size_t expected_modules) {
  fs::path root = oracle_cache() / tree.release / "lib/modules" / tree.release / "kernel";
  ASSERT_TRUE(fs::is_directory(root)) << root << " is missing: fetch Debian's module packages with "
                                      << "/work/shared/tools/kernel-oracle.sh --setup (ORACLE_CACHE sets the cache)";
  Totals t = check_tree(tree, root);
  std::printf("[aliases %s] modules checked: %zu (with generated aliases: %zu), identical: %zu; "
              "aliases checked: %zu, identical: %zu; diagnostics: %zu bytes\n",
              tree.release, t.modules, t.with_tables, t.identical_modules, t.aliases, t.identical_aliases,
              t.diagnostics.size());
  if (!t.diagnostics.empty()) std::printf("%s", t.diagnostics.substr(0, 2000).c_str());
  EXPECT_EQ(t.modules, expected_modules) << "the package has a different number of modules";
  EXPECT_GT(t.aliases, 10000u);
  EXPECT_EQ(t.identical_modules, t.modules);
  EXPECT_EQ(t.identical_aliases, t.aliases);
  std::string first;
  for (size_t i = 0; i < t.failures.size() && i < 15; i++) first += "  " + t.failures[i] + "\n";
  EXPECT_TRUE(t.failures.empty()) << t.failures.size() << " modules differ; the first:\n" << first;
}

}  // namespace

TEST(ModpostAliases, DebianModules_6_1) { run_version(kTrees[0], 4023); }
TEST(ModpostAliases, DebianModules_6_12) { run_version(kTrees[1], 4230); }
