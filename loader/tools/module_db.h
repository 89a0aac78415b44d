// What modprobe knows about a module directory (<root>/lib/modules/<release>): the depmod
// files (modules.dep, modules.alias, modules.symbols, modules.builtin) read as kmod reads
// them, and kmod's name lookup order over them.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader/kmod/names.h"

namespace modforge::loader::tools {

// The module name a path names (kmod's path_to_modname).
inline std::string module_name_of_path(std::string_view path) { return kmod::path_to_modname(path); }

struct DepEntry {
  std::string path;               // as written in modules.dep (relative to the directory)
  std::vector<std::string> deps;  // the line's dependencies, in the line's order
};

class ModuleDb {
public:
  // Reads the depmod text files under `dirname`; a missing file is an empty table, as
  // for kmod (modprobe then reports the module as not found).
  static ModuleDb load(const std::string& dirname);

  const std::string& dirname() const { return dirname_; }
  const DepEntry* dep(std::string_view name) const;
  bool builtin(std::string_view name) const;
  // modules.symbols: the module exporting `symbol_alias` ("symbol:NAME"), or "".
  std::string symbol_owner(std::string_view symbol_alias) const;
  // modules.alias: every module whose pattern matches `alias` (fnmatch), in file order.
  std::vector<std::string> alias_matches(std::string_view alias) const;
  // modules.builtin.modinfo's "alias=" entries: the built-in module matching `alias`, or "".
  std::string builtin_alias_owner(std::string_view alias) const;
  // The absolute path of a modules.dep path (relative ones are under dirname).
  std::string full_path(const std::string& path) const;

private:
  std::string dirname_;
  std::unordered_map<std::string, DepEntry> deps_;
  std::unordered_map<std::string, bool> builtin_;
  std::unordered_map<std::string, std::string> symbols_;
  std::vector<std::pair<std::string, std::string>> aliases_;  // pattern, module
  std::vector<std::pair<std::string, std::string>> builtin_aliases_;  // pattern, module
};

}  // namespace modforge::loader::tools
