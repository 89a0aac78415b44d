// --depfile: every input a module's build used, as one make rule in the form GCC's -MD writes,
// for the build systems that run the driver as a single step and must know when to run it
// again (CMake's add_custom_command DEPFILE with Ninja and with Makefiles, ninja's depfile,
// make's -include).  kbuild's own dependency tracking stays the driver's: this file only tells
// the outer build that something the driver would look at changed.
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kbuild/make_eval.h"

namespace modforge::kbuild {

// Adds to `inputs` (absolute, lexically normal paths of existing files) what the build of
// `ev`'s module read: every Makefile make read for the tree and the module (its Kbuild among
// them), every prerequisite of a target that no stage builds (sources, KBUILD_EXTRA_SYMBOLS,
// the tree's module.lds ...) and every dependency the .cmd files record (headers, the tree's
// include/config files).  Links of a --build-dir mirror are given as what they point to, and
// the build's own outputs are left out.  Call it after a successful build: the .cmd files are
// then complete.
void collect_inputs(Evaluator& ev, std::set<std::string>& inputs);

// `path` escaped for a make rule as GCC writes it: '\ ' for a blank, '\#', '$$'.
std::string depfile_escape(std::string_view path);

// The rule "T1 T2: \\\n  I1 \\\n  I2\n".
std::string depfile_text(const std::vector<std::string>& targets, const std::set<std::string>& inputs);

}  // namespace modforge::kbuild
