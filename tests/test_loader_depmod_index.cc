// loader/kmod index files: the writer rebuilds, byte for byte, the .bin files the real
// kmod 30 depmod wrote for a whole shipped tree, and the reader's look-ups agree with the
// text files written next to them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "loader/kmod/index.h"
#include "loader/kmod/index_write.h"
#include "tests/support.h"

namespace fs = std::filesystem;
namespace t = modforge::test;
using IndexReader = modforge::loader::kmod::Index;
using modforge::loader::kmod::IndexWriter;

namespace {

// The real depmod's output for the 6.1 tree, written once into a farm of symlinks.
const std::string& real_61_outputs() {
  static const std::string dir = [] {
    const char* home = std::getenv("HOME");
    const std::string cache = std::getenv("ORACLE_CACHE") ? std::getenv("ORACLE_CACHE") : std::string(home ? home : "") + "/.cache/modforge-oracle";
    const std::string rel = "6.1.0-56-amd64";
    const std::string src = cache + "/" + rel + "/lib/modules/" + rel;
    const std::string root = t::temp_dir();
    const std::string d = root + "/lib/modules/" + rel;
    fs::create_directories(d);
    for (const char* f : {"kernel", "modules.order", "modules.builtin", "modules.builtin.modinfo"})
      fs::create_symlink(src + "/" + f, d + "/" + f);
    const t::Outcome o = t::run_argv({"/sbin/depmod", "-b", root, rel}, "", "/dev/null");
    EXPECT_EQ(o.exit_code, 0) << o.err;
    return d;
  }();
  return dir;
}

void round_trip(const std::string& file) {
  const std::string bytes = t::read_file(file);
  ASSERT_GT(bytes.size(), 12u) << file;
  IndexReader r(bytes, file);
  const auto entries = r.entries();
  // Insert keys in reverse, and each key's values last-first: equal priorities come out in
  // reverse insertion order, as kmod stores them.
  IndexWriter w;
  for (auto e = entries.rbegin(); e != entries.rend(); ++e)
    for (auto v = e->values.rbegin(); v != e->values.rend(); ++v) w.insert(e->key, v->value, v->priority);
  EXPECT_TRUE(w.serialize() == bytes) << file << " not rebuilt byte for byte";
}

}  // namespace

TEST(LoaderDepmodIndex, WriterRebuildsEveryRealIndex) {
  for (const char* f : {"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin",
                        "modules.builtin.alias.bin"})
    round_trip(real_61_outputs() + "/" + f);
}

TEST(LoaderDepmodIndex, ReaderLookupsMatchTheTextFiles) {
  const std::string dir = real_61_outputs();
  const std::string bin = t::read_file(dir + "/modules.dep.bin");
  IndexReader r(bin, "modules.dep.bin");
  std::istringstream dep(t::read_file(dir + "/modules.dep"));
  std::string line;
  int n = 0;
  while (std::getline(dep, line)) {
    std::string name = line.substr(0, line.find(':'));
    name = name.substr(name.rfind('/') + 1);
    name = name.substr(0, name.find('.'));
    std::replace(name.begin(), name.end(), '-', '_');
    const auto v = r.lookup(name);
    ASSERT_EQ(v.size(), 1u) << name;
    EXPECT_EQ(v[0].value, line);
    ++n;
  }
  EXPECT_GT(n, 4000);
  const std::string sym = t::read_file(dir + "/modules.symbols.bin");
  IndexReader s(sym, "modules.symbols.bin");
  ASSERT_EQ(s.lookup("symbol:fat_attach").size(), 1u);
  EXPECT_EQ(s.lookup("symbol:fat_attach")[0].value, "fat");
  EXPECT_TRUE(s.lookup("symbol:no_such_symbol").empty());
}

TEST(LoaderDepmodIndex, WriterOrdersValuesAndChecksAscii) {
  IndexWriter w(true);
  EXPECT_FALSE(w.insert("k", "a", 2));
  EXPECT_FALSE(w.insert("k", "b", 1));
  EXPECT_FALSE(w.insert("k", "c", 2));
  EXPECT_TRUE(w.insert("k", "a", 5));
  const std::string bytes = w.serialize();
  IndexReader r(bytes, "mem");
  const auto v = r.lookup("k");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].value, "b");
  EXPECT_EQ(v[1].value, "c");
  EXPECT_EQ(v[2].value, "a");
  EXPECT_EQ(v[3].priority, 5u);
  EXPECT_THROW(w.insert("caf\xc3\xa9", "x", 0), modforge::Error);
}

TEST(LoaderDepmodIndex, ReaderRejectsDamagedFiles) {
  const std::string good = t::read_file(real_61_outputs() + "/modules.alias.bin");
  EXPECT_THROW(IndexReader(good.substr(0, 8), "short"), modforge::Error);
  std::string bad = good;
  bad[0] = 'X';
  EXPECT_THROW(IndexReader(bad, "magic"), modforge::Error);
  // Every truncation either reads or fails cleanly.
  for (std::size_t n : {12ul, 100ul, good.size() / 2, good.size() - 1}) {
    try {
      IndexReader r(std::string_view(good).substr(0, n), "cut");
      (void)r.entries();
    } catch (const modforge::Error&) {
    }
  }
  std::string loop = good;
  loop[8] = loop[9] = loop[10] = 0x20, loop[11] = 0x0c;  // root with children at offset 12
  EXPECT_THROW(IndexReader(loop, "loop").entries(), modforge::Error);
}
