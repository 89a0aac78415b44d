// The CRCs genksyms computed, as kbuild left them in each object's .cmd file
// ("#SYMVER <name> <crc>" lines), for the objects a module's .mod file lists.
#pragma once
#include "modpost/context.h"

namespace modforge::modpost {

// mod_set_crcs()
void set_crcs(Context& cx, Module& mod);

}  // namespace modforge::modpost
