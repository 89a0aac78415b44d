#include "loader/depmod/depmod.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/cli.h"
#include "core/error.h"
#include "loader/depmod/log.h"
#include "loader/depmod/outputs.h"
#include "loader/depmod/resolve.h"
#include "loader/depmod/scan.h"

namespace modforge::loader::depmod {

using namespace depmod;

namespace {

const cli::OptionSpec kSpecs[] = {
    {'a', "all", false},         {'A', "quick", false},   {'b', "basedir", true},
    {'C', "config", true},       {'E', "symvers", true},  {'F', "filesyms", true},
    {'e', "errsyms", false},     {'u', "unresolved-error", false}, {'q', "quiet", false},
    {'r', "root", false},        {'v', "verbose", false}, {'n', "show", false},
    {0, "dry-run", false},       {'P', "symbol-prefix", true}, {'w', "warn", false},
    {'m', "map", false},         {'V', "version", false}, {'h', "help", false},
    {'o', "outdir", true},
};

const char kHelp[] =
    "Usage:\n"
    "\tdepmod -[aA] [options] [forced_version]\n"
    "\n"
    "If no arguments (except options) are given, \"depmod -a\" is assumed\n"
    "\n"
    "depmod will output a dependency list suitable for the modprobe utility.\n"
    "\n"
    "Options:\n"
    "\t-a, --all            Probe all modules\n"
    "\t-A, --quick          Only does the work if there's a new module\n"
    "\t-e, --errsyms        Report not supplied symbols\n"
    "\t-n, --show           Write the dependency file on stdout only\n"
    "\t-P, --symbol-prefix  Architecture symbol prefix\n"
    "\t-C, --config=PATH    Read configuration from PATH\n"
    "\t-v, --verbose        Enable verbose mode\n"
    "\t-w, --warn           Warn on duplicates\n"
    "\t-V, --version        show version\n"
    "\t-h, --help           show this help\n"
    "\n"
    "The following options are useful for people managing distributions:\n"
    "\t-b, --basedir=DIR    Use an image of a module tree.\n"
    "\t-F, --filesyms=FILE  Use the file instead of the\n"
    "\t                     current kernel symbols.\n"
    "\t-E, --symvers=FILE   Use Module.symvers file to check\n"
    "\t                     symbol versions.\n";

// Whether each use of a deprecated option (-u -q -r -m) was spelled long, in command-line
// order: kmod names the option as it was written.
std::vector<bool> deprecated_spellings(const std::vector<std::string>& args) {
  std::vector<bool> longs;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    if (a.compare(0, 2, "--") == 0) {
      const std::string name = a.substr(2, a.find('=') - 2);
      if (name.empty()) continue;
      for (const char* d : {"unresolved-error", "quiet", "root", "map"})
        if (std::string_view(d).substr(0, name.size()) == name) {
          longs.push_back(true);
          break;
        }
      for (const char* t : {"basedir", "config", "symvers", "filesyms", "symbol-prefix", "outdir"})
        if (a.find('=') == std::string::npos && std::string_view(t).substr(0, name.size()) == name) ++i;
    } else if (a.size() > 1 && a[0] == '-') {
      for (std::size_t j = 1; j < a.size(); ++j) {
        if (std::strchr("uqrm", a[j])) longs.push_back(false);
        if (std::strchr("bCEFPo", a[j])) {
          if (j + 1 == a.size()) ++i;
          break;
        }
      }
    }
  }
  return longs;
}

std::string absolute(const std::string& p) {
  if (!p.empty() && p[0] == '/') return p;
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) return p;
  return std::string(cwd) + "/" + p;
}

// kmod's depfile_up_to_date: 1 when no module is newer than modules.dep, 0 when one is,
// <0 on an error (reported).
int up_to_date_dir(const Log& log, DIR* d, time_t mtime, std::string& path) {
  int err = 1;
  const int dfd = dirfd(d);
  const std::size_t baselen = path.size();
  while (dirent* de = readdir(d)) {
    const char* name = de->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    if (!std::strcmp(name, "build") || !std::strcmp(name, "source")) continue;
    struct stat st;
    if (fstatat(dfd, name, &st, 0) < 0) {
      log(kErr, "fstatat(" + std::to_string(dfd) + ", " + name + "): " + std::strerror(errno) + "\n");
      continue;
    }
    path.resize(baselen);
    path += name;
    if (S_ISDIR(st.st_mode)) {
      const int fd = openat(dfd, name, O_RDONLY);
      if (fd < 0) continue;
      DIR* sub = fdopendir(fd);
      if (!sub) {
        close(fd);
        continue;
      }
      path += '/';
      err = up_to_date_dir(log, sub, mtime, path);
      closedir(sub);
    } else if (S_ISREG(st.st_mode)) {
      if (!has_module_extension(name)) continue;
      err = st.st_mtime <= mtime;
    } else {
      continue;
    }
    if (err == 0) break;
  }
  path.resize(baselen);
  return err;
}

int up_to_date(const Log& log, const std::string& dirname) {
  DIR* d = opendir(dirname.c_str());
  if (!d) {
    const int e = errno;
    log(kErr, "could not open directory " + dirname + ": " + std::strerror(e) + "\n");
    return -e;
  }
  struct stat st;
  if (fstatat(dirfd(d), "modules.dep", &st, 0) != 0) {
    const int e = errno;
    log(kErr, "could not fstatat(" + dirname + ", modules.dep): " + std::strerror(e) + "\n");
    closedir(d);
    return -e;
  }
  std::string path = dirname + "/";
  const int r = up_to_date_dir(log, d, st.st_mtime, path);
  closedir(d);
  return r;
}

int run(const std::vector<std::string>& args, Log& log) {
  std::vector<std::string> argv{"depmod"};
  argv.insert(argv.end(), args.begin(), args.end());
  const cli::Parsed p = cli::parse(argv, kSpecs);
  const std::vector<bool> dep_long = deprecated_spellings(args);
  std::size_t dep_seen = 0;

  Settings s;
  bool all = false, maybe_all = false, to_stdout = false;
  std::string root, out_root, system_map, module_symvers;
  bool have_root = false, have_out = false;
  std::vector<std::string> config_paths;
  for (const cli::OptionUse& u : p.uses) {
    switch (u.key) {
      case 'a': all = true; break;
      case 'A': maybe_all = true; break;
      case 'b': root = absolute(u.value); have_root = true; break;
      case 'o': out_root = absolute(u.value); have_out = true; break;
      case 'C': config_paths.push_back(u.value); break;
      case 'E': module_symvers = u.value; s.check_symvers = true; break;
      case 'F': system_map = u.value; break;
      case 'e': s.print_unknown = true; break;
      case 'u': case 'q': case 'r': case 'm': {
        const bool lng = dep_seen < dep_long.size() && dep_long[dep_seen];
        ++dep_seen;
        log(kWarning, lng ? "Ignored deprecated option --" + u.long_name + "\n"
                          : std::string("Ignored deprecated option -") + u.key + "\n");
        break;
      }
      case 'v': ++log.verbose; break;
      case 'n': to_stdout = true; break;
      case 0: to_stdout = true; break;  // --dry-run
      case 'P':
        if (u.value.size() != 1) log.fatal("-P only takes a single char\n");
        s.sym_prefix = u.value[0];
        break;
      case 'w': s.warn_dups = true; break;
      case 'h': log.out() << kHelp; return 0;
      case 'V': log.out() << "kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n"; return 0;
    }
  }
  if (!p.error.empty()) {
    throw Error(p.error + "\n");
  }

  std::size_t op = 0;
  const std::vector<std::string>& ops = p.operands;
  if (op < ops.size()) {
    unsigned d1, d2;
    if (std::sscanf(ops[op].c_str(), "%u.%u", &d1, &d2) != 2) {
      log(kErr, "Bad version passed " + ops[op] + "\n");
      return 1;
    }
    s.kversion = ops[op++];
  } else {
    struct utsname un;
    if (uname(&un) < 0) log.fatal(std::string("uname() failed: ") + std::strerror(errno) + "\n");
    s.kversion = un.release;
  }
  s.dirname = (have_root ? root : "") + "/lib/modules/" + s.kversion;
  s.outdirname = (have_out ? out_root : (have_root ? root : "")) + "/lib/modules/" + s.kversion;
  if (op == ops.size()) all = true;

  if (maybe_all) {
    if (to_stdout) return 0;
    if (up_to_date(log, s.dirname) == 1) return 0;
    all = true;
  }

  State st{s, log, {}, {}};
  if (!module_symvers.empty()) {
    if (const int e = load_symvers(st, module_symvers))
      log.fatal("could not load " + module_symvers + ": " + std::strerror(e) + "\n");
  } else if (!system_map.empty()) {
    if (const int e = load_system_map(st, system_map))
      log.fatal("could not load " + system_map + ": " + std::strerror(e) + "\n");
  } else if (s.print_unknown) {
    log(kWarning, "-e needs -E or -F\n");
    s.print_unknown = false;
  }

  if (all) {
    s.cfg = load_config(config_paths.empty() ? default_config_paths() : config_paths, s.kversion,
                        [&log](int prio, const std::string& m) { log(prio, m); });
    st.mods = search_modules(s, log);
  } else {
    st.mods = modules_from_paths(s, log, std::vector<std::string>(ops.begin() + static_cast<long>(op), ops.end()));
  }
  if (!load_modules(st)) return 1;

  if (to_stdout) {
    for (const OutputFile& f : output_files())
      if (!f.binary) log.out() << f.make(st);
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(s.outdirname, ec);
  if (ec) log.fatal("could not create directory " + s.outdirname + ": " + ec.message() + "\n");
  for (const OutputFile& f : output_files()) {
    const std::string content = f.make(st);
    try {
      write_file_atomic(s.outdirname + "/" + f.name, content);
    } catch (const Error& e) {
      log(kErr, std::string("Could not create index '") + f.name + "': " + e.what() + "\n");
      return 1;
    }
  }
  return 0;
}

}  // namespace

int depmod_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Log log(out, err);
  try {
    return run(args, log);
  } catch (const Fatal&) {
    return 1;
  } catch (const Error& e) {
    err << e.what();
    return e.exit_code();
  }
}

}  // namespace modforge::loader::depmod
