#include "loader/kmod/config.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace modforge::loader::kmod {

std::vector<std::string> modprobe_d_dirs() {
  return {"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d"};
}

void ConfFiles::add(const std::string& name, const std::string& path) {
  auto it = std::find_if(files_.begin(), files_.end(),
                         [&](const ConfFile& f) { return std::strcmp(name.c_str(), f.name.c_str()) <= 0; });
  if (it != files_.end() && it->name == name) return;  // the first directory's file wins
  files_.insert(it, {name, path});
}

void ConfFiles::add_path(const std::string& path, const ConfLog& log) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return;
  if (!S_ISDIR(st.st_mode)) {
    const std::size_t slash = path.rfind('/');
    add(slash == std::string::npos ? path : path.substr(slash + 1), path);
    return;
  }
  DIR* d = opendir(path.c_str());
  if (!d) {
    if (log) log(3, "files list " + path + ": " + std::strerror(errno) + "\n");
    return;
  }
  while (dirent* de = readdir(d)) {
    const std::string name = de->d_name;
    if (name[0] == '.') continue;
    if (name.size() < 6 || name.compare(name.size() - 5, 5, ".conf") != 0) {
      if (log) log(6, "All cfg files need .conf: " + path + "/" + name + "\n");
      continue;
    }
    struct stat fst;
    if (fstatat(dirfd(d), name.c_str(), &fst, 0) == 0 && S_ISDIR(fst.st_mode)) {
      if (log) log(3, "Directories inside directories are not supported: " + path + "/" + name + "\n");
      continue;
    }
    add(name, path + "/" + name);
  }
  closedir(d);
}

}  // namespace modforge::loader::kmod
