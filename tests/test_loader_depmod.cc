// loader/depmod: small module trees built from real Debian modules (copied, compressed,
// truncated, in updates/ and external directories, with depmod.d files), each run through
// the real kmod 30 depmod and through ours; every output file, stdout, stderr and the exit
// code must be the same.  Ours writes with -o into a separate directory, the real one into
// the tree, so both read the same tree and name the same paths in their messages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "loader/depmod/depmod.h"
#include "tests/support.h"

namespace fs = std::filesystem;
namespace t = modforge::test;

namespace {

const char* const kFiles[] = {"modules.dep",     "modules.dep.bin",     "modules.alias",
                               "modules.alias.bin", "modules.softdep",  "modules.symbols",
                               "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin",
                               "modules.devname"};

std::string cache_dir() {
  const char* home = std::getenv("HOME");
  return std::getenv("ORACLE_CACHE") ? std::getenv("ORACLE_CACHE") : std::string(home ? home : "") + "/.cache/modforge-oracle";
}
const std::string k61 = "6.1.0-56-amd64";
const std::string k612 = "6.12.117+deb12-amd64";
std::string tree_of(const std::string& rel) { return cache_dir() + "/" + rel + "/lib/modules/" + rel; }

// A test tree: <root>/lib/modules/1.0/...
struct Tree {
  std::string root = t::temp_dir();
  std::string dir = root + "/lib/modules/1.0";
  Tree() { fs::create_directories(dir); }
  // Copies a shipped module (path below the release's directory) to `to` below dir.
  void copy(const std::string& rel, const std::string& from, const std::string& to) {
    const std::string src = tree_of(rel) + "/" + from;
    if (!fs::exists(src)) throw std::runtime_error("missing shipped module " + src);
    fs::create_directories(fs::path(dir + "/" + to).parent_path());
    fs::copy_file(src, dir + "/" + to, fs::copy_options::overwrite_existing);
  }
  void write(const std::string& to, std::string_view data) {
    fs::create_directories(fs::path(dir + "/" + to).parent_path());
    t::write_file(dir + "/" + to, data);
  }
};

struct Result {
  std::string out, err;
  int rc = 0;
};

Result ours(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Result r;
  r.rc = modforge::loader::depmod::depmod_main(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

Result real(const std::vector<std::string>& args) {
  EXPECT_TRUE(fs::exists("/sbin/depmod")) << "the real kmod depmod is missing";
  std::vector<std::string> argv{"/sbin/depmod"};
  argv.insert(argv.end(), args.begin(), args.end());
  const t::Outcome o = t::run_argv(argv, "", "/dev/null");
  return {o.out, o.err, o.exit_code};
}

// Runs ours (-o into a fresh directory) and then the real depmod (into the tree) with the
// same arguments, and compares everything.
// libkmod's own INFO lines (-vv) carry pointer values; they are dropped from both sides.
std::string without_libkmod_lines(const std::string& s) {
  std::istringstream in(s);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("../libkmod/") == std::string::npos) out += line + "\n";
  return out;
}

void compare(const Tree& tr, std::vector<std::string> args, bool files = true) {
  for (const char* f : kFiles) fs::remove(tr.dir + "/" + f);
  const std::string outroot = t::temp_dir();
  std::vector<std::string> oargs{"-o", outroot};
  oargs.insert(oargs.end(), args.begin(), args.end());
  const Result o = ours(oargs);
  const Result r = real(args);
  EXPECT_EQ(o.rc, r.rc);
  EXPECT_EQ(o.out, r.out);
  EXPECT_EQ(without_libkmod_lines(o.err), without_libkmod_lines(r.err));
  if (!files) return;
  for (const char* f : kFiles) {
    const std::string rp = tr.dir + "/" + f, op = outroot + "/lib/modules/1.0/" + f;
    ASSERT_EQ(fs::exists(rp), fs::exists(op)) << f;
    if (fs::exists(rp)) EXPECT_TRUE(t::read_file(rp) == t::read_file(op)) << f << " differs";
  }
}

void add_chain(Tree& tr) {
  for (const char* m : {"kernel/fs/fat/fat.ko", "kernel/fs/fat/vfat.ko", "kernel/fs/fat/msdos.ko",
                        "kernel/drivers/block/loop.ko", "kernel/lib/crc-t10dif.ko", "kernel/crypto/crct10dif_common.ko",
                        "kernel/lib/crc64.ko", "kernel/lib/crc64-rocksoft.ko", "kernel/crypto/twofish_common.ko",
                        "kernel/arch/x86/crypto/twofish-x86_64.ko", "kernel/arch/x86/crypto/twofish-x86_64-3way.ko",
                        "kernel/drivers/char/ipmi/ipmi_msghandler.ko", "kernel/drivers/char/ipmi/ipmi_devintf.ko",
                        "kernel/fs/jbd2/jbd2.ko", "kernel/lib/crc-itu-t.ko"})
    tr.copy(k61, m, m);
}

}  // namespace

TEST(LoaderDepmod, TreeWithoutModulesOrderUsesKmodHashOrder) {
  Tree tr;
  add_chain(tr);
  compare(tr, {"-b", tr.root, "1.0"});
}

TEST(LoaderDepmod, ModulesOrderBuiltinAndBuiltinModinfo) {
  Tree tr;
  add_chain(tr);
  tr.write("modules.order", "kernel/fs/fat/vfat.ko\nkernel/lib/crc64.ko\nkernel/fs/fat/fat.ko\nkernel/not/there.ko\n"
                            "kernel/lib/crc64.ko\n\nkernel/drivers/block/loop.ko\n");
  tr.write("modules.builtin", t::read_file(tree_of(k61) + "/modules.builtin") + "9bad/line.ko\nkernel/no-dot\n");
  tr.write("modules.builtin.modinfo", t::read_file(tree_of(k612) + "/modules.builtin.modinfo") +
                                          std::string("x.noequal\0y.alias=lost\0z.alias=a[b-c]-d\0w.alias=bad]x\0", 52));
  compare(tr, {"-b", tr.root, "1.0"});
  compare(tr, {"-b", tr.root, "-n", "1.0"}, false);
}

TEST(LoaderDepmod, CompressedModulesAndCorruptFiles) {
  Tree tr;
  add_chain(tr);
  tr.copy(k612, "kernel/lib/crc7.ko.xz", "kernel/lib/crc7.ko.xz");
  tr.copy(k612, "kernel/fs/isofs/isofs.ko.xz", "kernel/fs/isofs/isofs.ko.xz");
  const std::string ko = t::read_file(tree_of(k61) + "/kernel/fs/fat/fat.ko");
  const std::string xz = t::read_file(tree_of(k612) + "/kernel/fs/fat/vfat.ko.xz");
  tr.write("kernel/bad/truncated.ko", ko.substr(0, ko.size() / 2));
  tr.write("kernel/bad/header-only.ko", ko.substr(0, 64));
  tr.write("kernel/bad/empty.ko", "");
  tr.write("kernel/bad/garbage.ko.xz", "garbage\n");
  tr.write("kernel/bad/truncated-xz.ko.xz", xz.substr(0, xz.size() / 2));
  tr.write("kernel/bad/gzip.ko.gz", "\x1f\x8b not looked at");
  tr.write("kernel/bad/notes.txt", "not a module");
  compare(tr, {"-b", tr.root, "1.0"});
}

TEST(LoaderDepmod, DepmodDConfigSearchOverrideExternalExclude) {
  Tree tr;
  add_chain(tr);
  tr.copy(k61, "kernel/fs/fat/fat.ko", "updates/fat.ko");
  tr.copy(k61, "kernel/lib/crc64.ko", "extra/crc64.ko");
  tr.copy(k61, "kernel/lib/crc64.ko", "weak/crc64.ko");
  tr.copy(k61, "kernel/drivers/block/loop.ko", "skipme/loop2.ko");
  const std::string ext = t::temp_dir();
  fs::create_directories(ext + "/x");
  fs::copy_file(tree_of(k61) + "/kernel/lib/crc-itu-t.ko", ext + "/x/crc-itu-t.ko");
  const std::string cfg = t::temp_dir();
  t::write_file(cfg + "/10-a.conf", "# comment\nsearch extra built-in external \\\n updates\n"
                                    "override crc64 1.* weak\noverride crc64 9.* extra\n"
                                    "external 1.0 " + ext + "\nexternal 2.0 /nowhere\nexclude skipme\n"
                                    "bogus line\noverride onlyone\ninclude foo\n");
  t::write_file(cfg + "/20-b.txt", "search nothing\n");
  compare(tr, {"-C", cfg, "-b", tr.root, "1.0"});
  compare(tr, {"-C", cfg, "-vv", "-b", tr.root, "1.0"});
  // Without config: the default "search updates" puts updates/fat.ko first.
  compare(tr, {"-C", cfg + "/20-b.txt", "-b", tr.root, "1.0"});
}

TEST(LoaderDepmod, SymbolChecksVerboseAndDuplicates) {
  Tree tr;
  add_chain(tr);
  tr.copy(k61, "kernel/fs/fat/vfat.ko", "kernel/again/vfat2.ko");  // same aliases twice
  const std::string map = cache_dir() + "/" + k61 + "/boot/System.map-" + k61;
  const std::string symvers = "/usr/src/linux-headers-" + k61 + "/Module.symvers";
  ASSERT_TRUE(fs::exists(map) && fs::exists(symvers));
  compare(tr, {"-e", "-F", map, "-b", tr.root, "1.0"});
  compare(tr, {"-e", "-E", symvers, "-w", "-b", tr.root, "1.0"});
  compare(tr, {"-e", "-b", tr.root, "1.0"});
  compare(tr, {"-v", "-b", tr.root, "1.0"});
  compare(tr, {"-a", "-q", "--root", "-b", tr.root, "1.0"});
}

TEST(LoaderDepmod, ExplicitModuleListAndOptionErrors) {
  Tree tr;
  add_chain(tr);
  compare(tr, {"-b", tr.root, "1.0", tr.dir + "/kernel/fs/fat/vfat.ko", tr.dir + "/kernel/fs/fat/fat.ko"});
  compare(tr, {"-b", tr.root, "1.0", "kernel/fs/fat/fat.ko"});
  compare(tr, {"-b", tr.root, "1.0", tr.dir + "/kernel/missing.ko"});
  compare(tr, {"-b", tr.root, "1.0", tr.dir + "/kernel/fs/fat/fat.ko", tr.dir + "/kernel/fs/fat/fat.ko"});
  compare(tr, {"-b", tr.root, "notaversion"}, false);
  compare(tr, {"-P", "ab", "-b", tr.root, "1.0"}, false);
  compare(tr, {"-V"}, false);
  compare(tr, {"-h"}, false);
  const Result o = ours({"-x"}), r = real({"-x"});
  EXPECT_EQ(o.rc, r.rc);
  EXPECT_EQ("/sbin/" + o.err, r.err);
}

TEST(LoaderDepmod, QuickModeSkipsAnUpToDateTree) {
  Tree tr;
  add_chain(tr);
  compare(tr, {"-A", "-b", tr.root, "1.0"});  // no modules.dep yet: kmod says so, then works
  // Now modules.dep is newer than every module: both do nothing.
  ASSERT_EQ(real({"-b", tr.root, "1.0"}).rc, 0);
  const Result o = ours({"-A", "-b", tr.root, "1.0"}), r = real({"-A", "-b", tr.root, "1.0"});
  EXPECT_EQ(o.rc, r.rc);
  EXPECT_EQ(o.err, r.err);
  EXPECT_EQ(o.out, r.out);
}
