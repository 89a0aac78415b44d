// loader/layout: the /proc/modules size of shipped Debian modules against what the real
// kernels reported under qemu (tests/corpus/layout-<ver>.jsonl, written by
// tests/corpus/make-layout-corpus.sh through kernel-oracle.sh), and every shipped module
// of both trees laid out without an error.
#include <gtest/gtest.h>
#include <llvm/Object/ELF.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "loader/layout/layout.h"
#include "loader/layout/sizes_cli.h"
#include "loader/kmod/kofile.h"
#include "tests/support.h"

namespace fs = std::filesystem;
using namespace modforge;
using namespace modforge::loader::layout;
using modforge::loader::kmod::KoFile;

namespace {

struct Target {
  Kernel kernel;
  const char* ver;
  const char* release;
};
constexpr Target T61{Kernel::v6_1, "6.1", "6.1.0-56-amd64"};
constexpr Target T612{Kernel::v6_12, "6.12", "6.12.117+deb12-amd64"};

std::string oracle_cache() {
  if (const char* c = std::getenv("ORACLE_CACHE")) return c;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.cache/modforge-oracle";
}
std::string tree(const Target& t) { return oracle_cache() + "/" + t.release + "/lib/modules/" + t.release; }

LayoutConfig config(const Target& t) {
  std::string path = std::string("/usr/src/linux-headers-") + t.release + "/.config";
  if (!fs::exists(path)) throw Error(path + ": missing (scripts/setup.sh installs the headers package)");
  return layout_config_from(test::read_file(path), t.kernel);
}

// The value of "key" in one jq -c line: a string's contents, a number or true/false/null
// as written.
std::optional<std::string> field(const std::string& line, const std::string& key) {
  std::string k = "\"" + key + "\":";
  auto at = line.find(k);
  if (at == std::string::npos) return std::nullopt;
  at += k.size();
  if (line[at] == '"') {
    auto end = line.find('"', at + 1);
    return line.substr(at + 1, end - at - 1);
  }
  auto end = line.find_first_of(",}", at);
  return line.substr(at, end - at);
}

void check_oracle_corpus(const Target& t) {
  std::string corpus = std::string(MODFORGE_SOURCE_DIR) + "/tests/corpus/layout-" + t.ver + ".jsonl";
  std::ifstream in(corpus);
  ASSERT_TRUE(in) << corpus << ": missing";
  ASSERT_TRUE(fs::is_directory(tree(t))) << tree(t) << ": missing (kernel-oracle.sh --setup " << t.ver << ")";
  const LayoutConfig cfg = config(t);
  int loaded = 0, same = 0, sampled = 0, sampled_same = 0, forced = 0, forced_same = 0;
  std::string line;
  while (std::getline(in, line)) {
    auto size = field(line, "size");
    if (!size || *size == "null") continue;  // the module did not load (no hardware, ...)
    auto file = field(line, "file");
    ASSERT_TRUE(file) << line;
    bool sample = field(line, "sample") == std::optional<std::string>("true");
    KoFile ko = KoFile::open(tree(t) + "/" + *file);
    // finit_module flags: 1 is MODULE_INIT_IGNORE_MODVERSIONS
    LoadFlags flags;
    flags.ignore_modversions = field(line, "flags") == std::optional<std::string>("1");
    ModuleSizes ours = module_sizes(ko.elf(), cfg, flags);
    ++loaded;
    forced += flags.ignore_modversions;
    sampled += sample;
    bool ok = std::to_string(ours.core) == *size && field(line, "coresize") == std::to_string(ours.coresize);
    EXPECT_EQ(std::to_string(ours.core), *size) << *file << " (/proc/modules)";
    EXPECT_EQ(field(line, "coresize"), std::to_string(ours.coresize)) << *file << " (sysfs coresize)";
    same += ok;
    sampled_same += ok && sample;
    forced_same += ok && flags.ignore_modversions;
  }
  std::printf("%s: %d/%d modules the real kernel loaded have its /proc/modules size and coresize "
              "(%d/%d of the sample, the rest their dependencies; %d/%d loaded with "
              "IGNORE_MODVERSIONS)\n",
              t.ver, same, loaded, sampled_same, sampled, forced_same, forced);
  EXPECT_GE(sampled, 50) << "the corpus samples fewer than 50 loaded modules";
}

void check_every_shipped(const Target& t) {
  ASSERT_TRUE(fs::is_directory(tree(t))) << tree(t) << ": missing (kernel-oracle.sh --setup " << t.ver << ")";
  const LayoutConfig cfg = config(t);
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(tree(t))) {
    std::string p = e.path().string();
    if (!e.is_regular_file() || p.find(".ko") == std::string::npos) continue;
    ModuleSizes s;
    try {
      s = module_sizes(KoFile::open(p).elf(), cfg);
    } catch (const Error& err) {
      ADD_FAILURE() << err.what();
      continue;
    }
    ++n;
    // Every shipped module has text and a struct module; every part is whole pages.
    EXPECT_GT(s.core, 0u) << p;
    EXPECT_EQ(s.core % cfg.page_size, 0u) << p;
    EXPECT_EQ(s.init % cfg.page_size, 0u) << p;
    EXPECT_GT(s.init, 0u) << p;  // the full symbol table always goes to init
  }
  std::printf("%s: %d shipped modules laid out\n", t.ver, n);
  EXPECT_GT(n, 4000);
}

}  // namespace

TEST(LayoutOracle, Sizes61) { check_oracle_corpus(T61); }
TEST(LayoutOracle, Sizes612) { check_oracle_corpus(T612); }
TEST(LayoutShipped, Every61) { check_every_shipped(T61); }
TEST(LayoutShipped, Every612) { check_every_shipped(T612); }

TEST(LayoutConfig, FromDotConfig) {
  LayoutConfig c = layout_config_from(
      "CONFIG_STRICT_MODULE_RWX=y\n# CONFIG_KALLSYMS_ALL is not set\nCONFIG_KALLSYMS=y\n"
      "CONFIG_SMP=y\n",
      Kernel::v6_1);
  EXPECT_EQ(c.version, Kernel::v6_1);
  EXPECT_TRUE(c.strict_module_rwx);
  EXPECT_TRUE(c.kallsyms);
  EXPECT_FALSE(c.kallsyms_all);
  EXPECT_FALSE(c.module_unload);  // absent means off
  EXPECT_TRUE(c.smp);
  EXPECT_FALSE(c.data_in_vmalloc);
}

// Section headers with hostile values (alignments beyond 32 bits or not powers of two,
// sizes that wrap the kernel's unsigned int, flags of every class, a symbol table that is
// also allocated): whatever ElfFile accepts is laid out without a crash.
TEST(LayoutHostile, MutatedSectionHeaders) {
  std::string path = tree(T61) + "/kernel/lib/crc8.ko";
  ASSERT_TRUE(fs::exists(path)) << path;
  const std::string original = test::read_file(path);
  auto obj = llvm::object::ELFFile<llvm::object::ELF64LE>::create(llvm::StringRef(original.data(), original.size()));
  ASSERT_TRUE(static_cast<bool>(obj));
  auto shdrs = obj->sections();
  ASSERT_TRUE(static_cast<bool>(shdrs));
  const std::size_t shoff = obj->getHeader().e_shoff, shentsize = obj->getHeader().e_shentsize;
  const std::size_t nsec = shdrs->size();
  using Shdr = llvm::object::ELF64LE::Shdr;
  const uint64_t values[] = {0, 1, 3, 4096, 0x100000000ull, 0xffffffffull, ~0ull, 0x80000000ull};
  int laid_out = 0;
  for (const Target& t : {T61, T612}) {
    LayoutConfig cfg = config(t);
    for (std::size_t i = 1; i < nsec; ++i)
      for (int field = 0; field < 3; ++field)
        for (uint64_t v : values) {
          std::string bytes = original;
          std::size_t at = shoff + i * shentsize;
          std::size_t off = field == 0 ? offsetof(Shdr, sh_addralign) : field == 1 ? offsetof(Shdr, sh_size) : offsetof(Shdr, sh_flags);
          std::memcpy(bytes.data() + at + off, &v, sizeof v);
          std::optional<elf::ElfFile> f;
          try {
            f.emplace(elf::ElfFile::from_bytes(bytes, "mutated.ko"));
          } catch (const Error&) {
            continue;  // refused before any layout
          }
          ModuleSizes s = module_sizes(*f, cfg);
          EXPECT_EQ(s.core % cfg.page_size, 0u);
          ++laid_out;
        }
  }
  EXPECT_GT(laid_out, 100);
}

TEST(LayoutCli, BadModuleIsOneLineAndExitOne) {
  std::ostringstream out, err;
  std::string cfg = std::string("/usr/src/linux-headers-") + T612.release + "/.config";
  int rc = layout_sizes_main({"-k", "6.12", "-c", cfg, "/nonexistent/x.ko"}, out, err);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(out.str(), "");
  const std::string e = err.str();
  EXPECT_NE(e.find("/nonexistent/x.ko"), std::string::npos) << e;
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1) << e;
}

TEST(LayoutCli, PrintsTheLibrarySizes) {
  std::string path = tree(T612) + "/kernel/lib/crc8.ko.xz";
  ASSERT_TRUE(fs::exists(path)) << path;
  std::ostringstream out, err;
  std::string cfg = std::string("/usr/src/linux-headers-") + T612.release + "/.config";
  ASSERT_EQ(layout_sizes_main({"--kernel=6.12", "--config", cfg, path}, out, err), 0) << err.str();
  ModuleSizes s = module_sizes(KoFile::open(path).elf(), config(T612));
  EXPECT_EQ(out.str().substr(0, out.str().find('\t', path.size() + 1)), path + "\t" + std::to_string(s.core));
}
