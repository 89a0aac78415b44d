// genksyms as a library: the whole command, as the kernel's scripts/genksyms/genksyms runs
// it, with its arguments, standard input, standard output, standard error and exit code.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/kernel.h"
#include "core/tool_main.h"

namespace modforge::genksyms {

using Kernel = modforge::Kernel;

using Streams = modforge::Streams;

// args[0] is the program name (getopt prints it in its messages).  Files named by -r and
// -T are read and written here; -T is replaced atomically.  Returns the exit code.
int run(const std::vector<std::string>& args, Kernel kernel, std::string_view input, Streams& io);


}  // namespace modforge::genksyms
