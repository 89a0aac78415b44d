#include "loader/tools/module_db.h"

#include <fnmatch.h>

#include <fstream>
#include <sstream>

#include "loader/kmod/names.h"

namespace modforge::loader::tools {

namespace {
template <typename F>
void for_each_line(const std::string& path, F f) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    f(line);
  }
}
}  // namespace

ModuleDb ModuleDb::load(const std::string& dirname) {
  ModuleDb db;
  db.dirname_ = dirname;
  for_each_line(dirname + "/modules.dep", [&](const std::string& line) {
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) return;
    DepEntry e;
    e.path = line.substr(0, colon);
    std::istringstream rest(line.substr(colon + 1));
    for (std::string d; rest >> d;) e.deps.push_back(d);
    db.deps_.emplace(module_name_of_path(e.path), std::move(e));  // the first line wins
  });
  for_each_line(dirname + "/modules.builtin", [&](const std::string& line) {
    db.builtin_.emplace(module_name_of_path(line), true);
  });
  auto alias_lines = [](const std::string& line, std::string& pattern, std::string& module) {
    std::istringstream ls(line);
    std::string word;
    return ls >> word && word == "alias" && ls >> pattern >> module;
  };
  for_each_line(dirname + "/modules.symbols", [&](const std::string& line) {
    std::string pattern, module;
    if (alias_lines(line, pattern, module)) db.symbols_.emplace(pattern, module);
  });
  for_each_line(dirname + "/modules.alias", [&](const std::string& line) {
    std::string pattern, module;
    // the .bin index kmod reads holds the patterns normalized ('-' to '_' outside [...])
    if (alias_lines(line, pattern, module)) db.aliases_.emplace_back(kmod::underscores(pattern), module);
  });
  {
    // "module.key=value" strings separated by NULs
    std::ifstream in(dirname + "/modules.builtin.modinfo", std::ios::binary);
    for (std::string entry; std::getline(in, entry, '\0');) {
      std::size_t dot = entry.find('.');
      if (dot == std::string::npos || entry.compare(dot + 1, 6, "alias=") != 0) continue;
      db.builtin_aliases_.emplace_back(kmod::underscores(entry.substr(dot + 7)), entry.substr(0, dot));
    }
  }
  return db;
}

std::string ModuleDb::builtin_alias_owner(std::string_view alias) const {
  const std::string a(alias);
  for (const auto& [pattern, module] : builtin_aliases_)
    if (::fnmatch(pattern.c_str(), a.c_str(), 0) == 0) return module;
  return {};
}

const DepEntry* ModuleDb::dep(std::string_view name) const {
  auto it = deps_.find(std::string(name));
  return it == deps_.end() ? nullptr : &it->second;
}

bool ModuleDb::builtin(std::string_view name) const { return builtin_.count(std::string(name)) != 0; }

std::string ModuleDb::symbol_owner(std::string_view symbol_alias) const {
  auto it = symbols_.find(std::string(symbol_alias));
  return it == symbols_.end() ? std::string() : it->second;
}

std::vector<std::string> ModuleDb::alias_matches(std::string_view alias) const {
  std::vector<std::string> out;
  const std::string a(alias);
  for (const auto& [pattern, module] : aliases_)
    if (::fnmatch(pattern.c_str(), a.c_str(), 0) == 0) out.push_back(module);
  return out;
}

std::string ModuleDb::full_path(const std::string& path) const {
  return !path.empty() && path[0] == '/' ? path : dirname_ + "/" + path;
}

}  // namespace modforge::loader::tools
