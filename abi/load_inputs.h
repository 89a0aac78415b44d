// The modules `modforge check load` is given: .ko files (also .ko.xz/.zst/.gz), directories
// of them (a `modforge build` output directory is one), expanded in a stable order.
#pragma once
#include <string>
#include <vector>

namespace modforge::abi {

struct ModuleInput {
  std::string path;  // as found (a file under a given directory keeps that prefix)
  std::string name;  // the module name its file name implies (kmod's path_to_modname)
};

// Throws Error("<arg>: <cause>") for a missing or unreadable argument, or a directory
// without a single module.
std::vector<ModuleInput> expand_modules(const std::vector<std::string>& args);

// Whether a file name is a module's: NAME.ko, NAME.ko.xz, NAME.ko.zst, NAME.ko.gz.
bool is_module_file_name(const std::string& file_name);

}  // namespace modforge::abi
