// modpost: a drop-in for the kernel's scripts/mod/modpost (6.1 and 6.12).
#include <unistd.h>

#include "core/input.h"
#include "modpost/modpost.h"
#include "modpost/rules.h"

int main(int argc, char** argv) {
  using namespace modforge;
  std::vector<std::string> args(argv, argv + argc);
  Kernel kernel = modpost::detect_kernel();
  if (!select_kernel(args, kernel)) return 1;
  return tool_main(args, [&](Streams& io) {
    // Only a "-T -" that reads standard input (6.1's) has it read.
    std::string in;
    bool wants_stdin = false;
    for (std::size_t i = 1; i + 1 < args.size(); ++i)
      if (args[i] == "-T" && args[i + 1] == "-") wants_stdin = true;
    for (const std::string& a : args)
      if (a == "-T-") wants_stdin = true;
    if (wants_stdin && modpost::rules_for(kernel).t_dash_is_stdin) in = std::string(Input::from_fd(0, "<stdin>").bytes());
    return modpost::run(args, kernel, in, io);
  });
}
