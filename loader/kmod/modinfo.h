// A module's .modinfo section: "key=value" strings separated by NULs, split as libkmod's
// kmod_module_get_info splits them (kmod_elf_get_strings, then the first '=').
#pragma once
#include <string_view>
#include <vector>

namespace modforge::loader::kmod {

struct ModinfoEntry {
  std::string_view key, value;  // "key=value"; a string without '=' has an empty value
};

ModinfoEntry split_modinfo_string(std::string_view s);
// Every string of the section, in file order.
std::vector<ModinfoEntry> modinfo_entries(std::string_view section);

}  // namespace modforge::loader::kmod
