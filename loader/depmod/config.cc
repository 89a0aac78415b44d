#include "loader/depmod/config.h"

#include <regex.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "loader/kmod/config.h"

namespace modforge::loader::depmod {

namespace {

bool kernel_matches(const std::string& pattern, const std::string& kversion) {
  if (pattern == "*") return true;
  regex_t re;
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) return false;
  const int status = regexec(&re, kversion.c_str(), 0, nullptr, 0);
  regfree(&re);
  return status == 0;
}

// libkmod's freadline_wrapped: a backslash-newline joins lines; a backslash before any
// other character is dropped.
bool read_line(FILE* fp, std::string& line, unsigned& linenum) {
  line.clear();
  unsigned n = 0;
  for (;;) {
    int ch = getc(fp);
    if (ch == EOF) {
      if (line.empty()) return false;
      linenum += n + 1;
      return true;
    }
    if (ch == '\n') {
      linenum += n + 1;
      return true;
    }
    if (ch == '\\') {
      ch = getc(fp);
      if (ch == '\n') {
        ++n;
        continue;
      }
    }
    line.push_back(static_cast<char>(ch));
  }
}

std::vector<std::string> tokens(const std::string& line) {
  std::vector<std::string> t;
  std::size_t i = 0;
  while (true) {
    i = line.find_first_not_of("\t ", i);
    if (i == std::string::npos) break;
    std::size_t e = line.find_first_of("\t ", i);
    if (e == std::string::npos) e = line.size();
    t.push_back(line.substr(i, e - i));
    i = e;
  }
  return t;
}

void parse_file(DepmodConfig& cfg, const std::string& filename, const std::string& kversion, const LogFn& log) {
  FILE* fp = std::fopen(filename.c_str(), "r");
  if (!fp) {
    log(3, "file parse " + filename + ": " + std::strerror(errno) + "\n");
    return;
  }
  std::string line;
  unsigned linenum = 0;
  while (read_line(fp, line, linenum)) {
    // strtok_r stops at the first NUL, as kmod's C strings do.
    line.resize(std::strlen(line.c_str()));
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> t = tokens(line);
    if (t.empty()) continue;
    const std::string& cmd = t[0];
    const std::string where = filename + ":" + std::to_string(linenum) + ": ";
    bool bad = false;
    if (cmd == "search") {
      for (std::size_t i = 1; i < t.size(); ++i) {
        SearchEntry e;
        if (t[i] == "built-in")
          e.kind = SearchEntry::builtin;
        else if (t[i] == "external")
          e.kind = SearchEntry::external;
        else
          e.dir = t[i];
        cfg.searches.insert(cfg.searches.begin(), e);
      }
    } else if (cmd == "override") {
      if (t.size() < 4) {
        bad = true;
      } else if (!kernel_matches(t[2], kversion)) {
        log(6, where + "override kernel did not match " + t[2] + "\n");
      } else {
        cfg.overrides.insert(cfg.overrides.begin(), t[3] + "/" + t[1]);
      }
    } else if (cmd == "external") {
      if (t.size() < 3) {
        bad = true;
      } else if (!kernel_matches(t[1], kversion)) {
        log(6, where + "external directory did not match " + t[1] + "\n");
      } else {
        cfg.externals.insert(cfg.externals.begin(), t[2]);
      }
    } else if (cmd == "exclude") {
      for (std::size_t i = 1; i < t.size(); ++i) cfg.excludes.insert(cfg.excludes.begin(), t[i]);
    } else if (cmd == "include" || cmd == "make_map_files") {
      log(6, where + "command " + cmd + " not implemented yet\n");
    } else {
      bad = true;
    }
    if (bad) log(3, where + "ignoring bad line starting with '" + cmd + "'\n");
  }
  std::fclose(fp);
}

}  // namespace

std::vector<std::string> default_config_paths() {
  return {"/etc/depmod.d", "/run/depmod.d", "/usr/local/lib/depmod.d", "/lib/depmod.d"};
}

DepmodConfig load_config(const std::vector<std::string>& paths, const std::string& kversion, const LogFn& log) {
  DepmodConfig cfg;
  kmod::ConfFiles files;
  for (const std::string& p : paths) files.add_path(p, log);
  for (const kmod::ConfFile& f : files.files()) parse_file(cfg, f.path, kversion, log);
  // Without any "search" line kmod searches "updates" first (then the built-in tree).
  if (cfg.searches.empty()) cfg.searches.push_back({SearchEntry::path, "updates"});
  return cfg;
}

}  // namespace modforge::loader::depmod
