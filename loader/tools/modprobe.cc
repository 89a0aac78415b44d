#include "loader/tools/modprobe.h"

#include <fnmatch.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "core/error.h"
#include "loader/kmod/config.h"
#include "loader/kmod/kofile.h"
#include "loader/kmod/modprobe_config.h"
#include "loader/kmod/names.h"
#include "loader/tools/kmod_version.h"

namespace modforge::loader::tools {

namespace {

using kmod::ConfigAlias;
using kmod::ConfigCommand;
using kmod::ConfigOptions;
using kmod::ConfigSoftdep;
using kmod::ModprobeConfig;

// One module as libkmod models it: a name, maybe the alias it was found by, maybe a path.
struct Mod {
  std::string name, alias, path;  // path: as in modules.dep; empty when unknown
  bool builtin = false;
  bool visited = false, required = false, ignorecmd = false;
};

class Prober {
public:
  Prober(const ModprobeOptions& o, const ModuleDb& db, const ModprobeConfig& cfg, ProbeKernel& k, std::ostream& out,
         std::ostream& err)
      : o_(o), db_(db), cfg_(cfg), k_(k), out_(out), err_(err) {}

  // kmod_module_new_from_lookup
  std::vector<Mod*> lookup(const std::string& given) {
    // '-' to '_' outside [...] over the whole string (kmod's alias_normalize without its
    // bracket check)
    const std::string alias = kmod::underscores(given);
    std::vector<Mod*> found;
    for (const ConfigAlias& a : cfg_.aliases)
      if (::fnmatch(a.pattern.c_str(), alias.c_str(), 0) == 0) found.push_back(mod(a.module, alias));
    if (!found.empty()) return found;
    if (db_.dep(alias)) return {mod(alias, "")};
    if (alias.rfind("symbol:", 0) == 0) {
      std::string owner = db_.symbol_owner(alias);
      if (!owner.empty()) return {mod(owner, alias)};
    }
    for (const ConfigCommand& c : cfg_.install)
      if (c.module == alias) return {mod(alias, "")};
    for (const ConfigCommand& c : cfg_.remove)
      if (c.module == alias) return {mod(alias, "")};
    for (const std::string& m : db_.alias_matches(alias)) found.push_back(mod(m, alias));
    if (!found.empty()) return found;
    if (db_.builtin(alias)) return {mod(alias, "")};
    if (std::string owner = db_.builtin_alias_owner(alias); !owner.empty()) return {mod(owner, alias)};
    return {};
  }

  int insert(const std::string& name, const std::string& extra) {
    std::vector<Mod*> list;
    if (name.rfind("/", 0) == 0 || name.rfind("./", 0) == 0) {
      Mod* m = path_mod(name);
      list.push_back(m);
    } else {
      list = lookup(name);
      if (list.empty()) {
        if (!o_.quiet) err_ << "modprobe: FATAL: Module " << name << " not found in directory " << db_.dirname() << "\n";
        return -ENOENT;
      }
    }
    int rc = 0;
    for (Mod* m : list) rc = insert_one(m, extra);
    return rc;
  }

  int remove(const std::string& name) {
    std::vector<Mod*> list = lookup(name);
    if (list.empty()) {
      if (!o_.quiet) err_ << "modprobe: FATAL: Module " << name << " not found.\n";
      return -ENOENT;
    }
    int rc = 0;
    for (Mod* m : list) {
      rc = remove_one(m, false);
      if (rc < 0) break;
    }
    return rc;
  }

private:
  Mod* mod(const std::string& name, const std::string& alias) {
    auto& slot = mods_[name];
    if (!slot) {
      slot = std::make_unique<Mod>();
      slot->name = name;
      if (const DepEntry* d = db_.dep(name)) slot->path = d->path;
      else slot->builtin = db_.builtin(name);
    }
    if (!alias.empty() && slot->alias.empty()) slot->alias = alias;
    return slot.get();
  }
  Mod* path_mod(const std::string& path) {
    Mod* m = mod(module_name_of_path(path), "");
    m->path = path;
    return m;
  }

  std::vector<Mod*> dependencies(Mod* m) {
    std::vector<Mod*> out;
    const DepEntry* d = db_.dep(m->name);
    if (!d || m->path != d->path) return out;
    // libkmod builds the list by prepending each dependency, hence the reversed order
    for (auto it = d->deps.rbegin(); it != d->deps.rend(); ++it) out.push_back(mod(module_name_of_path(*it), ""));
    return out;
  }

  const ConfigSoftdep* softdep(const Mod* m) const {
    for (const ConfigSoftdep& s : cfg_.softdeps)
      if (::fnmatch(s.module.c_str(), m->name.c_str(), 0) == 0) return &s;
    return nullptr;
  }
  std::vector<Mod*> lookup_all(const std::vector<std::string>& names) {
    std::vector<Mod*> out;
    for (const std::string& n : names)
      for (Mod* m : lookup(n)) out.push_back(m);
    return out;
  }

  void fill_softdep(Mod* m, std::vector<Mod*>& list) {
    const ConfigSoftdep* s = softdep(m);
    std::vector<Mod*> pre, post;
    if (s) {
      pre = lookup_all(s->pre);
      post = lookup_all(s->post);
    }
    for (Mod* p : pre) probe_list(p, false, false, list);
    list.push_back(m);
    m->ignorecmd = !pre.empty() || !post.empty();
    for (Mod* p : post) probe_list(p, false, false, list);
  }

  void probe_list(Mod* m, bool required, bool ignorecmd, std::vector<Mod*>& list) {
    if (m->visited) return;
    m->visited = true;
    std::vector<Mod*> deps = dependencies(m);
    if (required) {
      m->required = true;
      for (Mod* d : deps) d->required = true;
    }
    for (Mod* d : deps) fill_softdep(d, list);
    if (ignorecmd) {
      list.push_back(m);
      m->ignorecmd = true;
    } else {
      fill_softdep(m, list);
    }
  }

  bool in_kernel(const Mod* m) { return m->builtin || k_.loaded(m->name); }

  bool blacklisted(const Mod* m) const {
    for (const std::string& b : cfg_.blacklist)
      if (b == m->name) return true;
    return false;
  }

  std::string config_options(const Mod* m) const {
    std::string opts;
    for (const ConfigOptions& c : cfg_.options) {
      if (!(c.module == m->name || (!m->alias.empty() && c.module == m->alias))) continue;
      if (c.options.empty()) continue;
      if (!opts.empty()) opts += ' ';
      opts += c.options;
    }
    return opts;
  }

  const std::string* install_command(const Mod* m) const {
    for (const ConfigCommand& c : cfg_.install)
      if (::fnmatch(c.module.c_str(), m->name.c_str(), 0) == 0) return &c.command;
    return nullptr;
  }

  void show(const Mod* m, bool install, const std::string& options) {
    if (!o_.show_depends && o_.verbose == 0) return;  // kmod: do_show (-D) or -v
    if (install) {
      out_ << "install " << *install_command(m) << " " << options << "\n";
    } else if (m->path.empty()) {
      if (m->builtin) out_ << "builtin " << m->name << "\n";
    } else {
      out_ << "insmod " << db_.full_path(m->path) << " " << options << "\n";
    }
  }

  int insert_one(Mod* mod, const std::string& extra) {
    if (o_.resolve_alias) {
      out_ << mod->name << "\n";
      return 0;
    }
    const bool ignore_loaded = o_.show_depends;
    const bool dry = o_.dry_run || o_.show_depends;
    if (!ignore_loaded && in_kernel(mod)) {
      if (o_.first_time) return report(mod, -EEXIST);
      return 0;
    }
    if ((!mod->alias.empty() || o_.use_blacklist) && blacklisted(mod)) return 0;

    for (auto& [n, m] : mods_) m->visited = m->required = false;
    std::vector<Mod*> list;
    probe_list(mod, true, o_.ignore_commands, list);

    int rc = 0;
    for (Mod* m : list) {
      if (!ignore_loaded && in_kernel(m)) {
        rc = -EEXIST;
      } else {
        // module_options_concat: configured options always get a space after them
        std::string options = config_options(m);
        const std::string& x = m == mod ? extra : std::string();
        options = options.empty() ? x : options + " " + x;
        const std::string* cmd = install_command(m);
        if (cmd && !m->ignorecmd) {
          show(m, true, options);
          if (!dry) rc = -ENOTSUP;  // install commands are not run against the emulated kernel
        } else {
          show(m, false, options);
          if (!dry) {
            if (m->path.empty()) rc = m->builtin ? -EEXIST : -ENOENT;
            else rc = k_.insert(db_.full_path(m->path), options, o_.force || o_.force_modversion, o_.force || o_.force_vermagic);
          }
        }
      }
      if (rc == -EEXIST && m == mod && o_.first_time) break;
      if (rc == -EEXIST || !m->required) rc = 0;
      else if (rc < 0) break;
    }
    return rc < 0 ? report(mod, rc) : 0;
  }

  int report(const Mod* m, int rc) {
    if (o_.quiet) return rc;
    if (rc == -EEXIST) err_ << "modprobe: ERROR: could not insert '" << m->name << "': Module already in kernel\n";
    else if (rc == -ENOENT)
      err_ << "modprobe: ERROR: could not insert '" << m->name << "': Unknown symbol in module, or unknown parameter (see dmesg)\n";
    else err_ << "modprobe: ERROR: could not insert '" << m->name << "': " << std::strerror(-rc) << "\n";
    return rc;
  }

  int remove_module(Mod* m) {
    if (o_.dry_run || o_.verbose > 0) out_ << "rmmod " << m->name << "\n";
    if (o_.dry_run) return 0;
    int rc = k_.remove(m->name, o_.force);
    if (rc == -EEXIST) {
      if (o_.first_time && !o_.quiet) err_ << "modprobe: FATAL: Module " << m->name << " is not in kernel.\n";
      return o_.first_time ? rc : 0;
    }
    return rc;
  }

  // kmod's rmmod_do_module; --remove-holders is accepted but holders are not removed first
  int remove_one(Mod* m, bool ignore_builtin) {
    const ConfigSoftdep* s = o_.ignore_commands ? nullptr : softdep(m);
    std::vector<Mod*> pre, post;
    if (s) {
      pre = lookup_all(s->pre);
      post = lookup_all(s->post);
    }
    if (m->builtin) {
      if (ignore_builtin) return 0;
      if (!o_.quiet) err_ << "modprobe: FATAL: Module " << m->name << " is builtin.\n";
      return -ENOENT;
    }
    if (!k_.loaded(m->name)) {
      if (o_.first_time) {
        if (!o_.quiet) err_ << "modprobe: FATAL: Module " << m->name << " is not in kernel.\n";
        return -ENOENT;
      }
      return 0;
    }
    for (auto it = post.rbegin(); it != post.rend(); ++it) remove_one(*it, true);
    if (k_.refcnt(m->name) > 0) {
      if (!o_.quiet) err_ << "modprobe: FATAL: Module " << m->name << " is in use.\n";
      return -EBUSY;
    }
    int rc = remove_module(m);
    if (rc < 0) return rc;
    for (Mod* d : dependencies(m))
      if (k_.loaded(d->name) && k_.refcnt(d->name) == 0) remove_module(d);
    for (auto it = pre.rbegin(); it != pre.rend(); ++it) remove_one(*it, true);
    return 0;
  }

  const ModprobeOptions& o_;
  const ModuleDb& db_;
  const ModprobeConfig& cfg_;
  ProbeKernel& k_;
  std::ostream& out_;
  std::ostream& err_;
  std::map<std::string, std::unique_ptr<Mod>> mods_;
};

// options_from_array: extra arguments joined by spaces, a value with a space quoted.
std::string extra_options(const std::vector<std::string>& args) {
  std::string opts;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!opts.empty()) opts += ' ';
    std::size_t eq = a.find('=');
    if (eq != std::string::npos && eq + 1 <= a.size()) {
      const std::string value = a.substr(eq + 1);
      if ((value.empty() || (value[0] != '"' && value[0] != '\'')) && value.find(' ') != std::string::npos) {
        opts += a.substr(0, eq + 1) + "\"" + value + "\"";
        continue;
      }
    }
    opts += a;
  }
  return opts;
}

// --dump-modversions FILE: the __versions table, as kmod prints it.
int dump_modversions(const std::string& path, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    err << "modprobe: FATAL: Module " << path << " not found.\n";
    return 1;
  }
  try {
    kmod::KoFile k = kmod::KoFile::open(path);
    for (const kmod::VersionEntry& v : k.versions()) {
      char crc[32];
      std::snprintf(crc, sizeof crc, "0x%08lx", static_cast<unsigned long>(v.crc));
      out << crc << '\t' << v.name << '\n';
    }
  } catch (const Error&) {
    // kmod's words (measured): shorter than the 6-byte xz magic it reads first: EINVAL; no
    // ELF identification (magic, more than EI_NIDENT bytes): ENOEXEC; anything else: EINVAL
    std::error_code size_ec;
    const auto size = std::filesystem::file_size(path, size_ec);
    std::string head(4, '\0');
    std::ifstream(path, std::ios::binary).read(head.data(), 4);
    const bool no_ident = size >= 6 && (size <= 16 || head != "\x7f" "ELF");
    err << "modprobe: FATAL: could not get modversions of " << path << ": "
        << (no_ident ? "Exec format error" : "Invalid argument") << "\n";
    return 1;
  }
  return 0;
}

// kmod 30's modprobe help(), word for word.
std::string modprobe_help(const std::string& prog) {
  const std::string p = "\t" + prog;
  return "Usage:\n" + p + " [options] [-i] [-b] modulename\n" + p +
         " [options] -a [-i] [-b] modulename [modulename...]\n" + p + " [options] -r [-i] modulename\n" + p +
         " [options] -r -a [-i] modulename [modulename...]\n" + p + " [options] -c\n" + p +
         " [options] --dump-modversions filename\n"
         "Management Options:\n"
         "\t-a, --all                   Consider every non-argument to\n"
         "\t                            be a module name to be inserted\n"
         "\t                            or removed (-r)\n"
         "\t-r, --remove                Remove modules instead of inserting\n"
         "\t    --remove-dependencies   Deprecated: use --remove-holders\n"
         "\t    --remove-holders        Also remove module holders (use together with -r)\n"
         "\t-w, --wait <MSEC>           When removing a module, wait up to MSEC for\n"
         "\t                            module's refcount to become 0 so it can be\n"
         "\t                            removed (use together with -r)\n"
         "\t    --first-time            Fail if module already inserted or removed\n"
         "\t-i, --ignore-install        Ignore install commands\n"
         "\t-i, --ignore-remove         Ignore remove commands\n"
         "\t-b, --use-blacklist         Apply blacklist to resolved alias.\n"
         "\t-f, --force                 Force module insertion or removal.\n"
         "\t                            implies --force-modversions and\n"
         "\t                            --force-vermagic\n"
         "\t    --force-modversion      Ignore module's version\n"
         "\t    --force-vermagic        Ignore module's version magic\n"
         "\n"
         "Query Options:\n"
         "\t-R, --resolve-alias         Only lookup and print alias and exit\n"
         "\t-D, --show-depends          Only print module dependencies and exit\n"
         "\t-c, --showconfig            Print out known configuration and exit\n"
         "\t-c, --show-config           Same as --showconfig\n"
         "\t    --show-modversions      Dump module symbol version and exit\n"
         "\t    --dump-modversions      Same as --show-modversions\n"
         "\t    --show-exports          Only print module exported symbol versions and exit\n"
         "\n"
         "General Options:\n"
         "\t-n, --dry-run               Do not execute operations, just print out\n"
         "\t-n, --show                  Same as --dry-run\n"
         "\t-C, --config=FILE           Use FILE instead of default search paths\n"
         "\t-d, --dirname=DIR           Use DIR as filesystem root for /lib/modules\n"
         "\t-S, --set-version=VERSION   Use VERSION instead of `uname -r`\n"
         "\t-s, --syslog                print to syslog, not stderr\n"
         "\t-q, --quiet                 disable messages\n"
         "\t-v, --verbose               enables more messages\n"
         "\t-V, --version               show version\n"
         "\t-h, --help                  show this help\n";
}

}  // namespace

const std::vector<cli::OptionSpec>& modprobe_option_specs() {
  // kmod 30's cmdopts, in its order (getopt lists an ambiguous prefix's matches in it); its
  // long-only pairs share a val (5: the holders switch, 4: the modversions dump), so that
  // "--remove-" is one option as in kmod
  static const std::vector<cli::OptionSpec> specs = {
      {'a', "all", false}, {'r', "remove", false}, {0, "remove-dependencies", false, false, 5},
      {0, "remove-holders", false, false, 5}, {'w', "wait", true}, {'R', "resolve-alias", false},
      {0, "first-time", false}, {'i', "ignore-install", false}, {'i', "ignore-remove", false},
      {'b', "use-blacklist", false}, {'f', "force", false}, {0, "force-modversion", false},
      {0, "force-vermagic", false}, {'D', "show-depends", false}, {'c', "showconfig", false},
      {'c', "show-config", false}, {0, "show-modversions", false, false, 4}, {0, "dump-modversions", false, false, 4},
      {0, "show-exports", false}, {'n', "dry-run", false}, {'n', "show", false}, {'C', "config", true},
      {'d', "dirname", true}, {'S', "set-version", true}, {'s', "syslog", false}, {'q', "quiet", false},
      {'v', "verbose", false}, {'V', "version", false}, {'h', "help", false},
  };
  return specs;
}

std::optional<int> modprobe_options(const std::vector<cli::OptionUse>& uses, const cli::Parsed& p,
                                    const std::string& prog, ModprobeOptions& o, std::ostream& out,
                                    std::ostream& err) {
  for (const cli::OptionUse& u : uses) {
    const std::string& l = u.long_name;
    switch (u.key) {
      case 'a': o.all = true; break;
      case 'r': o.remove = true; break;
      case 'w': break;  // a refcount does not change while a command waits here
      case 'R': o.resolve_alias = true; break;
      case 'i': o.ignore_commands = true; break;
      case 'b': o.use_blacklist = true; break;
      case 'f': o.force = true; break;
      case 'D': o.show_depends = true; break;
      case 'c':
        err << "modprobe: ERROR: --show-config is not supported\n";
        return 1;
      case 'n': o.dry_run = true; break;
      case 'C': o.configs.push_back(u.value); break;
      case 'd': o.root = u.value; o.root_set = true; break;
      case 'S': o.version = u.value; o.version_set = true; break;
      case 's': o.syslog = true; break;
      case 'q': o.quiet = true; break;
      case 'v': ++o.verbose; break;
      case 'V': out << kKmodVersion; return 0;
      case 'h': out << modprobe_help(std::filesystem::path(prog).filename().string()); return 0;
      case 0:
        if (l == "remove-dependencies" || l == "remove-holders") o.remove_holders = true;
        else if (l == "first-time") o.first_time = true;
        else if (l == "force-modversion") o.force_modversion = true;
        else if (l == "force-vermagic") o.force_vermagic = true;
        else if (l == "show-modversions" || l == "dump-modversions") o.dump_modversions = true;
        else if (l == "show-exports") {
          err << "modprobe: ERROR: --show-exports is not supported\n";
          return 1;
        }
        break;
      default: break;
    }
  }
  if (!p.error.empty()) {
    err << p.error << "\n";
    return 1;
  }
  o.args = p.operands;
  if (o.args.empty()) {
    if (!o.syslog) err << "modprobe: ERROR: missing parameters. See -h.\n";
    return 1;
  }
  return std::nullopt;
}

int modprobe_main(const std::vector<std::string>& args, ProbeKernel& kernel, std::ostream& out, std::ostream& err,
                  const ModuleDb* preloaded) {
  std::vector<std::string> argv{"modprobe"};
  argv.insert(argv.end(), args.begin(), args.end());
  const cli::Parsed p = cli::parse(argv, modprobe_option_specs());
  ModprobeOptions o;
  if (auto rc = modprobe_options(p.uses, p, argv[0], o, out, err)) return *rc;
  return modprobe_run(o, kernel, out, err, preloaded);
}

int modprobe_run(const ModprobeOptions& o, ProbeKernel& kernel, std::ostream& out, std::ostream& err_stream,
                 const ModuleDb* preloaded) {
  std::ostream no_stream(nullptr);
  std::ostream& err = o.syslog ? no_stream : err_stream;
  if (o.dump_modversions) return dump_modversions(o.args[0], out, err);
  std::string dirname = "/lib/modules/";
  if (o.root_set || o.version_set) {
    std::string version = o.version;
    if (!o.version_set) {
      struct utsname u;
      ::uname(&u);
      version = u.release;
    }
    dirname = o.root + "/lib/modules/" + version;
  } else {
    struct utsname u;
    ::uname(&u);
    dirname += u.release;
  }
  ModuleDb loaded;
  if (!preloaded) loaded = ModuleDb::load(dirname);
  const ModuleDb& db = preloaded ? *preloaded : loaded;
  std::string diag;
  ModprobeConfig cfg = ModprobeConfig::load(o.configs.empty() ? kmod::modprobe_d_dirs() : o.configs, dirname, diag);
  err << diag;
  Prober p(o, db, cfg, kernel, out, err);
  int rc = 0;
  if (o.remove) {
    for (const std::string& a : o.args)
      if (int r = p.remove(a); r < 0) rc = r;
  } else if (o.all) {
    for (const std::string& a : o.args)
      if (int r = p.insert(a, ""); r < 0) rc = r;
  } else {
    rc = p.insert(o.args[0], extra_options(o.args));
  }
  return rc < 0 ? 1 : 0;
}

}  // namespace modforge::loader::tools
