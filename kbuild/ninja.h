// `modforge ninja` (writes build.ninja, see ninja_file.h) and the hidden `modforge step`
// its edges run: one target of the Build stage, or the modpost or modfinal stage, run by
// the driver exactly as `modforge build` runs it.
#pragma once
#include <string>
#include <vector>

namespace modforge::kbuild {

int cmd_ninja(const std::vector<std::string>& args);
int cmd_step(const std::vector<std::string>& args);

}  // namespace modforge::kbuild
