#include "loader/tools/modprobe_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace modforge::loader {

namespace fs = std::filesystem;

std::string config_underscores(std::string s) {
  bool in_group = false;
  for (char& c : s) {
    if (c == '[') in_group = true;
    else if (c == ']') in_group = false;
    else if (c == '-' && !in_group) c = '_';
  }
  return s;
}

namespace {

const std::vector<std::string> kDefaultDirs = {"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                                               "/lib/modprobe.d"};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The rest of a line after `n` words, leading blanks skipped.
std::string rest_after(const std::string& line, int n) {
  std::size_t i = 0;
  for (int w = 0; w < n; ++w) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return line.substr(i);
}

}  // namespace

void ModprobeConfig::parse(const std::string& text, const std::string& file, std::string& diag) {
  std::istringstream in(text);
  std::string line, physical;
  unsigned lineno = 0;
  while (std::getline(in, physical)) {
    ++lineno;
    // a trailing backslash joins the next line
    if (!physical.empty() && physical.back() == '\\') {
      line += physical.substr(0, physical.size() - 1);
      continue;
    }
    line += physical;
    std::string cur;
    cur.swap(line);
    std::size_t first = cur.find_first_not_of(" \t");
    if (first == std::string::npos || cur[first] == '#') continue;
    std::istringstream words(cur);
    std::string cmd, a, b;
    words >> cmd;
    if (cmd == "alias") {
      if (words >> a >> b) aliases.push_back({config_underscores(a), config_underscores(b)});
      else diag += "libkmod: ERROR ../libkmod/libkmod-config.c:712 kmod_config_parse: " + file + " line " + std::to_string(lineno) + ": ignoring bad line starting with '" + cmd + "'\n";
    } else if (cmd == "options") {
      if (words >> a) {
        std::string opts = rest_after(cur, 2);
        std::replace(opts.begin(), opts.end(), '\t', ' ');
        options.push_back({config_underscores(a), opts});
      }
    } else if (cmd == "install" || cmd == "remove") {
      if (words >> a) (cmd == "install" ? install : remove).push_back({config_underscores(a), rest_after(cur, 2)});
    } else if (cmd == "softdep") {
      if (!(words >> a)) continue;
      ConfigSoftdep sd{config_underscores(a), {}, {}};
      std::vector<std::string>* into = nullptr;
      for (std::string w; words >> w;) {
        if (w == "pre:") into = &sd.pre;
        else if (w == "post:") into = &sd.post;
        else if (into) into->push_back(w);
      }
      softdeps.push_back(std::move(sd));
    } else if (cmd == "blacklist") {
      if (words >> a) blacklist.push_back(config_underscores(a));
    } else if (cmd == "include" || cmd == "config") {
      diag += "libkmod: ERROR ../libkmod/libkmod-config.c:708 kmod_config_parse: " + file + ": command " + cmd +
              " is deprecated and not parsed anymore\n";
    } else {
      diag += "libkmod: ERROR ../libkmod/libkmod-config.c:712 kmod_config_parse: " + file + " line " +
              std::to_string(lineno) + ": ignoring bad line starting with '" + cmd + "'\n";
    }
  }
}

ModprobeConfig ModprobeConfig::load(const std::vector<std::string>& paths, const std::string& dirname, std::string& diag) {
  ModprobeConfig c;
  std::map<std::string, std::string> by_base;  // base name -> path; sorted, first path wins
  // depmod's modules.softdep joins the sorted list under its own base name (measured: it
  // wins over a softdep in x.conf and loses to one in b.conf)
  const std::string softdep_file = dirname + "/modules.softdep";
  if (fs::is_regular_file(softdep_file)) by_base.emplace("modules.softdep", softdep_file);
  for (const std::string& p : paths.empty() ? kDefaultDirs : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        const std::string base = e.path().filename().string();
        if (base.size() < 5 || base.compare(base.size() - 5, 5, ".conf") != 0 || base[0] == '.') continue;
        by_base.emplace(base, e.path().string());
      }
    } else if (fs::exists(p, ec)) {
      by_base.emplace(fs::path(p).filename().string(), p);
    }
  }
  for (const auto& [base, path] : by_base) c.parse(read_all(path), path, diag);
  return c;
}

}  // namespace modforge::loader
