// Finding modules by name or alias as libkmod 30 does for modinfo: the configuration's
// aliases and install/remove commands (kmod::ModprobeConfig), then modules.dep.bin, modules.symbols.bin, modules.alias.bin,
// modules.builtin.bin and modules.builtin.alias.bin under the module directory.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/kmod/modprobe_config.h"

namespace modforge::loader::modinfo {

struct FoundModule {
  std::string name;
  std::optional<std::string> path;  // absolute; none for a built-in module
  bool builtin = false;             // found through a built-in index
};

class Lookup {
public:
  // `dirname` is the module directory (<root>/lib/modules/<release>), already absolute.
  Lookup(std::string dirname, kmod::ModprobeConfig config);
  const std::string& dirname() const { return dirname_; }

  // kmod_module_new_from_lookup; nullopt when the alias is malformed (unbalanced brackets).
  std::optional<std::vector<FoundModule>> by_alias(std::string_view alias) const;
  // kmod_module_new_from_name_lookup (modinfo -m).
  std::optional<FoundModule> by_name(std::string_view name) const;

  // The path modules.dep gives `name`, as kmod_module_get_path finds it.
  std::optional<std::string> path_of(std::string_view name) const;
  bool is_builtin(std::string_view name) const;
  // `name`'s entries of modules.builtin.modinfo with the "name." prefix removed; errno
  // (ENOENT when there is no such file) on failure.
  int builtin_modinfo(std::string_view name, std::vector<std::string>& out) const;

private:
  std::string index_path(const char* file) const { return dirname_ + "/" + file; }
  std::optional<std::string> dep_line(std::string_view name) const;
  std::string dirname_;
  kmod::ModprobeConfig config_;
};

// `path` made absolute.
std::string make_absolute(std::string_view path);            // against the cwd, not cleaned

}  // namespace modforge::loader::modinfo
