// loader/kmod: the name and alias normalizers with kmod 30's edge cases (shared/util.c),
// the .modinfo splitter (kmod_elf_get_strings) and the config file order (conf_files_list).
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "loader/kmod/config.h"
#include "loader/kmod/elf.h"
#include "loader/kmod/modinfo.h"
#include "loader/kmod/names.h"
#include "tests/support.h"

namespace kmod = modforge::loader::kmod;
namespace fs = std::filesystem;
namespace t = modforge::test;
using namespace std::string_literals;

TEST(LoaderKmodNames, ModnameNormalize) {
  EXPECT_EQ(kmod::modname_normalize("snd-hda-intel.ko.xz"), "snd_hda_intel");
  EXPECT_EQ(kmod::modname_normalize("a-b\0c-d"s), "a_b");
  EXPECT_EQ(kmod::path_to_modname("/lib/modules/x/kernel/crc-t10dif.ko"), "crc_t10dif");
  EXPECT_EQ(kmod::path_to_modname("plain"), "plain");
  EXPECT_EQ(kmod::modname_normalize(std::string(5000, 'a')).size(), 4095u);
}

TEST(LoaderKmodNames, AliasNormalize) {
  EXPECT_EQ(kmod::alias_normalize("pci:v-[0-9]*-x"), "pci:v_[0-9]*_x");
  EXPECT_EQ(kmod::alias_normalize("a-b\0c-d"s), "a_b");
  EXPECT_FALSE(kmod::alias_normalize("a]b"));
  EXPECT_FALSE(kmod::alias_normalize("a[b-c"));
  EXPECT_FALSE(kmod::alias_normalize("a[b\0]"s));
}

TEST(LoaderKmodNames, Underscores) {
  EXPECT_EQ(kmod::underscores("a-b[c-d]e-f"), "a_b[c-d]e_f");
  EXPECT_EQ(kmod::underscores("a-b]c-d"), "a_b]c_d");   // a lone ']' is no error here
  EXPECT_EQ(kmod::underscores("a-[b-c"), "a_[b-c");     // an open group protects the rest
}

TEST(LoaderKmodModinfo, SplitsAsKmodElfGetStrings) {
  const std::string section = "\0\0alias=a-b\0\0license=GPL\0flag\0last=x"s;
  const auto e = kmod::modinfo_entries(section);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].key, "alias");
  EXPECT_EQ(e[0].value, "a-b");
  EXPECT_EQ(e[2].key, "flag");
  EXPECT_EQ(e[2].value, "");
  EXPECT_EQ(e[3].value, "x");
  EXPECT_TRUE(kmod::modinfo_entries("\0\0x"s).empty());  // one byte left after the padding
}

TEST(LoaderKmodElf, RefusesWhatKmodElfNewRefuses) {
  kmod::ModuleElf elf;
  kmod::MemorySource tiny("\x7f" "ELF");
  EXPECT_EQ(elf.open(tiny), ENOEXEC);
  std::string h(80, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = 3;  // no such class
  h[5] = 1;
  kmod::MemorySource bad(h);
  EXPECT_EQ(elf.open(bad), EINVAL);
}

TEST(LoaderKmodConfig, BaseNameOrderFirstDirectoryWins) {
  const std::string root = t::temp_dir();
  for (const char* d : {"/a", "/b", "/b/d.conf"}) fs::create_directories(root + d);
  for (const char* f : {"/a/z.conf", "/a/m.conf", "/b/m.conf", "/b/c.conf", "/b/.h.conf", "/b/x.txt"})
    t::write_file(root + f, "");
  kmod::ConfFiles files;
  std::vector<int> priorities;
  for (const char* d : {"/a", "/b"}) files.add_path(root + d, [&](int p, const std::string&) { priorities.push_back(p); });
  std::vector<std::string> got;
  for (const auto& f : files.files()) got.push_back(f.path.substr(root.size()));
  EXPECT_EQ(got, (std::vector<std::string>{"/b/c.conf", "/a/m.conf", "/a/z.conf"}));
  std::sort(priorities.begin(), priorities.end());  // readdir's order
  EXPECT_EQ(priorities, (std::vector<int>{3, 6}));  // the directory d.conf (error), x.txt (info)
}
