// read_symbols(): one object named on the command line or in a -T list becomes a module:
// its licence and imports from .modinfo, its exports, its unresolved symbols, its device
// tables, the section-mismatch walk, its srcversion and its CRCs.
#pragma once
#include <string>

#include "modpost/context.h"

namespace modforge::modpost {

void read_object(Context& cx, const std::string& path);

// read_symbols_from_files(): every line of the -T list is an object.
void read_object_list(Context& cx, const std::string& list);

}  // namespace modforge::modpost
