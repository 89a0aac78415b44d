// modprobe.d configuration as libkmod reads it: alias, options, install, remove, softdep
// and blacklist lines from the configuration files, plus the softdeps depmod extracted
// from the modules themselves (<dirname>/modules.softdep, sorted among the configuration
// files by its base name; kmod takes the first softdep line matching a module).
#pragma once
#include <string>
#include <vector>

namespace modforge::loader::tools {

struct ConfigAlias { std::string pattern, module; };
struct ConfigOptions { std::string module, options; };
struct ConfigCommand { std::string module, command; };
struct ConfigSoftdep { std::string module; std::vector<std::string> pre, post; };

struct ModprobeConfig {
  std::vector<ConfigAlias> aliases;
  std::vector<ConfigOptions> options;
  std::vector<ConfigCommand> install, remove;
  std::vector<ConfigSoftdep> softdeps;
  std::vector<std::string> blacklist;

  // `paths`: the -C arguments, or kmod's default directories when empty, listed as
  // kmod::ConfFiles lists them.  Messages for bad lines go to `diag`, in libkmod's words.
  static ModprobeConfig load(const std::vector<std::string>& paths, const std::string& dirname, std::string& diag);

  void parse(const std::string& text, const std::string& file, std::string& diag);
};

}  // namespace modforge::loader::tools
