// Finding the modules (kmod's depmod_modules_search and the explicit list of paths), the
// priority rules of depmod.d when two files give the same module name, and the order of
// the module array (kmod's hash order, then modules.order).
#pragma once
#include <string>
#include <vector>

#include "loader/depmod/model.h"

namespace modforge::loader::depmod {

// The modules under dirname and the external directories, in kmod's array order.
std::vector<Mod> search_modules(const Settings& s, const Log& log);
// The given absolute paths (FATAL on a relative or missing one, or a repeated name).
std::vector<Mod> modules_from_paths(const Settings& s, const Log& log, const std::vector<std::string>& paths);

// kmod_exts of Debian's build (.ko, .ko.xz, .ko.zst).
bool has_module_extension(std::string_view name);

}  // namespace modforge::loader::depmod
