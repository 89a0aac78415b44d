// The generated C files: <module>.mod.c (write_mod_c_file) and 6.12's .vmlinux.export.c,
// from the templates in templates/.
#pragma once
#include "modpost/context.h"

namespace modforge::modpost {

void write_mod_c(Context& cx, Module& mod);
void write_vmlinux_export_c(Context& cx, Module& mod);

}  // namespace modforge::modpost
