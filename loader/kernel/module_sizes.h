// The layout of a module that loads (the "layout" area's rules), from the emulated
// kernel's own view of the image: where each section goes and the /proc/modules size.
#pragma once
#include "loader/kernel/module_view.h"
#include "loader/kernel/target.h"
#include "loader/layout/layout.h"

namespace modforge::loader::kernel {

// The layout's input as setup_load_info left `m` (its idx_* set, idx_vers 0 under
// MODULE_INIT_IGNORE_MODVERSIONS); `livepatch`: check_modinfo found a livepatch module.
layout::LayoutInput layout_input(const ModuleView& m, bool livepatch);

// layout_sections and layout_symtab for the target's version and .config.
layout::ModuleLayout layout_of(const ModuleView& m, const Target& t, bool livepatch);

}  // namespace modforge::loader::kernel
