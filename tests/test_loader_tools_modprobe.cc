// modprobe's lookup and probe order against the real kmod 30 modprobe: --show-depends for
// every module of both shipped Debian trees (modules.dep etc. written by the real depmod
// into a temporary root at test time), aliases, symbols, and modprobe.d features.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loader/tools/modprobe.h"
#include "tests/support.h"

namespace fs = std::filesystem;
using namespace modforge::loader::tools;

namespace {

// Nothing is loaded: --show-depends ignores the kernel anyway.
class NoKernel : public ProbeKernel {
public:
  bool loaded(const std::string&) override { return false; }
  int refcnt(const std::string&) override { return -1; }
  int insert(const std::string&, const std::string&, bool, bool) override { return 0; }
  int remove(const std::string&, bool) override { return 0; }
};

// A root holding lib/modules/<release> with the shipped modules (symlinked) and the
// real depmod's files.
std::string make_root(const std::string& release) {
  const char* home = std::getenv("HOME");
  const std::string cache = std::getenv("ORACLE_CACHE") ? std::getenv("ORACLE_CACHE") : std::string(home) + "/.cache/modforge-oracle";
  const std::string src = cache + "/" + release + "/lib/modules/" + release;
  if (!fs::is_directory(src)) return {};
  const std::string root = modforge::test::temp_dir();
  const std::string dir = root + "/lib/modules/" + release;
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(src)) fs::create_symlink(e.path(), dir + "/" + e.path().filename().string());
  if (std::system(("/sbin/depmod -b '" + root + "' " + release).c_str()) != 0) return {};
  return root;
}

struct Case {
  std::string name;
  std::string out, err;
  int rc;
};

// `errors_first`: kmod writes its configuration's messages at once to stderr and its
// buffered stdout at exit, so in one stream they come first.
void compare_all(const std::string& release, const std::vector<std::string>& names, const std::string& conf,
                 const std::vector<std::string>& extra = {}, bool errors_first = false) {
  const std::string root = make_root(release);
  ASSERT_FALSE(root.empty()) << "no shipped tree for " << release << " (scripts/setup.sh fetches it)";
  const std::string dirname = root + "/lib/modules/" + release;
  ModuleDb db = ModuleDb::load(dirname);
  NoKernel k;
  // the real tool, once per name, in one shell; outputs split by a marker line
  const std::string list = modforge::test::temp_dir() + "/names";
  {
    std::ofstream f(list);
    for (const auto& n : names) f << n << "\n";
  }
  std::string extra_args;
  for (const auto& e : extra) extra_args += " '" + e + "'";
  const std::string real = modforge::test::shell_output("while IFS= read -r n; do /sbin/modprobe -D -d '" + root + "' -S " + release + " -C '" + conf +
                              "' \"$n\"" + extra_args + " 2>&1; echo \"@@rc=$?\"; done < '" + list + "'");
  std::istringstream rs(real);
  std::size_t identical = 0, i = 0;
  std::string line, chunk;
  std::vector<std::string> mismatches;
  while (std::getline(rs, line)) {
    if (line.rfind("@@rc=", 0) != 0) {
      chunk += line + "\n";
      continue;
    }
    std::ostringstream out, err;
    std::vector<std::string> args = {"-D", "-d", root, "-S", release, "-C", conf, names[i]};
    args.insert(args.end(), extra.begin(), extra.end());
    int rc = modprobe_main(args, k, out, err, &db);
    const std::string ours = errors_first ? err.str() + out.str() : out.str() + err.str();
    if (ours == chunk && std::to_string(rc) == line.substr(5)) ++identical;
    else if (mismatches.size() < 5)
      mismatches.push_back(names[i] + ":\n--- real (rc " + line.substr(5) + ")\n" + chunk + "--- ours (rc " + std::to_string(rc) + ")\n" + ours);
    chunk.clear();
    ++i;
  }
  ASSERT_EQ(i, names.size());
  std::printf("[ modprobe -D ] %s: %zu/%zu identical with kmod's modprobe\n", release.c_str(), identical, names.size());
  for (const auto& m : mismatches) ADD_FAILURE() << m;
  EXPECT_EQ(identical, names.size());
}

std::vector<std::string> all_module_names(const std::string& release) {
  const char* home = std::getenv("HOME");
  const std::string order = std::string(home) + "/.cache/modforge-oracle/" + release + "/lib/modules/" + release + "/modules.order";
  std::ifstream in(order);
  std::vector<std::string> names;
  for (std::string l; std::getline(in, l);) names.push_back(module_name_of_path(l));
  return names;
}

std::vector<std::string> sample_aliases(const std::string& release, std::size_t every) {
  const std::string root = make_root(release);
  std::ifstream in(root + "/lib/modules/" + release + "/modules.alias");
  std::vector<std::string> out;
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("alias ", 0) != 0 || n++ % every) continue;
    std::istringstream ls(l);
    std::string w, pattern;
    ls >> w >> pattern;
    // a device's alias as the kernel reports it: no wildcards ('*' matches nothing here,
    // '?' and [...] their first possibility)
    std::string concrete;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '*') continue;
      if (pattern[i] == '?') concrete += 'x';
      else if (pattern[i] == '[') {
        std::size_t close = pattern.find(']', i);
        concrete += pattern[i + 1];
        i = close == std::string::npos ? pattern.size() : close;
      } else concrete += pattern[i];
    }
    out.push_back(concrete);
  }
  return out;
}

}  // namespace

TEST(LoaderModprobe, ShowDependsEveryModule61) { compare_all("6.1.0-56-amd64", all_module_names("6.1.0-56-amd64"), "/dev/null"); }
TEST(LoaderModprobe, ShowDependsEveryModule612) {
  compare_all("6.12.117+deb12-amd64", all_module_names("6.12.117+deb12-amd64"), "/dev/null");
}
TEST(LoaderModprobe, Aliases61) { compare_all("6.1.0-56-amd64", sample_aliases("6.1.0-56-amd64", 40), "/dev/null"); }
TEST(LoaderModprobe, Aliases612) { compare_all("6.12.117+deb12-amd64", sample_aliases("6.12.117+deb12-amd64", 40), "/dev/null"); }

TEST(LoaderModprobe, ConfigFeatures) {
  const std::string conf = modforge::test::temp_dir();
  std::ofstream(conf + "/b.conf") << "options fat codepage=850\nsoftdep vfat pre: nls_cp437 post: nls_utf8\n"
                                     "alias myfs vfat\nalias fs-foo* ext4\noptions ext4 a=1\toptions  b=2 \n"
                                     "options ext4 c=3\nblacklist pcspkr\ninstall dummy-thing /bin/true\n"
                                     "softdep ext4 pre: nls_utf8\n";
  std::ofstream(conf + "/a.conf") << "options myfs via_alias=1\n";
  // after modules.softdep in name order: its softdep loses to the module's own
  std::ofstream(conf + "/x.conf") << "softdep jbd2 pre: nls_cp437\n";
  std::ofstream(conf + "/ignored.txt") << "options vfat never=1\n";
  compare_all("6.1.0-56-amd64",
              {"vfat", "myfs", "fs-foobar", "ext4", "pcspkr", "dummy-thing", "symbol:usb_serial_register_drivers", "nosuch",
               "fs-vfat", "snd-hda-intel"},
              conf, {"x=1", "y=a b"});
}

// The lines libkmod's parser rejects or reads its own way, against kmod's modprobe: brackets
// that do not balance in any word, commands and options with nothing after the name, a
// comment not in the first column, a backslash inside a line or at the end of the file,
// blanks kept after the name's one delimiter, tabs in options.
TEST(LoaderModprobe, ConfigEdgeCases) {
  const std::string conf = modforge::test::temp_dir();
  std::ofstream(conf + "/a.conf") << "alias foo[ vfat\nalias fo]o vfat\nalias fs-b[a-c]-x ext4\nalias good-one vf[-at\n"
                                     "alias x-y] vfat\n # indented comment\n\t#tab comment\n#plain\n"
                                     "install inst-nocmd\ninstall inst-sp \ninstall inst-ok /bin/true\n"
                                     "remove rem-nocmd\nremove rem-ok  /bin/false\noptions vfat\noptions vfat \n"
                                     "options vfat  lead=1\toth=2\t\tthree=3\noptions fa[t x=1\nblacklist bl[\nblacklist\n"
                                     "softdep ext4\nsoftdep ex[t4 pre: vfat\ninstall in[st /bin/true\nalias onlyone\n"
                                     "alias alias-two ext4 extra\ninclude /etc/x\nbogus line\n";
  std::ofstream(conf + "/b.conf") << "install bs-mid /bin/echo a\\b\ninstall bs-dbl /bin/echo c\\\\d\n"
                                     "install bs-cont /bin/echo e \\\n  f\n\t\n#c \\\nalias hidden vfat\n"
                                     "options   ext4  x=1\nalias\tta-b\tvfat\nsoftdep fat pre:x post: nls-utf8 pre: nls_cp437\n"
                                     "install last-bs /bin/true \\";
  compare_all("6.1.0-56-amd64",
              {"foo[", "fo]o", "fs-bbx", "fs-b-x", "good-one", "x-y]", "inst-nocmd", "inst-sp", "inst-ok", "rem-ok", "vfat",
               "fat", "ext4", "bl[", "in[st", "alias-two", "onlyone", "bs-mid", "bs-dbl", "bs-cont", "hidden", "ta-b",
               "last-bs", "#plain", "indented"},
              conf, {}, true);
}

// --dump-modversions against kmod's, for every 50th shipped module of both trees and two
// files it cannot read.
TEST(LoaderModprobe, DumpModversions) {
  NoKernel k;
  std::vector<std::string> files = {"/nonexistent.ko"};
  const std::string bad = modforge::test::temp_dir() + "/not-elf.ko";
  std::ofstream(bad) << "hello\n";
  files.push_back(bad);
  // too short for kmod's magic checks; ELF magic but truncated; a truncated real module
  const std::string shorter = modforge::test::temp_dir() + "/short.ko", ident = shorter + ".ident.ko",
                    truncated = shorter + ".trunc.ko";
  std::ofstream(shorter) << "hell";
  std::ofstream(ident) << "\x7f" "ELF\x02\x01\x01";
  files.insert(files.end(), {shorter, ident, truncated});
  const char* home = std::getenv("HOME");
  for (const char* rel : {"6.1.0-56-amd64", "6.12.117+deb12-amd64"}) {
    const std::string dir = std::string(home) + "/.cache/modforge-oracle/" + rel + "/lib/modules/" + rel;
    std::ifstream order(dir + "/modules.order");
    std::size_t n = 0;
    for (std::string l; std::getline(order, l);)
      if (n++ % 50 == 0) {
        std::string path = dir + "/" + l;
        if (!fs::exists(path)) path += ".xz";
        files.push_back(path);
      }
  }
  ASSERT_GT(files.size(), 150u);
  {
    std::ifstream in(files[5], std::ios::binary);  // the first 6.1 module
    std::string head(100, '\0');
    in.read(head.data(), 100);
    std::ofstream(truncated, std::ios::binary) << head;
  }
  std::size_t same = 0;
  for (const std::string& f : files) {
    std::ostringstream out, err;
    int rc = modprobe_main({"--dump-modversions", f}, k, out, err);
    const std::string real = modforge::test::shell_output("/sbin/modprobe --dump-modversions '" + f + "' 2>&1; echo \"rc=$?\"");
    const std::string ours = out.str() + err.str() + "rc=" + std::to_string(rc) + "\n";
    if (ours == real) ++same;
    else ADD_FAILURE() << f << "\n--- real\n" << real << "--- ours\n" << ours;
  }
  std::printf("[ modprobe --dump-modversions ] %zu/%zu identical with kmod's modprobe\n", same, files.size());
}
