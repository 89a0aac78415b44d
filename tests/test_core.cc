// core/ pieces that the genksyms tests do not reach on their own.
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/atomic_file.h"
#include "core/cli.h"
#include "core/diag.h"
#include "core/error.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

TEST(CoreDiag, LocationPrefix) { EXPECT_EQ(diag::at("a.c", 12, "syntax error"), "a.c:12: syntax error\n"); }

TEST(CoreAtomicFile, ReplacesOnlyOnCommit) {
  const std::string dir = temp_dir(), path = dir + "/out";
  write_file(path, "old");
  {
    AtomicFile f(path);
    f.append("new");
    EXPECT_EQ(read_file(path), "old");  // not yet
  }
  EXPECT_EQ(read_file(path), "old");  // abandoned: untouched, no temporary left
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  AtomicFile f(path);
  f.append("new");
  f.commit();
  EXPECT_EQ(read_file(path), "new");
}

TEST(CoreAtomicFile, UnwritableTargetNamesFileAndCause) {
  try {
    AtomicFile f("/nonexistent-dir/x");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent-dir/x: No such file or directory");
  }
}

TEST(CoreAtomicFile, SpecialFilesAreWrittenInPlace) {
  AtomicFile f("/dev/null");
  f.append("x");
  f.commit();
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(CoreCli, GetoptStyleParsing) {
  const std::vector<cli::OptionSpec> specs = {{'d', "debug", false}, {'r', "reference", true}, {'T', "dump-types", true}};
  auto p = cli::parse({"prog", "-dd", "x", "-rfile", "--dump-types=t", "--ref", "f2", "--", "-d"}, specs);
  EXPECT_EQ(p.error, "");
  ASSERT_EQ(p.uses.size(), 5u);
  EXPECT_EQ(p.uses[2].value, "file");
  EXPECT_EQ(p.uses[3].value, "t");
  EXPECT_EQ(p.uses[4].value, "f2");
  EXPECT_EQ(p.operands, (std::vector<std::string>{"x", "-d"}));
  EXPECT_EQ(cli::parse({"prog", "-d", "-x"}, specs).error, "prog: invalid option -- 'x'");
  auto bad = cli::parse({"prog", "-d", "--d"}, specs);
  EXPECT_EQ(bad.error, "prog: option '--d' is ambiguous; possibilities: '--debug' '--dump-types'");
  EXPECT_EQ(bad.uses.size(), 1u);  // what came before the bad argument was still seen
  EXPECT_EQ(cli::parse({"prog", "-r"}, specs).error, "prog: option requires an argument -- 'r'");
  EXPECT_EQ(cli::parse({"prog", "--debug=1"}, specs).error, "prog: option '--debug' doesn't allow an argument");
  EXPECT_EQ(cli::parse({"prog", "--nope"}, specs).error, "prog: unrecognized option '--nope'");
}

}  // namespace
}  // namespace modforge::test
