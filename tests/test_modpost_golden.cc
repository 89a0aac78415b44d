// The modpost golden test: every modpost invocation recorded from real kbuild builds
// (tests/corpus/modpost-<ver>.tar.xz, made by make-modpost-corpus.sh with the real
// modpost of Debian's 6.1 and 6.12 headers packages) is replayed through OUR modpost
// binary: same argv, working directory and stdin, with the inputs put back at their
// recorded absolute paths.  stdout, stderr, the exit code and every file the real tool
// wrote must be byte-identical, and ours must write no file the real one did not.
#include <cstdio>
#include <gtest/gtest.h>

#include "tests/modpost_corpus.h"
#include <unistd.h>

namespace modforge::test {
namespace {

namespace fs = std::filesystem;

void check_version(const std::string& version) {
  const std::string binary = our_modpost_binary();
  ASSERT_TRUE(access(binary.c_str(), X_OK) == 0) << "modpost binary missing: " << binary;
  const std::vector<fs::path> cases = modpost_cases(version);
  ASSERT_GE(cases.size(), 20u) << "the corpus must hold at least 20 modpost runs per version";

  CorpusLock lock;
  ASSERT_GE(lock.fd, 0) << "cannot open " << kLockFile;
  int identical = 0, files = 0, files_same = 0;
  for (const auto& path : cases) {
    SCOPED_TRACE(path.filename().string());
    const ModpostCase c(path);
    ASSERT_EQ(c.root.rfind(kFixedRoot, 0), 0u) << "case root outside " << kFixedRoot << ": " << c.root;
    put_back(c);
    const bool inputs_ok = outside_inputs_ok(c);
    if (!inputs_ok) continue;

    const std::set<std::string> before = files_under(c.root), cwd_before = entries_in(c.cwd);
    std::vector<std::string> argv = {binary, "--kernel=" + version};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const Outcome got = run_argv(argv, c.cwd, c.stdin_path.value_or("/dev/null"));

    bool same = true;
    auto compare = [&](const std::string& what, const std::string& got_s, const std::string& want) {
      ++files;
      bool eq = got_s == want;
      files_same += eq;
      same &= eq;
      EXPECT_EQ(got_s, want) << what;
    };
    compare("stdout", got.out, read_file(path / "stdout"));
    compare("stderr", got.err, read_file(path / "stderr"));
    EXPECT_EQ(got.exit_code, c.exit_code) << "exit code";
    same &= got.exit_code == c.exit_code;
    for (const auto& out : c.outputs) {
      if (!fs::exists(out)) {
        ++files;
        same = false;
        ADD_FAILURE() << "not written: " << out;
        continue;
      }
      compare(out, read_file(out), read_file(c.recorded_output(out)));
    }
    const std::set<std::string> expected(c.outputs.begin(), c.outputs.end());
    for (const auto& f : files_under(c.root))
      if (!before.count(f) && !expected.count(f)) {
        same = false;
        ADD_FAILURE() << "wrote " << f << ", which the real modpost did not write";
      }
    for (const auto& f : entries_in(c.cwd))
      if (!cwd_before.count(f) && !expected.count(f)) {
        same = false;
        ADD_FAILURE() << "created " << f << " in the working directory, which the real modpost did not";
      }
    identical += same;
    fs::remove_all(c.root);
  }
  std::printf("modpost %s golden: %zu cases, %d/%zu identical, %d/%d files identical (stdout, stderr, outputs)\n",
              version.c_str(), cases.size(), identical, cases.size(), files_same, files);
  EXPECT_EQ(static_cast<std::size_t>(identical), cases.size());
}

TEST(ModpostGolden, Kernel61) { check_version("6.1"); }
TEST(ModpostGolden, Kernel612) { check_version("6.12"); }

}  // namespace
}  // namespace modforge::test
