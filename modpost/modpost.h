// modpost as a library: the whole command, as the kernel's scripts/mod/modpost runs it,
// with its arguments, its standard input (6.1's "-T -"), its standard error and exit code.
// Files are read and written relative to the process's working directory, as kbuild
// expects; every output file is replaced atomically.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/kernel.h"
#include "core/tool_main.h"

namespace modforge::modpost {

using Streams = modforge::Streams;

// args[0] is the program name (getopt prints it in its messages).  Returns the exit code.
int run(const std::vector<std::string>& args, Kernel kernel, std::string_view stdin_text, Streams& io);

// The version when neither --kernel nor MODFORGE_KERNEL names one: kbuild runs modpost in
// the kernel tree, whose include/config/kernel.release says which; 6.12 otherwise.
Kernel detect_kernel(const std::string& release_file = "include/config/kernel.release");

}  // namespace modforge::modpost
