// The configuration files kmod reads from directories such as modprobe.d and depmod.d
// (libkmod's conf_files_list, depmod's own copy of it): every "*.conf" file of each
// directory, or a path given as a file; all of them read in the order of their base names,
// and a base name seen first (an earlier directory) hides the later ones.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace modforge::loader::kmod {

// kmod 30's default directories for modprobe.d configuration.
std::vector<std::string> modprobe_d_dirs();

struct ConfFile {
  std::string name, path;  // base name, path to open
};

// Messages about what is skipped, with syslog priorities (3 error, 6 info), in kmod's words;
// modprobe and modinfo leave them unsaid.
using ConfLog = std::function<void(int priority, const std::string& text)>;

class ConfFiles {
public:
  // `name` at its place in base-name order, unless that name is already listed.
  void add(const std::string& name, const std::string& path);
  // A directory's "*.conf" files (not hidden, not directories), or `path` itself when it is
  // another kind of file; nothing when it does not exist.
  void add_path(const std::string& path, const ConfLog& log = {});
  const std::vector<ConfFile>& files() const { return files_; }

private:
  std::vector<ConfFile> files_;  // sorted by name
};

}  // namespace modforge::loader::kmod
