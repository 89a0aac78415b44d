// The recorded modpost runs of tests/corpus/modpost-<ver>.tar.xz (layout in
// tests/corpus/README.md): reading a case, putting its inputs back at their recorded
// absolute paths, running a modpost binary there.  Shared by the golden and option tests.
#pragma once
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support.h"

namespace modforge::test {

// Where make-modpost-corpus.sh built the cases; each case's `root` lies below it.
inline constexpr std::string_view kFixedRoot = "/tmp/modforge-modpost-corpus/";
inline constexpr const char* kLockFile = "/tmp/modforge-modpost-corpus.lock";

struct CaseInput {
  std::string kind, path, sha256;  // kind: root | ext | absent
};

struct ModpostCase {
  std::filesystem::path dir;
  std::vector<std::string> args;
  std::string cwd, root;
  std::optional<std::string> stdin_path;
  int exit_code = 0;
  std::vector<CaseInput> inputs;
  std::vector<std::string> outputs;

  explicit ModpostCase(const std::filesystem::path& d);
  std::filesystem::path recorded_output(const std::string& path) const {
    return dir / "out" / std::filesystem::relative(path, root);
  }
};

// The case directories of one version ("6.1", "6.12"), sorted.
std::vector<std::filesystem::path> modpost_cases(const std::string& version);
// <build>/modpost/modpost
std::string our_modpost_binary();
std::string real_modpost_binary(const std::string& version);

std::string sha256_of(const std::string& path);
std::set<std::string> files_under(const std::string& dir);
std::set<std::string> entries_in(const std::string& dir);

// Holds the lock that make-modpost-corpus.sh also takes: both use the fixed paths.
struct CorpusLock {
  int fd;
  CorpusLock();
  ~CorpusLock();
};

// Recreates the case's root with its recorded inputs.
void put_back(const ModpostCase& c);
// Checks the inputs outside the root (hashes, absent files); false with failures added.
bool outside_inputs_ok(const ModpostCase& c);

}  // namespace modforge::test
