// modpost's options beyond the ones kbuild passes on Debian's configuration: every
// recorded corpus run is run again with one option added (-w, -N, -d FILE, -W, -a, -E, -n,
// and 6.12's -t and -u FILE), by the real modpost of the version and by ours, on the same
// inputs put back at their recorded paths.  stdout, stderr, the exit code and every file
// either writes must be identical.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "tests/modpost_corpus.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;

struct Run {
  Outcome outcome;
  std::map<std::string, std::string> written;  // files new or changed under the root and cwd
};

Run run_variant(const ModpostCase& c, const std::string& binary, const std::vector<std::string>& pre,
                const std::vector<std::string>& extra) {
  put_back(c);
  std::map<std::string, std::string> before;
  for (const auto& f : files_under(c.root)) before[f] = read_file(f);
  const std::set<std::string> cwd_before = entries_in(c.cwd);
  std::vector<std::string> argv = pre;
  argv.insert(argv.begin(), binary);
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  Run r;
  r.outcome = run_argv(argv, c.cwd, c.stdin_path.value_or("/dev/null"));
  for (const auto& f : files_under(c.root)) {
    auto it = before.find(f);
    std::string now = read_file(f);
    if (it == before.end() || it->second != now) r.written[f] = std::move(now);
  }
  for (const auto& f : entries_in(c.cwd))
    if (!cwd_before.count(f)) {
      r.written[f] = fs::is_regular_file(f) ? read_file(f) : "<dir>";
      fs::remove_all(f);
    }
  return r;
}

void check_options(const std::string& version) {
  const std::string ours = our_modpost_binary(), real = real_modpost_binary(version);
  ASSERT_EQ(access(ours.c_str(), X_OK), 0) << "modpost binary missing: " << ours;
  ASSERT_EQ(access(real.c_str(), X_OK), 0) << "real modpost missing: " << real;
  const auto cases = modpost_cases(version);
  ASSERT_GE(cases.size(), 20u) << "no modpost corpus for " << version;

  std::vector<std::vector<std::string>> variants = {{"-w"}, {"-N"}, {"-W"}, {"-a"}, {"-E"}, {"-n"}, {"-w", "-N", "-E"}};
  const bool v612 = version == "6.12";
  if (v612) variants.push_back({"-t"});

  CorpusLock lock;
  ASSERT_GE(lock.fd, 0);
  int runs = 0, identical = 0;
  for (const auto& path : cases) {
    const ModpostCase c(path);
    SCOPED_TRACE(path.filename().string());
    if (!outside_inputs_ok(c)) continue;
    auto all = variants;
    // the files -d and -u name live under the root, so both runs see the same paths
    all.push_back({"-d", c.root + "/nsdeps"});
    // -u names exports to keep when trimming: every other export the real run wrote to
    // its -o file (and a list that does not exist: both tools must fail alike)
    if (v612) {
      all.push_back({"-t", "-u", c.root + "/no-such-whitelist"});
      std::string keep;
      for (std::size_t i = 0; i + 1 < c.args.size(); ++i) {
        if (c.args[i] != "-o" || !fs::exists(c.recorded_output(c.args[i + 1]))) continue;
        std::istringstream dump(read_file(c.recorded_output(c.args[i + 1])));
        int n = 0;
        for (std::string line; std::getline(dump, line); ++n) {
          const auto a = line.find('\t'), b = line.find('\t', a + 1);
          if (n % 2 == 0 && b != std::string::npos) keep += line.substr(a + 1, b - a - 1) + "\n";
        }
      }
      const std::string list = temp_dir() + "/whitelist";
      write_file(list, keep);
      all.push_back({"-t", "-u", list});
    }
    for (const auto& extra : all) {
      const Run want = run_variant(c, real, {}, extra);
      const Run got = run_variant(c, ours, {"--kernel=" + version}, extra);
      ++runs;
      std::string opts;
      for (const auto& e : extra) opts += " " + e;
      const bool same = got.outcome.out == want.outcome.out && got.outcome.err == want.outcome.err &&
                        got.outcome.exit_code == want.outcome.exit_code && got.written == want.written;
      identical += same;
      EXPECT_EQ(got.outcome.err, want.outcome.err) << "stderr with" << opts;
      EXPECT_EQ(got.outcome.exit_code, want.outcome.exit_code) << "exit code with" << opts;
      EXPECT_EQ(got.written.size(), want.written.size()) << "files written with" << opts;
      for (const auto& [f, text] : want.written) {
        auto it = got.written.find(f);
        if (it == got.written.end()) ADD_FAILURE() << "with" << opts << ": ours did not write " << f;
        else EXPECT_EQ(it->second, text) << "with" << opts << ": " << f;
      }
    }
    fs::remove_all(c.root);
  }
  std::printf("modpost %s options: %zu cases x %zu option sets = %d runs, %d identical to the real modpost\n",
              version.c_str(), cases.size(), variants.size() + (v612 ? 3 : 1), runs, identical);
  EXPECT_EQ(identical, runs);
}

TEST(ModpostOptions, Kernel61) { check_options("6.1"); }
TEST(ModpostOptions, Kernel612) { check_options("6.12"); }

}  // namespace
}  // namespace modforge::test
