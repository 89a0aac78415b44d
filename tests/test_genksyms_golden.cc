// The golden test: every recorded kbuild invocation of the real genksyms (tests/corpus/,
// made by make-genksyms-corpus.sh from Debian's kernel sources and headers packages) is
// replayed through our genksyms, and stdout, stderr, exit code and the -T file must be
// byte-identical to what the real tool wrote.
#include <filesystem>
#include <gtest/gtest.h>

#include "tests/support.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> read_args(const std::string& path) {
  std::vector<std::string> args;
  std::string text = read_file(path), line;
  for (char c : text) {
    if (c == '\n') {
      args.push_back(line == "@SYMTYPES@" ? "@T@" : line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) args.push_back(line == "@SYMTYPES@" ? "@T@" : line);
  return args;
}

void check_version(const std::string& version) {
  const std::string dir = corpus_dir() + "/" + version;
  ASSERT_TRUE(fs::is_directory(dir)) << "no corpus for " << version << " in " << dir;
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir))
    if (fs::exists(e.path() / "input.i")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  int identical = 0, symvers = 0;
  for (const auto& c : cases) {
    const std::string input = read_file(c / "input.i");
    Outcome got = run_ours(version, read_args(c / "args"), input);
    const std::string want_out = read_file(c / "stdout");
    const std::string want_err = read_file(c / "stderr");
    const int want_exit = std::stoi(read_file(c / "exit"));
    const std::string want_types = fs::exists(c / "symtypes") ? read_file(c / "symtypes") : "";
    bool same = got.out == want_out && got.err == want_err && got.exit_code == want_exit && got.types == want_types;
    EXPECT_EQ(got.out, want_out) << c;
    EXPECT_EQ(got.err, want_err) << c;
    EXPECT_EQ(got.exit_code, want_exit) << c;
    EXPECT_TRUE(got.types == want_types) << c << ": -T output differs";
    identical += same;
    for (std::size_t p = 0; (p = want_out.find("#SYMVER", p)) != std::string::npos; ++p) ++symvers;
  }
  std::printf("genksyms %s golden: %d/%zu corpus files identical (%d #SYMVER lines)\n", version.c_str(), identical,
              cases.size(), symvers);
  EXPECT_GE(cases.size(), 60u) << "the corpus must hold at least 60 files per version";
  EXPECT_EQ(static_cast<std::size_t>(identical), cases.size());
}

TEST(GenksymsGolden, Kernel61) { check_version("6.1"); }
TEST(GenksymsGolden, Kernel612) { check_version("6.12"); }

}  // namespace
}  // namespace modforge::test
