// kmod 30's modinfo: every field of a module file or of a module found by name or alias,
// in kmod's order and format, with its messages and exit codes.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace modforge::loader::modinfo {

// `args` are the command-line arguments without argv[0].  Returns the exit code.
int modinfo_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace modforge::loader::modinfo
