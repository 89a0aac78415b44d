#include "loader/modinfo/lookup.h"

#include <algorithm>
#include <cerrno>
#include <fnmatch.h>
#include <unistd.h>

#include "core/error.h"
#include "core/input.h"
#include "loader/kmod/index.h"
#include "loader/kmod/names.h"

namespace modforge::loader::modinfo {

std::string make_absolute(std::string_view path) {
  if (!path.empty() && path[0] == '/') return std::string(path);
  char buf[4096];
  if (getcwd(buf, sizeof buf) == nullptr) return std::string(path);
  return std::string(buf) + "/" + std::string(path);
}

Lookup::Lookup(std::string dirname, kmod::ModprobeConfig config) : dirname_(std::move(dirname)), config_(std::move(config)) {}

std::optional<std::string> Lookup::dep_line(std::string_view name) const {
  auto idx = kmod::Index::open(index_path("modules.dep.bin"));
  if (!idx) return std::nullopt;
  return idx->search(name);
}

std::optional<std::string> Lookup::path_of(std::string_view name) const {
  auto line = dep_line(name);
  if (!line) return std::nullopt;
  const std::size_t colon = line->find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string rel = line->substr(0, colon);
  if (!rel.empty() && rel[0] == '/') return rel;
  return dirname_ + "/" + rel;
}

bool Lookup::is_builtin(std::string_view name) const {
  auto idx = kmod::Index::open(index_path("modules.builtin.bin"));
  return idx && idx->search(name).has_value();
}

std::optional<std::vector<FoundModule>> Lookup::by_alias(std::string_view given) const {
  auto alias = kmod::alias_normalize(given);
  if (!alias) return std::nullopt;
  std::vector<FoundModule> list;
  auto add = [&](std::string name, bool builtin) {
    FoundModule m;
    m.name = std::move(name);
    m.builtin = builtin;
    list.push_back(std::move(m));
  };
  for (const kmod::ConfigAlias& a : config_.aliases)
    if (fnmatch(a.pattern.c_str(), alias->c_str(), 0) == 0) add(a.module, false);
  if (!list.empty()) return list;

  if (alias->find(':') == std::string::npos && dep_line(*alias)) {
    add(*alias, false);
    return list;
  }
  auto wild = [&](const char* file, bool builtin) {
    if (auto idx = kmod::Index::open(index_path(file)))
      for (std::string& v : idx->search_wild(*alias)) add(std::move(v), builtin);
  };
  if (alias->starts_with("symbol:")) {
    wild("modules.symbols.bin", false);
    if (!list.empty()) return list;
  }
  // kmod_lookup_alias_from_commands: the install commands' names, then the remove ones'
  for (const auto* commands : {&config_.install, &config_.remove})
    for (const kmod::ConfigCommand& c : *commands)
      if (c.module == *alias) {
        add(c.module, false);
        return list;
      }
  wild("modules.alias.bin", false);
  if (!list.empty()) return list;
  if (is_builtin(*alias)) {
    add(*alias, true);
    return list;
  }
  wild("modules.builtin.alias.bin", true);
  return list;
}

std::optional<FoundModule> Lookup::by_name(std::string_view given) const {
  const std::string name = kmod::modname_normalize(given);
  FoundModule m;
  m.name = name;
  if (name.find(':') == std::string::npos && dep_line(name)) return m;
  if (is_builtin(name)) {
    m.builtin = true;
    return m;
  }
  // Built-in modules are found by their aliases too (modules.builtin.alias.bin), the first
  // match taken.
  if (auto idx = kmod::Index::open(index_path("modules.builtin.alias.bin"))) {
    std::vector<std::string> found = idx->search_wild(name);
    if (!found.empty()) {
      m.name = found.front();
      m.builtin = true;
      return m;
    }
  }
  return std::nullopt;
}

int Lookup::builtin_modinfo(std::string_view name, std::vector<std::string>& out) const {
  out.clear();
  const std::string path = index_path("modules.builtin.modinfo");
  std::string text;
  try {
    text = std::string(Input::from_path(path).bytes());
  } catch (const Error&) {
    return ENOENT;
  }
  std::string prefix(name);
  prefix += '.';
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\0', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view s(text.data() + pos, end - pos);
    if (s.starts_with(prefix)) out.emplace_back(s.substr(prefix.size()));
    pos = end + 1;
  }
  return 0;
}

}  // namespace modforge::loader::modinfo
