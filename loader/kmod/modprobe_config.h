// modprobe.d configuration as libkmod 30 reads it (libkmod-config.c, kmod_config_new and
// kmod_config_parse), the one reader for modprobe and modinfo: alias, options, install,
// remove, softdep and blacklist lines from the configuration files, plus
// <dirname>/modules.softdep, which libkmod sorts among them by its base name (kmod takes
// the first softdep line matching a module).
#pragma once
#include <string>
#include <vector>

namespace modforge::loader::kmod {

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

  // `paths`: directories or files, listed as kmod::ConfFiles lists them (modprobe passes its
  // -C arguments or kmod::modprobe_d_dirs(); modinfo passes none, so only modules.softdep
  // is read).  Messages for bad lines go to `diag`, in libkmod's words.
  static ModprobeConfig load(const std::vector<std::string>& paths, const std::string& dirname, std::string& diag);

  // One file's text; `file` names it in the messages.
  void parse(std::string_view text, const std::string& file, std::string& diag);
};

}  // namespace modforge::loader::kmod
