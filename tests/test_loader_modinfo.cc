// modinfo_main called as a library, compared with kmod's /sbin/modinfo run on the same
// arguments (the whole-tree and case-by-case comparisons are tests/modinfo_*.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "loader/modinfo/modinfo.h"
#include "tests/support.h"

namespace {

namespace fs = std::filesystem;

std::string oracle_tree(const std::string& release) {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/root") + "/.cache/modforge-oracle/" + release + "/lib/modules/" + release;
}

std::string find_module(const std::string& tree, const std::string& file) {
  for (const auto& e : fs::recursive_directory_iterator(tree))
    if (e.path().filename() == file) return e.path().string();
  return {};
}

void expect_same(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/sbin/modinfo"};
  argv.insert(argv.end(), args.begin(), args.end());
  ASSERT_TRUE(fs::exists("/sbin/modinfo")) << "kmod's modinfo is missing";
  const modforge::test::Outcome real = modforge::test::run_argv(argv, "", "/dev/null");
  std::ostringstream out, err;
  const int rc = modforge::loader::modinfo::modinfo_main(args, out, err);
  EXPECT_EQ(real.out, out.str());
  EXPECT_EQ(real.err, err.str());
  EXPECT_EQ(real.exit_code, rc);
}

TEST(Modinfo, SignedModuleOf61) {
  const std::string m = find_module(oracle_tree("6.1.0-56-amd64"), "e1000e.ko");
  ASSERT_FALSE(m.empty());
  expect_same({m});
  expect_same({"-p", m});
  expect_same({"-0", m});
}

TEST(Modinfo, CompressedModuleOf612) {
  const std::string m = find_module(oracle_tree("6.12.117+deb12-amd64"), "e1000e.ko.xz");
  ASSERT_FALSE(m.empty());
  expect_same({m});
  expect_same({"-F", "signature", "-F", "parm", m});
}

TEST(Modinfo, ErrorsAndHelp) {
  const std::string dir = modforge::test::temp_dir();
  modforge::test::write_file(dir + "/text.ko", "not an ELF file\n");
  expect_same({dir + "/text.ko"});
  expect_same({dir + "/missing.ko"});
  expect_same({});
  expect_same({"-h"});
  expect_same({"-V"});
}

}  // namespace
