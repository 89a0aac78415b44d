// The checks modpost makes once every input is read: each unresolved symbol against the
// exports (undefined, namespaces, GPL-only), the module name's length, 6.12's list of
// exports to keep when trimming.
#pragma once
#include <string>

#include "modpost/context.h"

namespace modforge::modpost {

void check_exports(Context& cx, Module& mod);     // check_exports()
void check_modname_len(Context& cx, const Module& mod);
void mark_whitelisted_exports(Context& cx, const std::string& path);  // handle_white_list_exports()

}  // namespace modforge::modpost
