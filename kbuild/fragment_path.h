// Where templates/modforge.mk (the Makefile fragment of `include $(shell modforge --makefile)`)
// is for the running binary: <prefix>/share/modforge/modforge.mk beside <prefix>/bin/modforge
// when installed, the source tree's templates/modforge.mk when run from the build tree.
#pragma once
#include <string>

namespace modforge::kbuild {

// The fragment's absolute path; throws Error when neither place has it.
std::string makefile_fragment_path();

}  // namespace modforge::kbuild
