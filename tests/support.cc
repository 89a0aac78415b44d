#include "tests/support.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include "genksyms/genksyms.h"

namespace {
// Defaults for the paths the build knows; an environment set by the caller wins.
const bool kEnvironmentDefaults = [] {
  setenv("MODFORGE_SOURCE", MODFORGE_SOURCE_DIR, 0);
  setenv("MODFORGE_BUILD", MODFORGE_BUILD_DIR, 0);
  setenv("MODFORGE_CORPUS", MODFORGE_BUILD_DIR "/corpus", 0);
  return true;
}();
}  // namespace

namespace modforge::test {

namespace fs = std::filesystem;

namespace {
struct TempRoot {
  std::string path;
  TempRoot() {
    std::string tmpl = (fs::temp_directory_path() / "modforge-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempRoot() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};
TempRoot& root() {
  static TempRoot r;
  return r;
}

std::vector<std::string> substitute(const std::vector<std::string>& args, const std::string& types) {
  std::vector<std::string> out;
  for (const auto& a : args) out.push_back(a == "@T@" ? types : a);
  return out;
}

bool wants_types(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "@T@") return true;
  return false;
}
}  // namespace

std::string temp_dir() {
  static int n = 0;
  std::string p = root().path + "/" + std::to_string(n++);
  fs::create_directories(p);
  return p;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_file(const std::string& path, std::string_view data) {
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::string real_genksyms(std::string_view kernel) {
  if (kernel == "6.1") return "/usr/lib/linux-kbuild-6.1/scripts/genksyms/genksyms";
  return "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/genksyms/genksyms";
}

std::string corpus_dir() {
  const char* d = std::getenv("MODFORGE_CORPUS");
  return d ? d : "";
}

Outcome run_argv(const std::vector<std::string>& argv, const std::string& cwd, const std::string& stdin_path) {
  const std::string tmp = temp_dir(), out = tmp + "/stdout", err = tmp + "/stderr";
  pid_t pid = fork();
  if (pid == 0) {
    int i = open(stdin_path.c_str(), O_RDONLY), o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
        e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (i < 0 || o < 0 || e < 0 || (!cwd.empty() && chdir(cwd.c_str()) != 0)) _exit(126);
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

Outcome run_program(const std::string& path, const std::vector<std::string>& args, std::string_view input) {
  if (access(path.c_str(), X_OK) != 0) throw std::runtime_error("real tool missing: " + path);
  std::string dir = temp_dir();
  std::string types = dir + "/types";
  const std::string in = dir + "/stdin";
  write_file(in, input);
  std::vector<std::string> argv_s = {path};
  for (auto& a : substitute(args, types)) argv_s.push_back(a);
  Outcome r = run_argv(argv_s, "", in);
  // getopt names the program by its argv[0]; make that path neutral.
  for (std::size_t p; (p = r.err.find(path)) != std::string::npos;) r.err.replace(p, path.size(), "genksyms");
  if (wants_types(args) && fs::exists(types)) r.types = read_file(types);
  return r;
}

Outcome run_ours(std::string_view kernel, const std::vector<std::string>& args, std::string_view input) {
  std::string dir = temp_dir();
  std::string types = dir + "/types";
  std::vector<std::string> argv = {"genksyms"};
  for (auto& a : substitute(args, types)) argv.push_back(a);
  genksyms::Streams io;
  Outcome r;
  r.exit_code = genksyms::run(argv, kernel == "6.1" ? genksyms::Kernel::v6_1 : genksyms::Kernel::v6_12, input, io);
  r.out = std::move(io.out);
  r.err = std::move(io.err);
  if (wants_types(args) && fs::exists(types)) r.types = read_file(types);
  return r;
}

std::string shell_output(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

}  // namespace modforge::test
