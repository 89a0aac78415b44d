#include "abi/symtypes_gen.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>
#include <utility>
#include <unistd.h>

#include "abi/symtypes_eval_mk.h"
#include "abi/symtypes_gen_parse.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "core/spawn.h"
#include "genksyms/engine.h"

extern char** environ;

namespace modforge::abi {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string read_or_throw(const std::string& path) {
  std::string text;
  if (!read_whole_file(path, text)) throw Error(errno_message(path, errno));
  return text;
}

// "NAME = value" of a Makefile's first lines (VERSION, PATCHLEVEL).
std::string makefile_value(const std::string& text, std::string_view name) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    if (line.substr(0, name.size()) == name) {
      auto rest = line.substr(name.size());
      size_t eq = rest.find('=');
      if (eq != std::string_view::npos && rest.substr(0, eq).find_first_not_of(" \t") == std::string_view::npos) {
        auto v = rest.substr(eq + 1);
        size_t b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t\r");
        return b == std::string_view::npos ? "" : std::string(v.substr(b, e - b + 1));
      }
    }
    pos = nl + 1;
  }
  return {};
}

Kernel kernel_of_source(const std::string& source) {
  std::string mk = read_or_throw(source + "/Makefile");
  std::string v = makefile_value(mk, "VERSION") + "." + makefile_value(mk, "PATCHLEVEL");
  auto k = parse_kernel(v);
  if (!k) throw Error(source + "/Makefile: kernel " + v + " is neither 6.1 nor 6.12");
  return *k;
}

// The compiler the tree was configured with: CONFIG_CC_VERSION_TEXT's first word.
std::string cc_of_config(const std::string& text, const std::string& config_path) {
  const std::string key = "CONFIG_CC_VERSION_TEXT=\"";
  size_t p = text.find(key);
  if (p == std::string::npos) throw Error(config_path + ": no CONFIG_CC_VERSION_TEXT");
  p += key.size();
  size_t e = text.find_first_of(" \"", p);
  return text.substr(p, e - p);
}

bool config_is_gcc(const std::string& text) {
  return text.starts_with("CONFIG_CC_IS_GCC=y\n") || text.find("\nCONFIG_CC_IS_GCC=y\n") != std::string::npos;
}

void copy_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  if (ec) throw Error(from.string() + " -> " + to.string() + ": " + ec.message());
}

void touch_file(const fs::path& p) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  write_file_atomic(p.string(), "");
}

// Host programs that generate sources, named by pattern rules or by another directory's
// Makefile than their own (so a directory's make does not build them).
constexpr const char* kHostTools[] = {"scripts/asn1_compiler", "scripts/selinux/genheaders/genheaders",
                                      "scripts/ipe/polgen/polgen"};

// The scratch objtree: what a build's objtree holds before the first object is compiled
// (.config and the files syncconfig and prepare write), taken from the headers tree.  The
// configuration's timestamps are ordered so that make sees nothing to re-sync.  Host tools
// that generate sources are named by empty files: make -n then "makes" what they generate.
void prepare_objtree(const std::string& headers, const std::string& config, const fs::path& obj) {
  std::error_code ec;
  fs::create_directories(obj / "include/config", ec);
  if (ec) throw Error(obj.string() + ": " + ec.message());
  fs::copy_file(headers + "/.config", obj / ".config", fs::copy_options::overwrite_existing, ec);
  if (ec) throw Error(headers + "/.config: " + ec.message());
  fs::last_write_time(obj / ".config", fs::file_time_type::clock::now() - std::chrono::hours(24 * 365), ec);
  for (const char* f : {"auto.conf", "kernel.release"}) {
    fs::copy_file(headers + "/include/config/" + f, obj / "include/config" / f, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(headers + "/include/config/" + f + ": " + ec.message());
  }
  touch_file(obj / "include/config/auto.conf.cmd");
  copy_tree(headers + "/include/generated", obj / "include/generated");
  for (auto& arch : fs::directory_iterator(headers + "/arch")) {
    fs::path gen = arch.path() / "include/generated";
    if (fs::is_directory(gen)) copy_tree(gen, obj / "arch" / arch.path().filename() / "include/generated");
  }
  for (const char* tool : kHostTools) touch_file(obj / tool);
  // The module signing key (certs/ builds it into the kernel; Debian's key is not shipped):
  // named by an empty file so that certs/ evaluates without a complaint.
  const std::string key = "\nCONFIG_MODULE_SIG_KEY=\"";
  if (size_t p = config.find(key); p != std::string::npos) {
    p += key.size();
    std::string path = config.substr(p, config.find('"', p) - p);
    if (!path.empty() && path[0] != '/' && path.find(':') == std::string::npos && !fs::exists(obj / path))
      touch_file(obj / path);
  }
}

// The caller's environment without make's own recursion variables.
std::vector<std::string> caller_env() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view s(*e);
    if (s.starts_with("MAKEFLAGS=") || s.starts_with("MAKELEVEL=") || s.starts_with("MFLAGS=") ||
        s.starts_with("MAKEFILES=") || s.starts_with("MODFORGE_SG_"))
      continue;
    env.emplace_back(s);
  }
  return env;
}

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t z = text.find('\0', pos);
    if (z == std::string::npos) z = text.size();
    out.push_back(text.substr(pos, z - pos));
    pos = z + 1;
  }
  return out;
}

using symgen::Record;

// What make listed, one record per object.
std::vector<Record> read_records(const fs::path& dir) {
  std::map<std::string, Record> by_target;
  for (auto& f : fs::directory_iterator(dir)) symgen::parse_records(read_or_throw(f.path().string()), by_target);
  std::vector<Record> out;
  for (auto& [t, r] : by_target) out.push_back(std::move(r));
  return out;
}

// Cheap pre-filter: an object can only export when its source names an export macro (the
// check kbuild makes on the compiled object is not available without compiling).
bool may_export(const std::string& source_path) {
  std::string text;
  if (!read_whole_file(source_path, text)) return true;  // generated: the preprocessor tells
  return symgen::may_export_text(text);
}

class Generator {
public:
  Generator(const SymtypesGenOptions& o, Kernel k, fs::path objtree, std::vector<std::string> env, bool gcc)
      : opt_(o), kernel_(k), objtree_(std::move(objtree)), env_(std::move(env)),
        cpp_tail_(gcc ? " -ftrack-macro-expansion=0" : "") {}

  // One pass over `records`; the ones that failed for want of a generated file are
  // returned with what they missed instead of being failures.
  std::vector<std::pair<const Record*, std::vector<std::string>>> run(const std::vector<const Record*>& records,
                                                                       SymtypesGenResult& result, bool count) {
    std::vector<const Record*> todo;
    for (auto* r : records)
      if (may_export(resolve(r->source))) todo.push_back(r);
    if (count) result.candidates += todo.size();
    // The biggest sources first: the slowest objects do not end the run alone.
    std::vector<std::pair<std::uintmax_t, const Record*>> sized;
    for (auto* r : todo) {
      std::error_code ec;
      sized.emplace_back(fs::file_size(resolve(r->source), ec), r);
    }
    std::stable_sort(sized.begin(), sized.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::atomic<size_t> next{0};
    unsigned n = std::max(1u, opt_.jobs);
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < n; ++i)
      workers.emplace_back([&] {
        for (size_t j; (j = next.fetch_add(1)) < sized.size();) {
          const Record& r = *sized[j].second;
          try {  // a worker's exception would end the process: it is the object's failure
            one(r);
          } catch (const Error& e) {
            fail(r, e.what());
          } catch (const std::exception& e) {
            fail(r, e.what());
          }
        }
      });
    for (auto& w : workers) w.join();
    for (auto& c : crcs_) result.crcs.push_back(std::move(c));
    for (auto& f : failures_) result.failures.push_back(std::move(f));
    result.exporting += exporting_;
    crcs_.clear();
    failures_.clear();
    exporting_ = 0;
    return std::exchange(missing_, {});
  }

private:
  std::string resolve(const std::string& p) const {
    if (!p.empty() && p[0] == '/') return p;
    fs::path o = objtree_ / p;
    if (fs::exists(o)) return o.string();
    return opt_.source + "/" + p;
  }

  void fail(const Record& r, std::string what) {
    std::lock_guard lock(mu_);
    failures_.push_back(r.target + ": " + what);
  }

  // pipefail: a pipeline's preprocessor failure is the command's (bash: dash has no pipefail).
  bool shell(const Record& r, const std::string& command, std::string& out, bool pipefail = false) {
    auto res = pipefail ? run_program({"/bin/bash", "-c", "set -o pipefail; " + command}, objtree_.string(), &env_,
                                      true, true)
                        : run_program({"/bin/sh", "-c", command}, objtree_.string(), &env_, true, true);
    if (res.status != 0) {
      if (auto m = symgen::missing_files(res.err); !m.empty()) {
        std::lock_guard lock(mu_);
        missing_.emplace_back(&r, std::move(m));
        return false;
      }
      fail(r, "preprocessor exit " + std::to_string(res.status) + ": " + res.err.substr(0, 2000));
      return false;
    }
    out = std::move(res.out);
    return true;
  }

  void one(const Record& r) {
    if (!opt_.external_genksyms.empty()) return one_external(r);
    std::string pre;
    if (r.rule == "cc_o_c") {
      if (!shell(r, r.cpp + " -D__GENKSYMS__ " + r.c_flags + cpp_tail_ + " " + r.source, pre)) return;
    } else {
      std::string tmp;
      if (!asm_list(r, tmp)) return;
      if (!shell(r, r.cpp + " -D__GENKSYMS__ " + r.c_flags + cpp_tail_ + " -xc " + tmp, pre)) return;
    }
    if (opt_.cpp_only) return;
    std::string out, err;
    genksyms::Engine engine(genksyms::Settings{}, out, err);
    try {
      engine.parse(pre);
    } catch (const Error& e) {
      fail(r, std::string("genksyms: ") + e.what());
      return;
    }
    if (engine.errors()) fail(r, "genksyms: " + err.substr(0, 2000));
    if (out.empty()) return;
    std::string types = types_path(r);
    if (!types.empty()) write_file_atomic(types, engine.types());
    found(r, out);
  }

  // An assembler source's exports as the C file cmd_gensymtypes_S feeds the preprocessor; false when
  // it has none or failed.
  bool asm_list(const Record& r, std::string& path) {
    std::string asm_pre;
    if (!shell(r, r.cpp + " " + r.a_flags + " " + r.source, asm_pre)) return false;
    std::string exports = symgen::asm_exports(kernel_, asm_pre);
    if (exports.empty()) return false;
    // The list goes in as a file rather than standard input: only the preprocessor's
    // line markers name it, and genksyms' output does not carry them.
    fs::path tmp = objtree_ / ".sg-asm" / (r.target + ".c");
    std::error_code ec;
    fs::create_directories(tmp.parent_path(), ec);
    write_file_atomic(tmp.string(), "#include <linux/kernel.h>\n#include <asm/asm-prototypes.h>\n" + exports);
    path = tmp.string();
    return true;
  }

  std::string stem(const Record& r) const {
    return r.target.ends_with(".o") ? r.target.substr(0, r.target.size() - 2) : r.target;
  }

  // Where the object's .symtypes goes (its directory created).
  std::string types_path(const Record& r) const {
    fs::path types = fs::path(opt_.out_dir) / (stem(r) + ".symtypes");
    std::error_code ec;
    fs::create_directories(types.parent_path(), ec);
    return types.string();
  }

  // Records genksyms' "#SYMVER" lines; false when there were none.
  bool found(const Record& r, const std::string& out) {
    std::vector<GeneratedCrc> crcs;
    const std::string module = symgen::module_of(r.c_flags);
    for (auto& [name, crc] : symgen::symver_lines(out)) crcs.push_back({name, crc, module, r.target});
    if (crcs.empty()) return false;
    std::lock_guard lock(mu_);
    ++exporting_;
    for (auto& c : crcs) crcs_.push_back(std::move(c));
    return true;
  }

  // The real tool's pipeline, as cmd_gensymtypes_{c,S} write it (the assembler export list piped in).
  void one_external(const Record& r) {
    std::string types = types_path(r);
    std::string symref = opt_.source + "/" + stem(r) + ".symref";
    // Neither 6.1's nor 6.12's Makefile.build passes -R (CONFIG_MODULE_REL_CRCS went in 5.19).
    std::string genksyms = opt_.external_genksyms + " -T " + types + " -r " +
                           (fs::exists(symref) ? symref : std::string("/dev/null"));
    std::string out;
    bool ok;
    if (r.rule == "cc_o_c") {
      ok = shell(r, r.cpp + " -D__GENKSYMS__ " + r.c_flags + " " + r.source + " | " + genksyms, out, true);
    } else {
      std::string tmp;
      if (!asm_list(r, tmp)) return;
      ok = shell(r, "cat " + tmp + " | " + r.cpp + " -D__GENKSYMS__ " + r.c_flags + " -xc - | " + genksyms, out, true);
    }
    std::error_code ec;
    if (!ok || !found(r, out)) fs::remove(types, ec);  // ours writes none for a non-exporting object
  }

  const SymtypesGenOptions& opt_;
  Kernel kernel_;
  fs::path objtree_;
  std::vector<std::string> env_;
  // Our own preprocessor runs (not the real tool's pipeline) skip GCC's macro-expansion
  // location tracking: it serves only compiler diagnostics, the -E output is the same, and
  // it is about 40 % of the preprocessor's time on kernel sources.
  const std::string cpp_tail_;
  std::mutex mu_;
  std::vector<GeneratedCrc> crcs_;
  std::vector<std::string> failures_;
  std::vector<std::pair<const Record*, std::vector<std::string>>> missing_;
  std::size_t exporting_ = 0;
};

// make's complaints, without its "Error N" echo lines.
std::vector<std::string> make_complaints(const std::string& err) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < err.size()) {
    size_t nl = err.find('\n', pos);
    if (nl == std::string::npos) nl = err.size();
    std::string line = err.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || (line.find("] Error ") != std::string::npos && line.rfind("make", 0) == 0)) continue;
    out.push_back(line);
  }
  return out;
}

using Missing = std::vector<std::pair<const Record*, std::vector<std::string>>>;

void note_make_errors(const ShellResult& r, SymtypesGenResult& result) {
  for (auto& e : make_complaints(r.err))
    if (e.find("***") != std::string::npos) result.make_errors.push_back(e);
}

// fixdep (every real kbuild rule runs it) and kHostTools: built for real in the objtree.
void build_host_tools(const SymtypesGenOptions& opt, const fs::path& objtree, const std::vector<std::string>& genv,
                      SymtypesGenResult& result) {
  std::vector<std::string> env = caller_env();
  note_make_errors(run_program({"make", "-s", "-C", opt.source, "O=" + objtree.string(), "CC=" + opt.cc, "scripts_basic"},
                               "", &env, true, true),
                   result);
  for (const char* tool : kHostTools) {
    std::error_code ec;
    fs::remove(objtree / tool, ec);  // the stand-in prepare_objtree() left
    std::string dir = fs::path(tool).parent_path().string();
    if (!fs::exists(opt.source + "/" + dir + "/Makefile")) continue;  // not in this kernel (6.1: ipe)
    note_make_errors(run_program({"make", "-s", "-f", opt.source + "/scripts/Makefile.build", "obj=" + dir, tool},
                                 objtree.string(), &genv, true, true),
                     result);
  }
}

// Each missing file is made by the Makefile of the directory of the object that wanted it:
// "<dir>/x.h" when the name is relative to that directory (#include "x.asn1.h"), the name
// itself when it is a path in the objtree already (the object's generated source).
void generate_files(const SymtypesGenOptions& opt, const fs::path& objtree, const std::vector<std::string>& genv,
                    const Missing& missing, SymtypesGenResult& result) {
  std::map<std::string, std::set<std::string>> by_dir;
  for (auto& [r, names] : missing) {
    std::string dir = fs::path(r->target).parent_path().string();
    for (auto& n : names) {
      if (n.empty() || n[0] == '/') continue;
      by_dir[dir].insert(n.starts_with(dir + "/") ? n : dir + "/" + n);
    }
  }
  std::string mk = "all:\n";
  int i = 0;
  for (auto& [dir, targets] : by_dir) {
    std::string name = "sg-gen-" + std::to_string(i++);
    mk += "all: " + name + "\n.PHONY: " + name + "\n" + name + ":\n\t$(MAKE) -f " + opt.source +
          "/scripts/Makefile.build obj=" + dir;
    for (auto& t : targets) mk += " " + t;
    mk += "\n";
  }
  const std::string path = (objtree / ".sg-generate.mk").string();
  write_file_atomic(path, mk);
  note_make_errors(run_program({"make", "-s", "-k", "-j" + std::to_string(opt.jobs), "-f", path}, objtree.string(),
                               &genv, true, true),
                   result);
}

}  // namespace

SymtypesGenResult generate_symtypes(const SymtypesGenOptions& options) {
  SymtypesGenOptions opt = options;
  if (opt.source.empty() || opt.headers.empty() || opt.out_dir.empty())
    throw Error("generate_symtypes: the source, the headers tree and the output directory are needed");
  opt.source = fs::absolute(opt.source).lexically_normal().string();
  if (opt.source.ends_with("/")) opt.source.pop_back();
  if (opt.jobs == 0) opt.jobs = std::max(1u, std::thread::hardware_concurrency());
  const Kernel kernel = opt.kernel ? *opt.kernel : kernel_of_source(opt.source);
  const std::string config_path = opt.headers + "/.config";
  const std::string config = read_or_throw(config_path);
  if (opt.cc.empty()) opt.cc = cc_of_config(config, config_path);
  fs::path objtree = fs::absolute(opt.work_dir.empty() ? fs::path(opt.out_dir) / ".objtree" : fs::path(opt.work_dir));
  std::error_code ec;
  fs::remove_all(objtree, ec);
  prepare_objtree(opt.headers, config, objtree);
  fs::create_directories(opt.out_dir, ec);
  if (ec) throw Error(opt.out_dir + ": " + ec.message());

  SymtypesGenResult result;
  const auto t0 = Clock::now();
  const std::string mk = (objtree / ".sg-eval.mk").string();
  write_file_atomic(mk, kSymtypesEvalMk);
  const fs::path recdir = objtree / ".sg-records";
  fs::create_directories(recdir, ec);

  // The top-level Makefile once, to a target that enters Makefile.build early: it checks
  // the compiler, computes every flag and exports them, and the environment is saved there.
  const std::string env_file = (objtree / ".sg-env").string();
  std::vector<std::string> env = caller_env();
  env.push_back("MAKEFILES=" + mk);
  env.push_back("MODFORGE_SG_ENV=" + env_file);
  env.push_back("MODFORGE_SG_OUT=" + recdir.string());
  auto top = run_program({"make", "-n", "-k", "-C", opt.source, "O=" + objtree.string(), "CC=" + opt.cc, "scripts_basic"},
                         "", &env, true, true);
  std::string env_text;
  if (!read_whole_file(env_file, env_text))
    throw Error(top.err + "make -C " + opt.source + " O=" + objtree.string() + " did not reach Makefile.build (exit " +
                std::to_string(top.status) + ")");

  // Then Makefile.build on the directories the top level descends into, under make -n -k:
  // every object of vmlinux and of the modules gets its rule expanded, which records it.
  std::vector<std::string> kenv;
  std::string dirs, makeflags;
  for (auto& e : split_nul(env_text)) {
    if (e.starts_with("MODFORGE_SG_DIRS=")) dirs = e.substr(17);
    if (e.starts_with("MAKEFLAGS=")) {
      // kbuild's own flags stay (6.1's -I<srctree>, which Makefiles' `include $(src)/...`
      // need); the capture's -n and -k are the caller's business.
      // The first word is the single-letter flags unless it is an option already.
      std::string v = e.substr(10);
      size_t end = std::min(v.find(' '), v.size());
      if (v.starts_with("-")) {
        makeflags = v;
      } else {
        std::string kept;
        for (char c : v.substr(0, end))
          if (c != 'n' && c != 'k') kept += c;
        makeflags = kept + v.substr(end);
      }
    }
    if (e.starts_with("MAKEFLAGS=") || e.starts_with("MFLAGS=") || e.starts_with("MAKELEVEL=") ||
        e.starts_with("MAKEFILES=") || e.starts_with("MODFORGE_") || e.starts_with("KBUILD_MODULES=") ||
        e.starts_with("KBUILD_BUILTIN="))
      continue;
    kenv.push_back(e);
  }
  if (dirs.empty()) throw Error("make -C " + opt.source + ": the directories to descend into were not recorded");
  std::vector<std::string> run_env = kenv;  // what the preprocessor commands run in
  run_env.push_back("KBUILD_MODULES=1");
  run_env.push_back("KBUILD_BUILTIN=1");
  kenv = run_env;
  kenv.push_back("MAKEFLAGS=" + makeflags);
  kenv.push_back("MAKEFILES=" + mk);
  kenv.push_back("MODFORGE_SG_OUT=" + recdir.string());
  // A makefile of our own runs one Makefile.build per top directory, sharing make's jobs.
  const std::string descend = (objtree / ".sg-descend.mk").string();
  write_file_atomic(descend,
                    "SG_DIRS := " + dirs + "\n.PHONY: all $(SG_DIRS)\nall: $(SG_DIRS)\n$(SG_DIRS):\n\t$(MAKE) -f " +
                        opt.source + "/scripts/Makefile.build obj=$@ need-builtin=1 need-modorder=1\n");
  auto desc = run_program({"make", "-n", "-k", "-j" + std::to_string(opt.jobs), "-f", descend}, objtree.string(), &kenv,
                          true, true);
  result.make_errors = make_complaints(desc.err);
  std::vector<Record> records = read_records(recdir);
  result.objects = records.size();
  if (records.empty()) throw Error(desc.err + "make listed no objects under " + opt.source);
  result.make_seconds = seconds_since(t0);

  const auto t1 = Clock::now();
  Generator gen(opt, kernel, objtree, run_env, config_is_gcc(config));
  std::vector<std::string> genv;  // real (not -n) Makefile.build runs: kbuild's environment
  for (auto& e : kenv)
    if (!e.starts_with("MAKEFILES=") && !e.starts_with("MODFORGE_SG_")) genv.push_back(e);
  std::vector<const Record*> pass;
  for (auto& r : records) {
    bool wanted = opt.only.empty();
    for (auto& prefix : opt.only) wanted = wanted || r.target.starts_with(prefix);
    if (wanted) pass.push_back(&r);
  }
  std::map<const Record*, std::vector<std::string>> last_missing;
  for (int round = 0;; ++round) {
    auto missing = gen.run(pass, result, round == 0);
    if (missing.empty()) break;
    // Objects that include files the build generates (ASN.1 decoders, tables made by host
    // programs, shipped copies): kbuild's own rules make them, for real, then those
    // objects run again.  A round that generates nothing new ends it.
    bool progress = false;
    for (auto& [r, m] : missing)
      if (last_missing[r] != m) progress = true;
    if (!progress || round == 4) {
      for (auto& [r, m] : missing) {
        std::string names;
        for (auto& n : m) names += " " + n;
        result.failures.push_back(r->target + ": generated file not made:" + names);
      }
      break;
    }
    if (round == 0) build_host_tools(opt, objtree, genv, result);
    generate_files(opt, objtree, genv, missing, result);
    pass.clear();
    for (auto& [r, m] : missing) {
      pass.push_back(r);
      last_missing[r] = m;
    }
  }
  std::sort(result.crcs.begin(), result.crcs.end(),
            [](const GeneratedCrc& a, const GeneratedCrc& b) { return a.symbol < b.symbol; });
  std::sort(result.failures.begin(), result.failures.end());
  result.gen_seconds = seconds_since(t1);

  if (!opt.symvers.empty()) {
    std::string text;
    char buf[16];
    for (auto& c : result.crcs) {
      snprintf(buf, sizeof buf, "0x%08x", c.crc);
      text += std::string(buf) + "\t" + c.symbol + "\t" + c.module + "\t" + c.object + "\n";
    }
    write_file_atomic(opt.symvers, text);
  }
  return result;
}

}  // namespace modforge::abi
