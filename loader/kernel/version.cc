// kernel/module/version.c: check_version and check_modstruct_version (a symbol's CRC
// against the module's __versions), with main.c's try_to_force_load.
#include <cerrno>
#include <string>

#include "loader/kernel/load_passes.h"

namespace modforge::loader::kernel {

int try_to_force_load(LoadInfo& li, const std::string& reason) {
  if (!li.target.force_load) return -ENOEXEC;
  if (!li.tainted(kTaintForcedModule)) li.log(kWarn, li.mod.name + ": " + reason + ": kernel tainted.");
  li.add_taint_module(kTaintForcedModule);
  li.lockdep_unreliable();
  return 0;
}
bool check_version(LoadInfo& li, std::string_view sym, bool has_crc, uint32_t crc) {
  if (!has_crc) return true;
  if (!li.m.idx_vers) return try_to_force_load(li, std::string(sym)) == 0;
  for (const ModVersion& v : li.versions()) {
    if (v.name != sym) continue;
    if (v.crc == crc) return true;
    li.log(kWarn, li.m.name + ": disagrees about version of symbol " + std::string(sym));
    return false;
  }
  li.log(kWarn, li.m.name + ": no symbol version for " + std::string(sym));
  return false;
}

// The target's module_layout CRC (6.1's Module.symvers has one; 6.12's has none).
int check_modstruct_version(LoadInfo& li) {
  auto it = li.target.exports.find("module_layout");
  if (it == li.target.exports.end()) return 0;
  return check_version(li, "module_layout", it->second.has_crc, it->second.crc) ? 0 : -ENOEXEC;
}

}  // namespace modforge::loader::kernel
