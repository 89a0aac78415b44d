#include "loader/kernel/load_info.h"

namespace modforge::loader::kernel {

std::string LoadInfo::name_or_missing() const {
  return m.has_name ? m.name : std::string("(missing .modinfo section or name field)");
}

void LoadInfo::lockdep_unreliable() {
  if (state.lockdep_off) return;
  state.lockdep_off = true;
  log(kWarn, "Disabling lock debugging due to kernel taint");
}

}  // namespace modforge::loader::kernel
