// The /proc/modules size of a module that loads, from the "layout" area's rules.
#pragma once
#include <cstdint>
#include <string_view>

#include "loader/kernel/target.h"
#include "loader/layout/layout.h"

namespace modforge::loader::kernel {

struct Sizes {
  uint64_t core = 0, init = 0;
};

// `image` without its signature.  layout_of also gives each section's place (none when
// even the copy is refused).  Fields LLVM refuses and the kernel ignores are set
// right on a copy first; an image LLVM still refuses gets 0 sizes.
ModuleLayout layout_of(std::string_view image, const Target& t, bool ignore_modversions);
Sizes sizes_of(std::string_view image, const Target& t, bool ignore_modversions);

}  // namespace modforge::loader::kernel
