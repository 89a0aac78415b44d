// genksyms: a drop-in for the kernel's scripts/genksyms/genksyms (6.1 and 6.12).
#include <cstdio>
#include <unistd.h>

#include "core/input.h"
#include "genksyms/genksyms.h"


int main(int argc, char** argv) {
  using namespace modforge;
  std::vector<std::string> args(argv, argv + argc);
  Kernel kernel = Kernel::v6_12;  // the newest, when neither --kernel nor MODFORGE_KERNEL says
  if (!select_kernel(args, kernel)) return 1;
  return tool_main(args, [&](Streams& io) {
    Input in = Input::from_fd(0, "<stdin>");
    return genksyms::run(args, kernel, in.bytes(), io);
  });
}
