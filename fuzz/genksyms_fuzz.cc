// libFuzzer target for our genksyms: the whole command (genksyms::run) on arbitrary input.
//
// Input layout:
//   byte 0      configuration: bit 0 picks the kernel version whose run goes first (both
//               are always run), bits 1.. pick the argument set below.
//   bytes 1..   the preprocessed C text fed on standard input.  For argument sets that use
//               -r, the text after the first "\n%%\n" is the reference file instead (written
//               to one temporary path, created once and rewritten for each run), and the
//               text before it is standard input.
//
// Any crash, sanitizer report, timeout or out-of-memory is a finding.  Output is not checked
// here: tests/test_genksyms_badinput.cc compares us with the real tools.
//
// Memory budget: the real genksyms has inputs on which it builds a cyclic token list and
// allocates until malloc fails ("out of memory", exit 1), e.g. "int a, b(void);".  We
// faithfully do the same, which would stop every fuzzing session within seconds.  So the
// memory our code holds during one run is capped (operator new throws std::bad_alloc past
// kLiveBudget).  When that happens the real tool for the same kernel is run on the same
// input under a smaller address-space limit: if it also runs out of memory (or is killed),
// the input is a faithful reproduction of the real tool's bug and is ignored; if it
// finishes normally, our memory use is a finding and the target aborts.
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <malloc.h>
#include <new>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "core/fd_io.h"
#include "genksyms/genksyms.h"

// ---- memory accounting -------------------------------------------------------------------

namespace {
constexpr std::size_t kLiveBudget = std::size_t{128} << 20;  // bytes held by our code at once
bool g_counting = false;
bool g_exceeded = false;
std::size_t g_live = 0;

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  if (g_counting) {
    g_live += malloc_usable_size(p);
    if (g_live > kLiveBudget && !g_exceeded) {
      g_exceeded = true;  // later allocations (while unwinding) are allowed
      g_live -= malloc_usable_size(p);
      std::free(p);
      throw std::bad_alloc();
    }
  }
  return p;
}

void counted_free(void* p) noexcept {
  if (!p) return;
  if (g_counting) {
    std::size_t n = malloc_usable_size(p);
    g_live = n > g_live ? 0 : g_live - n;
  }
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_free(p); }

// ---- the target --------------------------------------------------------------------------

namespace {

namespace gk = modforge::genksyms;

std::string g_dir;    // a private temporary directory
std::string g_ref;    // the reference file path (-r)
std::string g_types;  // the -T path
std::string g_input;  // standard input for the real tool, when it has to be asked

void write_all(const std::string& path, std::string_view data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size()) std::abort();
  std::fclose(f);
}

void cleanup() {
  unlink(g_ref.c_str());
  unlink(g_types.c_str());
  unlink(g_input.c_str());
  rmdir(g_dir.c_str());
}

void setup() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/genksyms-fuzz-XXXXXX";
  if (!mkdtemp(tmpl.data())) std::abort();
  g_dir = tmpl;
  g_ref = g_dir + "/ref.symtypes";
  g_types = g_dir + "/out.symtypes";
  g_input = g_dir + "/stdin.i";
  write_all(g_ref, "");
  std::atexit(cleanup);
}

std::string real_tool(gk::Kernel k) {
  const char* env = std::getenv(k == gk::Kernel::v6_1 ? "GENKSYMS_REAL_6_1" : "GENKSYMS_REAL_6_12");
  if (env && *env) return env;
  return k == gk::Kernel::v6_1 ? "/usr/lib/linux-kbuild-6.1/scripts/genksyms/genksyms"
                               : "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/genksyms/genksyms";
}

// Runs the real tool on `text` with `args` (args[0] replaced) under a 256 MiB address-space
// limit and a 30 s CPU limit.  Returns true when it ran out of memory or died by a signal.
bool real_tool_exhausts_memory(gk::Kernel k, const std::vector<std::string>& args, std::string_view text) {
  const std::string path = real_tool(k);
  if (access(path.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "genksyms_fuzz: real tool %s missing; cannot judge a memory blow-up\n", path.c_str());
    return false;
  }
  write_all(g_input, text);
  std::vector<std::string> argv_s = args;
  argv_s[0] = path;
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  int err_pipe[2];
  if (pipe(err_pipe) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit as = {256ul << 20, 256ul << 20}, cpu = {30, 30};
    setrlimit(RLIMIT_AS, &as);
    setrlimit(RLIMIT_CPU, &cpu);
    int in = open(g_input.c_str(), O_RDONLY), null = open("/dev/null", O_WRONLY);
    dup2(in, 0);
    dup2(null, 1);
    dup2(err_pipe[1], 2);
    close(err_pipe[0]);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  close(err_pipe[1]);
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = modforge::read_up_to(err_pipe[0], buf, sizeof buf)) > 0;) {
    err.append(buf, static_cast<std::size_t>(n));
    if (err.size() > (1u << 20)) err.erase(0, err.size() - 4096);  // keep the tail only
  }
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return true;
  return err.find("out of memory\n") != std::string::npos;
}

// The argument sets.  "@R@" is the reference path, "@T@" the -T path.
const std::vector<std::vector<std::string>> kArgSets = {
    {},
    {"-w"},
    {"-w", "-d", "-d", "-D"},
    {"-w", "-T", "@T@"},
    {"-w", "-r", "@R@"},
    {"-w", "-p", "-r", "@R@", "-T", "@T@"},
    {"-q", "-D", "-T", "@T@"},
    {"-d", "-w", "-r", "@R@"},
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t config = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto& set = kArgSets[(config >> 1) % kArgSets.size()];

  std::vector<std::string> args = {"genksyms"};
  bool uses_ref = false;
  for (const auto& a : set) {
    if (a == "@R@") {
      uses_ref = true;
      args.push_back(g_ref);
    } else if (a == "@T@") {
      args.push_back(g_types);
    } else {
      args.push_back(a);
    }
  }
  if (uses_ref) {
    std::string_view ref;
    if (auto p = text.find("\n%%\n"); p != std::string_view::npos) {
      ref = text.substr(p + 4);
      text = text.substr(0, p + 1);
    }
    write_all(g_ref, ref);
  }

  const gk::Kernel order[2][2] = {{gk::Kernel::v6_1, gk::Kernel::v6_12},
                                  {gk::Kernel::v6_12, gk::Kernel::v6_1}};
  for (gk::Kernel k : order[config & 1]) {
    bool blew_up = false;
    {
      gk::Streams io;
      g_live = 0;
      g_exceeded = false;
      g_counting = true;
      try {
        int rc = gk::run(args, k, text, io);
        if (rc < 0 || rc > 255) std::abort();  // an exit code no process could have
      } catch (const std::bad_alloc&) {
        if (!g_exceeded) throw;
        blew_up = true;
      }
      g_counting = false;
    }
    if (blew_up) {
      if (real_tool_exhausts_memory(k, args, text)) return 0;  // the real tool's own bug
      std::fprintf(stderr, "genksyms_fuzz: our genksyms (%s) held more than %zu MiB, the real tool did not run out\n",
                   k == gk::Kernel::v6_1 ? "6.1" : "6.12", kLiveBudget >> 20);
      std::abort();
    }
  }
  return 0;
}
