#include "loader/kmod/modinfo.h"

#include "loader/kmod/elf.h"

namespace modforge::loader::kmod {

ModinfoEntry split_modinfo_string(std::string_view s) {
  const std::size_t eq = s.find('=');
  if (eq == std::string_view::npos) return {s, {}};
  return {s.substr(0, eq), s.substr(eq + 1)};
}

std::vector<ModinfoEntry> modinfo_entries(std::string_view section) {
  std::vector<ModinfoEntry> out;
  for (std::string_view s : section_strings(section)) out.push_back(split_modinfo_string(s));
  return out;
}

}  // namespace modforge::loader::kmod
