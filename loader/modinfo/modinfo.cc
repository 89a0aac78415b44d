#include "loader/modinfo/modinfo.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <sched.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <thread>

#include "core/cli.h"
#include "loader/kmod/elf.h"
#include "loader/kmod/modinfo.h"
#include "loader/kmod/names.h"
#include "loader/modinfo/lookup.h"
#include "loader/modinfo/module_image.h"
#include "loader/modinfo/signature.h"

namespace modforge::loader::modinfo {

namespace {

using modinfo::FoundModule;
using modinfo::Lookup;

constexpr std::string_view kErrorPrefix = "modinfo: ERROR: ";

struct Options {
  std::optional<std::string> field;
  char separator = '\n';
  bool by_modname = false;
};

// What one command-line argument printed: kept apart so that arguments can be worked on in
// parallel and still be printed in order.
struct Result {
  std::string out, err;
  bool failed = false;
};

// printf's "%s": a value stops at its first NUL.
std::string_view c_str(std::string_view s) { return s.substr(0, s.find('\0')); }

void pad16(std::string& o, std::string_view label) {
  o += label;
  if (label.size() < 16) o.append(16 - label.size(), ' ');
}

struct Param {
  std::string_view name;
  std::optional<std::string_view> desc, type;
};

// "desc (type)" or "desc"; without a description the type alone, with a space and in
// parentheses when `parens_alone` (kmod's -p form).
void append_param_text(std::string& o, const Param& p, bool parens_alone) {
  if (!p.desc) {
    if (parens_alone) o += " (";
    o += c_str(*p.type);
    if (parens_alone) o += ')';
    return;
  }
  o += c_str(*p.desc);
  if (p.type) {
    o += " (";
    o += c_str(*p.type);
    o += ')';
  }
}

// process_parm; false (after kmod's message) when the value has no ':'.
void add_param(std::string_view key, std::string_view value, std::vector<Param>& params, Result& r) {
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos) {
    r.err += kErrorPrefix;
    r.err += "Found invalid \"";
    r.err += key;
    r.err += '=';
    r.err += value;
    r.err += "\": missing ':'\n";
    return;
  }
  const std::string_view name = value.substr(0, colon), rest = value.substr(colon + 1);
  auto it = std::find_if(params.begin(), params.end(), [&](const Param& p) { return p.name == name; });
  if (it == params.end()) {
    params.push_back({name, std::nullopt, std::nullopt});
    it = params.end() - 1;
  }
  if (key == "parm")
    it->desc = rest;
  else
    it->type = rest;
}

using Entry = kmod::ModinfoEntry;

class Printer {
public:
  Printer(const Options& o, const Lookup& l) : opt_(o), lookup_(l) {}

  // modinfo_do: returns false when the module's information could not be read.
  bool module(const FoundModule& mod, Result& r, modinfo::ModuleImage& image) const {
    const std::optional<std::string>& path = mod.path;
    const bool no_file = !path.has_value();
    const char sep = opt_.separator;
    std::string& o = r.out;
    std::string_view filename;
    if (no_file) {
      if (!opt_.field) {
        pad16(o, "name:");
        o += mod.name;
        o += sep;
      } else if (*opt_.field == "name") {
        o += mod.name;
        o += sep;
      }
      filename = "(builtin)";
    } else {
      filename = *path;
    }
    if (opt_.field && *opt_.field == "filename") {
      o += filename;
      o += sep;
      return true;
    }
    if (!opt_.field) {
      pad16(o, "filename:");
      o += filename;
      o += sep;
    }

    // kmod_module_get_info
    std::vector<Entry> entries;
    std::vector<std::string> builtin_strings;
    std::vector<std::string_view> strings;
    std::optional<modinfo::SignatureInfo> sig;
    std::string sig_key, sig_hex;
    int err = 0;
    kmod::ModuleElf elf;
    if (mod.builtin || lookup_.is_builtin(mod.name)) {
      err = lookup_.builtin_modinfo(mod.name, builtin_strings);
      for (const std::string& s : builtin_strings) strings.push_back(s);
    } else if (no_file) {
      err = ENOENT;
    } else if ((err = image.open(*path)) == 0 && (err = elf.open(image)) == 0) {
      if (const auto info = elf.section(".modinfo")) {
        strings = kmod::section_strings(*info);
        sig = modinfo::read_signature(modinfo::signature_region(image));
      } else {
        err = ENOENT;
      }
    }
    if (err != 0) {
      if (no_file && err == ENOENT) return true;  // an old kernel without built-in information
      r.err += kErrorPrefix;
      r.err += "could not get modinfo from '";
      r.err += mod.name;
      r.err += "': ";
      r.err += std::strerror(err);
      r.err += '\n';
      return false;
    }
    entries.reserve(strings.size() + 5);
    for (std::string_view s : strings) entries.push_back(kmod::split_modinfo_string(s));
    if (sig) {
      sig_key = modinfo::hex_lines(sig->key_id);
      sig_hex = modinfo::hex_lines(sig->signature);
      entries.push_back({"sig_id", sig->id_type});
      entries.push_back({"signer", sig->signer});
      entries.push_back({"sig_key", sig_key});
      entries.push_back({"sig_hashalgo", sig->hash_algo});
      entries.push_back({"signature", sig_hex});
    }

    std::vector<Param> params;
    if (opt_.field && *opt_.field == "parm") {  // modinfo_params_do
      for (const Entry& e : entries)
        if (e.key == "parm" || e.key == "parmtype") add_param(e.key, c_str(e.value), params, r);
      for (auto p = params.rbegin(); p != params.rend(); ++p) {
        o += p->name;
        o += ':';
        append_param_text(o, *p, true);
        o += sep;
      }
      return true;
    }

    for (const Entry& e : entries) {
      const std::string_view key = c_str(e.key), value = c_str(e.value);
      if (opt_.field) {
        if (key != *opt_.field) continue;
        o += value;
        o += sep;
        continue;
      }
      if (key == "parm" || key == "parmtype") {
        add_param(key, value, params, r);
        continue;
      }
      o += key;
      if (sep == '\0') {
        o += '=';
      } else {
        o += ':';
        // "%-*s" with 15 - keylen: a negative width pads as much on the left-justified side.
        const std::size_t n = key.size() <= 15 ? 15 - key.size() : key.size() - 15;
        o.append(n, ' ');
      }
      o += value;
      o += sep;
    }
    if (opt_.field) return true;
    for (auto p = params.rbegin(); p != params.rend(); ++p) {
      pad16(o, "parm:");
      o += p->name;
      o += ':';
      append_param_text(o, *p, false);
      o += sep;
    }
    return true;
  }

private:
  const Options& opt_;
  const Lookup& lookup_;
};

bool is_module_filename(const std::string& name) {
  struct stat st;
  if (stat(name.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  for (std::string_view ext : {".ko", ".ko.xz", ".ko.zst"})
    if (std::string_view(name).ends_with(ext)) return true;
  return false;
}

Result one_argument(const std::string& arg, const Options& opt, const Lookup& lookup, modinfo::ModuleImage& image) {
  Result r;
  const Printer print(opt, lookup);
  auto not_found = [&](std::string_view what) {
    r.err += kErrorPrefix;
    r.err += what;
    r.err += arg;
    r.err += " not found.\n";
    r.failed = true;
  };
  if (opt.by_modname) {
    auto mod = lookup.by_name(arg);
    if (!mod) {
      not_found("Module name ");
      return r;
    }
    mod->path = lookup.path_of(mod->name);
    r.failed = !print.module(*mod, r, image);
  } else if (is_module_filename(arg)) {
    FoundModule mod;
    mod.name = kmod::path_to_modname(arg);
    mod.path = modinfo::make_absolute(arg);
    r.failed = !print.module(mod, r, image);
  } else {
    auto list = lookup.by_alias(arg);
    if (!list) {
      not_found("Module alias ");
      return r;
    }
    if (list->empty()) {
      not_found("Module ");
      return r;
    }
    for (FoundModule& mod : *list) {
      mod.path = lookup.path_of(mod.name);
      if (!print.module(mod, r, image)) r.failed = true;
    }
  }
  return r;
}

constexpr std::string_view kHelp =
    "Usage:\n"
    "\tmodinfo [options] <modulename|filename> [args]\n"
    "Options:\n"
    "\t-a, --author                Print only 'author'\n"
    "\t-d, --description           Print only 'description'\n"
    "\t-l, --license               Print only 'license'\n"
    "\t-p, --parameters            Print only 'parm'\n"
    "\t-n, --filename              Print only 'filename'\n"
    "\t-0, --null                  Use \\0 instead of \\n\n"
    "\t-m, --modname               Handle argument as module name instead of alias or filename\n"
    "\t-F, --field=FIELD           Print only provided FIELD\n"
    "\t-k, --set-version=VERSION   Use VERSION instead of `uname -r`\n"
    "\t-b, --basedir=DIR           Use DIR as filesystem root for /lib/modules\n"
    "\t-V, --version               Show version\n"
    "\t-h, --help                  Show this help\n";

// The kmod this reproduces: Debian 12's kmod 30, built with zstd, xz and OpenSSL.
constexpr std::string_view kVersion = "kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n";

// Works on the arguments with every core, prints each one's output in argument order.
bool run_all(const std::vector<std::string>& names, const Options& opt, const Lookup& lookup, std::ostream& out,
             std::ostream& err) {
  const std::size_t n = names.size();
  std::vector<Result> results(n);
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
  for (std::size_t i = 0; i < n; ++i) done[i] = false;
  std::atomic<std::size_t> next{0};
  std::size_t flushed = 0;
  bool failed = false;
  auto flush = [&](bool wait) {
    while (flushed < n && (wait || done[flushed].load(std::memory_order_acquire))) {
      // Moved out so that its buffers are freed here (assigning an empty Result would keep them).
      const Result r = std::move(results[flushed]);
      out.write(r.out.data(), static_cast<std::streamsize>(r.out.size()));
      err.write(r.err.data(), static_cast<std::streamsize>(r.err.size()));
      failed |= r.failed;
      ++flushed;
    }
  };
  auto work = [&](bool printer) {
    modinfo::ModuleImage image;  // this worker's buffers, reused from module to module
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      results[i] = one_argument(names[i], opt, lookup, image);
      done[i].store(true, std::memory_order_release);
      if (printer) flush(false);
    }
  };
  // The CPUs this process may run on (taskset and cpusets included).
  cpu_set_t set;
  const std::size_t cores =
      sched_getaffinity(0, sizeof set, &set) == 0 ? std::max(1, CPU_COUNT(&set)) : std::max(1u, std::thread::hardware_concurrency());
  // Decompression is what pays for a second thread.  Plain .ko files cost system calls on
  // the shared address space (mmap/munmap), where a second thread only adds TLB shootdowns:
  // measured slower than one thread on both trees' plain modules.
  const bool all_plain = std::all_of(names.begin(), names.end(),
                                     [](const std::string& a) { return std::string_view(a).ends_with(".ko"); });
  const std::size_t helpers = all_plain ? 0 : std::min<std::size_t>(cores, n) - 1;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < helpers; ++t) threads.emplace_back(work, false);
  work(true);
  for (std::thread& t : threads) t.join();
  flush(true);
  return !failed;
}

}  // namespace

int modinfo_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  static const cli::OptionSpec kSpecs[] = {
      {'a', "author", false},     {'d', "description", false}, {'l', "license", false},
      {'p', "parameters", false}, {'n', "filename", false},    {'0', "null", false},
      {'m', "modname", false},    {'F', "field", true},        {'k', "set-version", true},
      {'b', "basedir", true},     {'V', "version", false},     {'h', "help", false},
  };
  std::vector<std::string> argv{"modinfo"};
  argv.insert(argv.end(), args.begin(), args.end());
  const cli::Parsed parsed = cli::parse(argv, kSpecs);

  Options opt;
  std::optional<std::string> kversion, root;
  for (const cli::OptionUse& u : parsed.uses) {
    switch (u.key) {
      case 'a': opt.field = "author"; break;
      case 'd': opt.field = "description"; break;
      case 'l': opt.field = "license"; break;
      case 'p': opt.field = "parm"; break;
      case 'n': opt.field = "filename"; break;
      case '0': opt.separator = '\0'; break;
      case 'm': opt.by_modname = true; break;
      case 'F': opt.field = u.value; break;
      case 'k': kversion = u.value; break;
      case 'b': root = u.value; break;
      case 'h': out << kHelp; return 0;
      case 'V': out << kVersion; return 0;
      default: break;
    }
  }
  if (!parsed.error.empty()) {
    err << parsed.error << '\n';
    return 1;
  }
  if (parsed.operands.empty()) {
    err << kErrorPrefix << "missing module or filename.\n";
    return 1;
  }

  std::string dirname;
  struct utsname u;
  if (root || kversion) {
    if (!kversion) {
      if (uname(&u) < 0) {
        err << kErrorPrefix << "uname() failed: " << std::strerror(errno) << '\n';
        return 1;
      }
      kversion = u.release;
    }
    dirname = modinfo::make_absolute(root.value_or("") + "/lib/modules/" + *kversion);
  } else {
    if (uname(&u) < 0) {
      err << kErrorPrefix << "kmod_new() failed!\n";
      return 1;
    }
    dirname = std::string("/lib/modules/") + u.release;
  }
  // kmod_new(dirname, {NULL}): modinfo reads no modprobe.d directory, only the
  // modules.softdep libkmod adds to every configuration; bad lines are reported there too.
  std::string diag;
  const Lookup lookup(dirname, kmod::ModprobeConfig::load({}, dirname, diag));
  err << diag;
  return run_all(parsed.operands, opt, lookup, out, err) ? 0 : 1;
}

}  // namespace modforge::loader::modinfo
