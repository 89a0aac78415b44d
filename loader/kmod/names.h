// Module names and aliases as kmod 30 normalizes them (shared/util.c), for depmod, modinfo
// and the commands: one definition of each, with kmod's edge cases (a NUL ends the input;
// results are cut at PATH_MAX - 1 bytes as kmod's fixed buffers cut them).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace modforge::loader::kmod {

// modname_normalize: '-' becomes '_', up to the first '.' (the rest is dropped).
std::string modname_normalize(std::string_view name);
// path_to_modname: modname_normalize of the base name.
std::string path_to_modname(std::string_view path);
// alias_normalize: '-' becomes '_' outside [...] groups, which are copied as they are;
// nullopt for an unbalanced bracket (kmod's -EINVAL).
std::optional<std::string> alias_normalize(std::string_view alias);
// underscores: '-' becomes '_' outside [...] groups; brackets are never an error (a '['
// without its ']' protects the rest of the string).
std::string underscores(std::string s);

}  // namespace modforge::loader::kmod
