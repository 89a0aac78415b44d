// The `modforge` command line: subcommands and their options (Boost.Program_options).
#pragma once
#include <string>
#include <vector>

namespace modforge::kbuild {

int modforge_main(const std::vector<std::string>& args);

}  // namespace modforge::kbuild
