// depmod's working state: the modules found (kmod's struct mod), the symbol table and the
// settings of the run.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loader/depmod/config.h"
#include "loader/depmod/log.h"
#include "loader/depmod/modread.h"

namespace modforge::loader::depmod {

inline constexpr uint32_t kNoOwner = UINT32_MAX;

struct Mod {
  std::string path;        // as found (absolute)
  std::string modname;     // normalized: up to the first '.', '-' as '_'
  std::size_t baselen = 0; // position of the last '/' in path
  bool has_relpath = false;
  std::string relpath;     // path below <dirname>/, when it lies there
  std::string uncrelpath;  // relpath cut after <modname>.ko, as modules.order names it
  int sort_idx = 1;
  int dep_sort_idx = INT32_MAX;
  uint32_t idx = 0;    // position in the sorted array
  uint32_t users = 0;  // modules depending on this one
  bool visited = false;
  std::vector<uint32_t> deps;  // direct dependencies (array positions)
  ModuleData data;

  const std::string& shown_path() const { return has_relpath ? relpath : path; }
};

struct Symbol {
  uint32_t owner = kNoOwner;
  uint64_t crc = 0;
};

struct Settings {
  std::string kversion;
  std::string dirname;     // <root>/lib/modules/<version>
  std::string outdirname;  // where the files go
  char sym_prefix = '\0';
  bool check_symvers = false, print_unknown = false, warn_dups = false;
  DepmodConfig cfg;
};

struct State {
  const Settings& s;
  const Log& log;
  std::vector<Mod> mods;  // sorted as kmod's array
  std::unordered_map<std::string, Symbol> symbols;
};

}  // namespace modforge::loader::depmod
