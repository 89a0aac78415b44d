#include "loader/tools/modprobe_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loader/kmod/config.h"
#include "loader/kmod/names.h"

namespace modforge::loader::tools {

namespace fs = std::filesystem;

namespace {

using kmod::underscores;

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
      if (words >> a >> b) aliases.push_back({underscores(a), underscores(b)});
      else diag += "libkmod: ERROR ../libkmod/libkmod-config.c:712 kmod_config_parse: " + file + " line " + std::to_string(lineno) + ": ignoring bad line starting with '" + cmd + "'\n";
    } else if (cmd == "options") {
      if (words >> a) {
        std::string opts = rest_after(cur, 2);
        std::replace(opts.begin(), opts.end(), '\t', ' ');
        options.push_back({underscores(a), opts});
      }
    } else if (cmd == "install" || cmd == "remove") {
      if (words >> a) (cmd == "install" ? install : remove).push_back({underscores(a), rest_after(cur, 2)});
    } else if (cmd == "softdep") {
      if (!(words >> a)) continue;
      ConfigSoftdep sd{underscores(a), {}, {}};
      std::vector<std::string>* into = nullptr;
      for (std::string w; words >> w;) {
        if (w == "pre:") into = &sd.pre;
        else if (w == "post:") into = &sd.post;
        else if (into) into->push_back(w);
      }
      softdeps.push_back(std::move(sd));
    } else if (cmd == "blacklist") {
      if (words >> a) blacklist.push_back(underscores(a));
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
  kmod::ConfFiles files;
  // depmod's modules.softdep joins the sorted list under its own base name (measured: it
  // wins over a softdep in x.conf and loses to one in b.conf)
  const std::string softdep_file = dirname + "/modules.softdep";
  std::error_code ec;
  if (fs::is_regular_file(softdep_file, ec)) files.add("modules.softdep", softdep_file);
  for (const std::string& p : paths.empty() ? kmod::modprobe_d_dirs() : paths) files.add_path(p);
  for (const kmod::ConfFile& f : files.files()) c.parse(read_all(f.path), f.path, diag);
  return c;
}

}  // namespace modforge::loader::tools
