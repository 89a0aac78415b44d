// The modpost golden test: every modpost invocation recorded from real kbuild builds
// (tests/corpus/modpost-<ver>.tar.xz, made by make-modpost-corpus.sh with the real
// modpost of Debian's 6.1 and 6.12 headers packages) is replayed through OUR modpost
// binary: same argv, working directory and stdin, with the inputs put back at their
// recorded absolute paths.  stdout, stderr, the exit code and every file the real tool
// wrote must be byte-identical, and ours must write no file the real one did not.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA256.h>
#include <optional>
#include <set>
#include <sstream>

#include "tests/support.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;

// Where make-modpost-corpus.sh built the cases; each case's `root` lies below it.
constexpr std::string_view kFixedRoot = "/tmp/modforge-modpost-corpus/";
constexpr const char* kLockFile = "/tmp/modforge-modpost-corpus.lock";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream s(text);
  for (std::string l; std::getline(s, l);) out.push_back(l);
  return out;
}

struct Input {
  std::string kind, path, sha256;  // kind: root | ext | absent
};

struct Case {
  fs::path dir;
  std::vector<std::string> args;
  std::string cwd, root;
  std::optional<std::string> stdin_path;
  int exit_code = 0;
  std::vector<Input> inputs;
  std::vector<std::string> outputs;

  explicit Case(const fs::path& d) : dir(d) {
    args = lines_of(read_file(d / "args"));
    cwd = lines_of(read_file(d / "cwd")).at(0);
    root = lines_of(read_file(d / "root")).at(0);
    if (fs::exists(d / "stdin")) stdin_path = (d / "stdin").string();
    exit_code = std::stoi(read_file(d / "exit"));
    for (const auto& l : lines_of(read_file(d / "inputs"))) {
      Input in;
      auto sp = l.find(' ');
      in.kind = l.substr(0, sp);
      in.path = l.substr(sp + 1);
      if (in.kind == "ext") {
        in.sha256 = in.path.substr(0, 64);
        in.path = in.path.substr(65);
      }
      inputs.push_back(in);
    }
    outputs = lines_of(read_file(d / "outputs"));
  }
  fs::path recorded_output(const std::string& path) const { return dir / "out" / fs::relative(path, root); }
};

std::string sha256_of(const std::string& path) {
  std::string data = read_file(path);
  auto digest = llvm::SHA256::hash(llvm::arrayRefFromStringRef(data));
  return llvm::toHex(digest, /*LowerCase=*/true);
}

std::set<std::string> files_under(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file()) out.insert(it->path().string());
  return out;
}

std::set<std::string> entries_in(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    out.insert(it->path().string());
  return out;
}

// Runs `argv` in `cwd` with stdin from `in` (or /dev/null); captures stdout and stderr.
Outcome run_in(const std::vector<std::string>& argv, const std::string& cwd, const std::string& in) {
  std::string tmp = temp_dir(), out = tmp + "/stdout", err = tmp + "/stderr";
  pid_t pid = fork();
  if (pid == 0) {
    int i = open(in.c_str(), O_RDONLY), o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
        e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (i < 0 || o < 0 || e < 0 || chdir(cwd.c_str()) != 0) _exit(126);
    dup2(i, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome r;
  r.out = read_file(out);
  r.err = read_file(err);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// Holds the lock that make-modpost-corpus.sh also takes: both use the fixed paths.
struct CorpusLock {
  int fd;
  CorpusLock() : fd(open(kLockFile, O_RDWR | O_CREAT, 0666)) {
    if (fd >= 0) flock(fd, LOCK_EX);
  }
  ~CorpusLock() {
    if (fd >= 0) close(fd);
  }
};

void put_back(const Case& c) {
  fs::remove_all(c.root);
  fs::create_directories(c.root);
  if (fs::is_directory(c.dir / "files"))
    fs::copy(c.dir / "files", c.root, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

void check_version(const std::string& version) {
  // The corpus fixture extracts into <build>/corpus, so its parent is the build tree when
  // MODFORGE_BUILD did not reach us (gtest_discover_tests splits ENVIRONMENT lists).
  const char* build_env = std::getenv("MODFORGE_BUILD");
  const std::string build =
      build_env && *build_env ? build_env : fs::path(corpus_dir()).parent_path().string();
  ASSERT_FALSE(build.empty()) << "neither MODFORGE_BUILD nor MODFORGE_CORPUS is set (run through CTest)";
  const std::string binary = build + "/modpost/modpost";
  const fs::path dir = fs::path(corpus_dir()) / ("modpost-" + version);
  ASSERT_TRUE(fs::is_directory(dir)) << "no modpost corpus for " << version << " in " << dir;
  ASSERT_TRUE(access(binary.c_str(), X_OK) == 0) << "modpost binary missing: " << binary;

  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir))
    if (fs::exists(e.path() / "inputs")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 20u) << "the corpus must hold at least 20 modpost runs per version";

  CorpusLock lock;
  ASSERT_GE(lock.fd, 0) << "cannot open " << kLockFile;
  int identical = 0, files = 0, files_same = 0;
  for (const auto& path : cases) {
    SCOPED_TRACE(path.filename().string());
    const Case c(path);
    ASSERT_EQ(c.root.rfind(kFixedRoot, 0), 0u) << "case root outside " << kFixedRoot << ": " << c.root;
    put_back(c);
    bool inputs_ok = true;
    for (const auto& in : c.inputs) {
      if (in.kind == "ext") {
        bool same = fs::exists(in.path) && sha256_of(in.path) == in.sha256;
        EXPECT_TRUE(same) << in.path << " is missing or differs from the one the corpus was recorded with "
                          << "(are the exact Debian headers packages installed?)";
        inputs_ok &= same;
      } else if (in.kind == "absent") {
        EXPECT_FALSE(fs::exists(in.path)) << in.path << " must not exist (the real modpost did not find it)";
        inputs_ok &= !fs::exists(in.path);
      }
    }
    if (!inputs_ok) continue;

    const std::set<std::string> before = files_under(c.root), cwd_before = entries_in(c.cwd);
    std::vector<std::string> argv = {binary, "--kernel=" + version};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const Outcome got = run_in(argv, c.cwd, c.stdin_path.value_or("/dev/null"));

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
