// depmod.d configuration as kmod 30 reads it: "search", "override", "external" and
// "exclude" lines from the *.conf files of /etc/depmod.d, /run/depmod.d,
// /usr/local/lib/depmod.d and /lib/depmod.d (or the -C paths).  kmod reads these absolute
// paths even with -b.  Lists are kept in kmod's order: each new entry goes to the front.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace modforge::loader::depmod {

struct SearchEntry {
  enum Kind { path, builtin, external } kind = path;
  std::string dir;  // for path
};

struct DepmodConfig {
  std::vector<SearchEntry> searches;    // front = last one read
  std::vector<std::string> overrides;   // "subdir/modname", front = last one read
  std::vector<std::string> externals;   // directories, front = last one read
  std::vector<std::string> excludes;    // directory names
};

// Messages go through `log(priority, text)` with syslog priorities (3 error, 6 info).
using LogFn = std::function<void(int, const std::string&)>;

DepmodConfig load_config(const std::vector<std::string>& paths, const std::string& kversion, const LogFn& log);

std::vector<std::string> default_config_paths();

}  // namespace modforge::loader::depmod
