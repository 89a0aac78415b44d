#include "loader/depmod/scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "loader/depmod/kmod_hash.h"
#include "loader/kmod/names.h"

namespace modforge::loader::depmod {

bool has_module_extension(std::string_view name) {
  for (std::string_view ext : {std::string_view(".ko"), std::string_view(".ko.xz"), std::string_view(".ko.zst")})
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return true;
  return false;
}

namespace {

Mod make_mod(const Settings& s, const std::string& path, std::string modname) {
  Mod m;
  m.path = path;
  m.modname = std::move(modname);
  m.baselen = path.rfind('/');
  if (path.compare(0, s.dirname.size(), s.dirname) == 0 && path.size() > s.dirname.size() &&
      path[s.dirname.size()] == '/') {
    m.has_relpath = true;
    m.relpath = path.substr(s.dirname.size() + 1);
    // kmod copies relpath up to the end of "<name as in the file>.ko".
    const std::size_t base = m.baselen + 1 - (s.dirname.size() + 1);
    m.uncrelpath = m.relpath.substr(0, base + m.modname.size() + 3);
  }
  return m;
}

class Searcher {
public:
  Searcher(const Settings& s, const Log& log) : s_(s), log_(log) {}

  void search_path(const std::string& dir, bool external) {
    DIR* d = opendir(dir.c_str());
    if (!d) {
      const int e = errno;
      log_(kErr, "could not open directory " + dir + ": " + std::strerror(e) + "\n");
      if (!external) failed_ = e;
      return;
    }
    std::string path = dir + "/";
    search_dir(d, path);
    closedir(d);
  }

  std::unordered_map<std::string, Mod>& found() { return by_name_; }
  int failed() const { return failed_; }

private:
  bool excluded(const char* name) const {
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) return true;
    if (!std::strcmp(name, "build") || !std::strcmp(name, "source")) return true;
    for (const std::string& e : s_.cfg.excludes)
      if (e == name) return true;
    return false;
  }

  void search_dir(DIR* d, std::string& path) {
    const int dfd = dirfd(d);
    const std::size_t baselen = path.size();
    while (dirent* de = readdir(d)) {
      const char* name = de->d_name;
      if (excluded(name)) continue;
      path.resize(baselen);
      path += name;
      bool is_dir;
      if (de->d_type == DT_REG) {
        is_dir = false;
      } else if (de->d_type == DT_DIR) {
        is_dir = true;
      } else {
        struct stat st;
        if (fstatat(dfd, name, &st, 0) < 0) {
          log_(kErr, "fstatat(" + std::to_string(dfd) + ", " + name + "): " + std::strerror(errno) + "\n");
          continue;
        }
        if (S_ISREG(st.st_mode)) {
          is_dir = false;
        } else if (S_ISDIR(st.st_mode)) {
          is_dir = true;
        } else {
          char mode[16];
          std::snprintf(mode, sizeof mode, "%o", st.st_mode & S_IFMT);
          log_(kErr, "unsupported file type " + path + ": " + mode + "\n");
          continue;
        }
      }
      if (is_dir) {
        const int fd = openat(dfd, name, O_RDONLY);
        if (fd < 0) {
          log_(kErr, "openat(" + std::to_string(dfd) + ", " + name + ", O_RDONLY): " + std::strerror(errno) + "\n");
          continue;
        }
        DIR* sub = fdopendir(fd);
        if (!sub) {
          log_(kErr, "fdopendir(" + std::to_string(fd) + "): " + std::strerror(errno) + "\n");
          close(fd);
          continue;
        }
        path += '/';
        search_dir(sub, path);
        closedir(sub);
      } else {
        add_file(path, baselen);
      }
    }
    path.resize(baselen);
  }

  // kmod's depmod_module_is_higher_priority: true when `old` stays.  Paths are compared up
  // to the end of the module name (dir/ + as many bytes of the file name as the name has).
  bool old_wins(const Mod& old, const std::string& newpath, std::size_t newlen) const {
    const std::size_t oldlen = old.baselen + 1 + old.modname.size();
    const std::string& oldpath = old.path;
    const std::size_t dl = s_.dirname.size() + 1;
    std::string_view relnew, relold;
    if (newpath.compare(0, s_.dirname.size(), s_.dirname) == 0) relnew = std::string_view(newpath).substr(dl, newlen - dl);
    if (oldpath.compare(0, s_.dirname.size(), s_.dirname) == 0) relold = std::string_view(oldpath).substr(dl, oldlen - dl);
    for (const std::string& ov : s_.cfg.overrides) {
      if (relnew == ov) return false;
      if (relold == ov) return true;
    }
    auto starts = [](std::string_view p, std::string_view dir) {
      return p.size() > dir.size() && p[dir.size()] == '/' && p.compare(0, dir.size(), dir) == 0;
    };
    int i = 0, bprio = -1, oldprio = -1, newprio = -1;
    for (const SearchEntry& se : s_.cfg.searches) {
      if (se.kind == SearchEntry::builtin) {
        bprio = i;
      } else if (se.kind == SearchEntry::external) {
        for (const std::string& ext : s_.cfg.externals) {
          if (starts(std::string_view(newpath).substr(0, newlen), ext)) newprio = i;
          if (starts(std::string_view(oldpath).substr(0, oldlen), ext)) oldprio = i;
          ++i;
        }
      } else if (starts(relnew, se.dir)) {
        newprio = i;
      } else if (starts(relold, se.dir)) {
        oldprio = i;
      }
      ++i;
    }
    if (newprio < 0) newprio = bprio;
    if (oldprio < 0) oldprio = bprio;
    return newprio <= oldprio;
  }

  void add_file(const std::string& path, std::size_t baselen) {
    const std::string_view name = std::string_view(path).substr(baselen);
    if (!has_module_extension(name)) return;
    std::string modname = kmod::path_to_modname(path);
    auto it = by_name_.find(modname);
    if (it != by_name_.end()) {
      if (old_wins(it->second, path, baselen + modname.size())) return;
      uncrel_.erase(it->second.uncrelpath);
      by_name_.erase(it);
    }
    Mod m = make_mod(s_, path, modname);
    if (m.has_relpath && !uncrel_.insert(m.uncrelpath).second) {
      log_(kErr, "hash_add_unique " + m.uncrelpath + ": File exists\n");
      log_(kErr, "could not add module " + path + ": File exists\n");
      return;
    }
    by_name_.emplace(std::move(modname), std::move(m));
  }

  const Settings& s_;
  const Log& log_;
  std::unordered_map<std::string, Mod> by_name_;
  std::unordered_set<std::string> uncrel_;
  int failed_ = 0;
};

// kmod's array: its modules_by_name hash (512 buckets) in iteration order, then a stable
// sort by the position in modules.order (modules not listed keep their place at the end).
std::vector<Mod> order_modules(const Settings& s, const Log& log, std::unordered_map<std::string, Mod>& by_name) {
  std::vector<std::pair<uint32_t, Mod*>> keyed;
  keyed.reserve(by_name.size());
  for (auto& [name, m] : by_name) keyed.emplace_back(kmod_hash_bucket(name, 512), &m);
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->modname < b.second->modname;
  });
  std::vector<Mod> mods;
  mods.reserve(keyed.size());
  for (auto& [bucket, m] : keyed) mods.push_back(std::move(*m));

  const int dfd = open(s.dirname.c_str(), O_RDONLY);
  if (dfd < 0) {
    log(kWarning, "could not open directory " + s.dirname + ": " + std::strerror(errno) + "\n");
  } else {
    const int fd = openat(dfd, "modules.order", O_RDONLY);
    const int e = errno;
    close(dfd);
    if (fd < 0) {
      log(kWarning, "could not open modules.order at " + s.dirname + ": " + std::strerror(e) + "\n");
    } else {
      FILE* fp = fdopen(fd, "r");
      std::vector<std::string> lines;
      char line[4096];
      bool corrupted = false;
      unsigned idx = 0;
      while (std::fgets(line, sizeof line, fp)) {
        const std::size_t len = std::strlen(line);
        ++idx;
        lines.emplace_back(line, len);
        if (len == 0) continue;
        if (line[len - 1] != '\n') {
          log(kErr, s.dirname + "/modules.order:" + std::to_string(idx) + " corrupted line misses '\\n'\n");
          corrupted = true;
          break;
        }
      }
      std::fclose(fp);
      if (!corrupted) {
        std::unordered_map<std::string_view, Mod*> by_uncrel;
        for (Mod& m : mods)
          if (m.has_relpath) by_uncrel.emplace(m.uncrelpath, &m);
        const int total = static_cast<int>(lines.size()) + 1;
        int i = 0;
        for (std::string& l : lines) {
          ++i;
          if (l.empty()) continue;
          l.pop_back();
          auto it = by_uncrel.find(l.c_str());  // fgets lines stop at a NUL for kmod too
          if (it != by_uncrel.end()) it->second->sort_idx = i - total;
        }
        std::stable_sort(mods.begin(), mods.end(), [](const Mod& a, const Mod& b) { return a.sort_idx < b.sort_idx; });
      }
    }
  }
  for (uint32_t i = 0; i < mods.size(); ++i) mods[i].idx = i;
  return mods;
}

}  // namespace

std::vector<Mod> search_modules(const Settings& s, const Log& log) {
  Searcher searcher(s, log);
  searcher.search_path(s.dirname, false);
  if (const int e = searcher.failed()) log.fatal(std::string("could not search modules: ") + std::strerror(e) + "\n");
  for (const std::string& ext : s.cfg.externals) searcher.search_path(ext, true);
  return order_modules(s, log, searcher.found());
}

std::vector<Mod> modules_from_paths(const Settings& s, const Log& log, const std::vector<std::string>& paths) {
  std::unordered_map<std::string, Mod> by_name;
  for (const std::string& p : paths) {
    if (p.empty() || p[0] != '/') log.fatal(p + ": not absolute path.\n");
    struct stat st;
    if (stat(p.c_str(), &st) != 0)
      log.fatal("could not create module " + p + ": " + std::strerror(errno) + "\n");
    std::string name = kmod::path_to_modname(p);
    if (by_name.count(name)) {
      log(kErr, "hash_add_unique " + name + ": File exists\n");
      log.fatal("could not add module " + p + ": File exists\n");
    }
    by_name.emplace(name, make_mod(s, p, name));
  }
  return order_modules(s, log, by_name);
}

}  // namespace modforge::loader::depmod
