// genksyms: a drop-in for the kernel's scripts/genksyms/genksyms (6.1 and 6.12).
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "core/error.h"
#include "core/input.h"
#include "genksyms/genksyms.h"

namespace {
void write_fd(int fd, const std::string& s) {
  const char* p = s.data();
  std::size_t n = s.size();
  while (n) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}
}  // namespace

int main(int argc, char** argv) {
  using namespace modforge;
  std::vector<std::string> args(argv, argv + argc);
  Kernel kernel = Kernel::v6_12;
  std::string bad;
  if (!take_kernel_option(args, std::getenv("MODFORGE_KERNEL"), kernel, bad)) {
    write_fd(2, args[0] + ": " + bad + "\n");
    return 1;
  }
  genksyms::Streams io;
  int rc;
  try {
    Input in = Input::from_fd(0, "<stdin>");
    rc = genksyms::run(args, kernel, in.bytes(), io);
  } catch (const Error& e) {
    io.err += args[0] + ": " + e.what() + "\n";
    rc = e.exit_code();
  }
  // The real tool's stderr is unbuffered and its stdout is flushed at exit.
  write_fd(2, io.err);
  write_fd(1, io.out);
  return rc;
}
