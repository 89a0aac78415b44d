// kmod's depmod_load: every module's exported symbols into one table (a later module in
// the array replaces an earlier owner), then each module's needed symbols resolved to
// dependencies, then the topological order that sorts the dependency lists.
#pragma once
#include <string>

#include "loader/depmod/model.h"

namespace modforge::loader::depmod {

// Reads every module file (on all cores), then resolves.  Returns false when the
// dependencies have a cycle (reported as kmod reports it).
bool load_modules(State& st);

// System.map (-F) and Module.symvers (-E): kernel symbols with no owner.  Return an errno
// value, 0 on success.
int load_system_map(State& st, const std::string& path);
int load_symvers(State& st, const std::string& path);

}  // namespace modforge::loader::depmod
