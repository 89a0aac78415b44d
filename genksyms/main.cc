// genksyms: a drop-in for the kernel's scripts/genksyms/genksyms (6.1 and 6.12).
#include <cstdio>
#include <unistd.h>

#include "core/error.h"
#include "core/fd_io.h"
#include "core/input.h"
#include "genksyms/genksyms.h"


int main(int argc, char** argv) {
  using namespace modforge;
  std::vector<std::string> args(argv, argv + argc);
  Kernel kernel = Kernel::v6_12;  // the newest, when neither --kernel nor MODFORGE_KERNEL says
  if (!select_kernel(args, kernel)) return 1;
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
  write_all(2, io.err);
  write_all(1, io.out);
  return rc;
}
