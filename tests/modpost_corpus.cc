#include "tests/modpost_corpus.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <gtest/gtest.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA256.h>
#include <sstream>

namespace modforge::test {

namespace fs = std::filesystem;

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream s(text);
  for (std::string l; std::getline(s, l);) out.push_back(l);
  return out;
}
}  // namespace

ModpostCase::ModpostCase(const fs::path& d) : dir(d) {
  args = lines_of(read_file(d / "args"));
  cwd = lines_of(read_file(d / "cwd")).at(0);
  root = lines_of(read_file(d / "root")).at(0);
  if (fs::exists(d / "stdin")) stdin_path = (d / "stdin").string();
  exit_code = std::stoi(read_file(d / "exit"));
  for (const auto& l : lines_of(read_file(d / "inputs"))) {
    CaseInput in;
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

std::vector<fs::path> modpost_cases(const std::string& version) {
  std::vector<fs::path> cases;
  const fs::path dir = fs::path(corpus_dir()) / ("modpost-" + version);
  if (!fs::is_directory(dir)) return cases;
  for (const auto& e : fs::directory_iterator(dir))
    if (fs::exists(e.path() / "inputs")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string our_modpost_binary() {
  const char* build = std::getenv("MODFORGE_BUILD");
  return std::string(build ? build : "") + "/modpost/modpost";
}

std::string real_modpost_binary(const std::string& version) {
  return version == "6.1" ? "/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64"
                          : "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64";
}


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

CorpusLock::CorpusLock() : fd(open(kLockFile, O_RDWR | O_CREAT, 0666)) {
  if (fd >= 0) flock(fd, LOCK_EX);
}
CorpusLock::~CorpusLock() {
  if (fd >= 0) close(fd);
}

void put_back(const ModpostCase& c) {
  fs::remove_all(c.root);
  fs::create_directories(c.root);
  if (fs::is_directory(c.dir / "files"))
    fs::copy(c.dir / "files", c.root, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

bool outside_inputs_ok(const ModpostCase& c) {
  bool ok = true;
  for (const auto& in : c.inputs) {
    if (in.kind == "ext") {
      bool same = fs::exists(in.path) && sha256_of(in.path) == in.sha256;
      EXPECT_TRUE(same) << in.path << " is missing or differs from the one the corpus was recorded with "
                        << "(are the exact Debian headers packages installed?)";
      ok &= same;
    } else if (in.kind == "absent") {
      EXPECT_FALSE(fs::exists(in.path)) << in.path << " must not exist (the real modpost did not find it)";
      ok &= !fs::exists(in.path);
    }
  }
  return ok;
}

}  // namespace modforge::test
