#include "kbuild/make_eval.h"

#include <cstdlib>
#include <map>
#include <set>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>  // XXH3_state_t on the stack

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "kbuild/eval_mk_embedded.h"
#include "core/spawn.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;

namespace {

std::string hex64(XXH64_hash_t h) {
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

// A hash over the contents of files (relative paths are under `base`): what make read.
class KeyHasher {
public:
  KeyHasher() { XXH3_64bits_reset(&st_); }
  void add(std::string_view s) {
    XXH3_64bits_update(&st_, s.data(), s.size());
    XXH3_64bits_update(&st_, "\0", 1);
  }
  void add_file(const std::string& base, const std::string& path) {
    std::string full = path[0] == '/' ? path : base + "/" + path;
    std::string text;
    add(full);
    if (read_whole_file(full, text)) add(text);
    else add("\x01missing");
  }
  std::string hex() { return hex64(XXH3_64bits_digest(&st_)); }

private:
  XXH3_state_t st_;
};

std::string stage_makefile(Stage s) {
  switch (s) {
    case Stage::Build: return "build";
    case Stage::Modpost: return "modpost";
    case Stage::Modfinal: return "modfinal";
    case Stage::Modinst: return "modinst";
  }
  return "";
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

std::string env_name(const std::string& e) { return e.substr(0, e.find('=')); }

// The caller's environment as make gets it (make's own recursion variables dropped).
std::vector<std::string> caller_env() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view s(*e);
    if (s.rfind("MAKEFLAGS=", 0) == 0 || s.rfind("MAKELEVEL=", 0) == 0 || s.rfind("MFLAGS=", 0) == 0 ||
        s.rfind("MAKEFILES=", 0) == 0 || s.rfind("MODFORGE_ENV_OUT=", 0) == 0)
      continue;
    env.emplace_back(s);
  }
  return env;
}

// Variables of the caller's environment that change what kbuild computes (make reads the
// environment as variables): part of the tree's key, so that a change re-runs the top level.
// Not PATH (perf, ccache's masquerade directory ... change it): the compiler it finds is in
// the key by its identity instead.
bool kbuild_reads(const std::string& name) {
  static const char* const exact[] = {"ARCH", "SUBARCH", "CROSS_COMPILE", "LLVM", "LLVM_IAS", "KCFLAGS",
                                      "KCPPFLAGS", "KAFLAGS", "KRUSTFLAGS", "KERNELRELEASE", "CC", "LD", "AR",
                                      "NM", "OBJCOPY", "OBJDUMP", "STRIP", "HOSTCC", "HOSTCXX", "O", "W", "C",
                                      "V"};
  for (auto* e : exact)
    if (name == e) return true;
  return name.rfind("KBUILD_", 0) == 0 || name.rfind("CONFIG_", 0) == 0 || name.rfind("INSTALL_", 0) == 0;
}

}  // namespace

std::string default_cache_root() {
  if (const char* c = std::getenv("MODFORGE_KBUILD_CACHE"); c && *c) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/modforge";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/modforge";
  return "/tmp/modforge-cache";
}

Evaluator::Evaluator(Tree tree, std::string module_dir, std::vector<std::string> vars, std::string cache_root)
    : tree_(std::move(tree)), module_dir_(std::move(module_dir)), vars_(std::move(vars)) {
  KeyHasher id;
  id.add(tree_.objtree);
  id.add(module_dir_);
  for (auto& v : vars_) id.add(v);
  // Kbuild files may read $(PWD) (DKMS runs make from the package's build directory).
  if (const char* pwd = std::getenv("PWD")) id.add(pwd);
  cache_root_ = cache_root;
  cache_dir_ = cache_root + "/kbuild/" + id.hex();
  std::error_code ec;
  fs::create_directories(cache_dir_, ec);
  if (ec) throw Error(cache_dir_ + ": " + ec.message());
  eval_mk_ = cache_root + "/kbuild/eval-" + hex64(XXH3_64bits(kEvalMk.data(), kEvalMk.size())) + ".mk";
  if (access(eval_mk_.c_str(), R_OK) != 0) write_file_atomic(eval_mk_, kEvalMk);
}

std::string Evaluator::env_value(const std::string& name) {
  load_env();
  std::string prefix = name + "=";
  for (auto& e : make_env_)
    if (e.compare(0, prefix.size(), prefix) == 0) return e.substr(prefix.size());
  return {};
}

bool Evaluator::env_cache_valid() {
  std::string text, user_text, key;
  if (!read_whole_file(cache_dir_ + "/env", text) || !read_whole_file(cache_dir_ + "/env.user", user_text)) return false;
  read_whole_file(cache_dir_ + "/env.key", key);
  // kbuild's sub-makes get the caller's environment plus what the top-level Makefile
  // exported (and minus what it unexported).  That difference is kept; the rest is taken
  // from the caller now, so that PATH, TMPDIR, CCACHE_DIR ... are the current ones.
  auto captured = split_nul(text);
  std::map<std::string, std::string> user;
  for (auto& e : split_nul(user_text)) user[env_name(e)] = e;
  std::map<std::string, std::string> delta;  // name -> entry, or "" to drop
  std::set<std::string> seen;
  for (auto& e : captured) {
    std::string n = env_name(e);
    seen.insert(n);
    // The capture ran under $(shell), whose /bin/sh resets PWD (and its own variables);
    // kbuild's sub-makes, which make starts without a shell, keep the caller's PWD, and
    // Kbuild files read it (gost-crypto: ccflags-y := -I $(PWD)).
    if (n == "PWD" || n == "OLDPWD" || n == "SHLVL" || n == "_") continue;
    if (auto it = user.find(n); it == user.end() || it->second != e) delta[n] = e;
  }
  for (auto& [n, e] : user)
    if (!seen.count(n) && n != "PWD" && n != "OLDPWD" && n != "SHLVL" && n != "_") delta[n] = "";
  make_env_.clear();
  std::set<std::string> done;
  for (auto& e : caller_env()) {
    std::string n = env_name(e);
    if (auto it = delta.find(n); it != delta.end()) {
      if (!it->second.empty()) make_env_.push_back(it->second);
      done.insert(n);
    } else {
      make_env_.push_back(e);
    }
  }
  for (auto& [n, e] : delta)
    if (!done.count(n) && !e.empty()) make_env_.push_back(e);
  // The tree's identity: every Makefile the top level read, auto.conf among them, and the
  // compiler (its path, size and time: a changed or reinstalled compiler invalidates).
  std::string top, cc;
  for (auto& e : make_env_) {
    if (e.rfind("MODFORGE_TOP_MAKEFILES=", 0) == 0) top = e.substr(23);
    if (e.rfind("CC=", 0) == 0) cc = e.substr(3);
  }
  if (top.empty()) return false;  // tree_key_ stays empty
  KeyHasher h;
  h.add(kEvalMk);
  for (auto& v : vars_) h.add(v);
  for (auto& e : caller_env())
    if (kbuild_reads(env_name(e))) h.add(e);
  for (auto& f : split_words(top))
    if (!ends_with(f, ".mk") || f.find("/kbuild/eval-") == std::string::npos) h.add_file(tree_.objtree, f);
  auto cc_words = split_words(cc);
  if (!cc_words.empty()) {
    std::string exe = cc_words[0];
    h.add(exe);
    if (const char* path = std::getenv("PATH"); path && exe.find('/') == std::string::npos) {
      std::istringstream dirs(path);
      std::string d;
      while (std::getline(dirs, d, ':')) {
        struct stat st;
        std::string cand = d + "/" + exe;
        if (stat(cand.c_str(), &st) == 0) {
          h.add(cand + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
                std::to_string(st.st_mtim.tv_nsec));
          break;
        }
      }
    }
  }
  tree_key_ = h.hex();
  return tree_key_ + "\n" == key;
}

void Evaluator::learn_env() {
  // One run of the tree's own top-level Makefile, with make's -n: it probes the compiler,
  // computes every flag and enters Makefile.build, where kbuild-eval.mk saves the
  // environment kbuild's sub-makes get.  Its other output is not used; it stops at
  // modpost, whose input does not exist yet.
  std::string env_out = cache_dir_ + "/env.new";
  unlink(env_out.c_str());
  std::vector<std::string> argv = {"make", "-n", "-B", "-s", "-C", tree_.objtree, "M=" + module_dir_};
  for (auto& v : vars_) argv.push_back(v);
  argv.push_back("modules");
  std::vector<std::string> env = caller_env();
  std::string user;
  for (auto& e : env) user += e + '\0';
  write_file_atomic(cache_dir_ + "/env.user", user);
  env.push_back("MAKEFILES=" + eval_mk_);
  env.push_back("MODFORGE_ENV_OUT=" + env_out);
  // Its standard error (the expected stop at modpost) is kept for when it fails earlier.
  env.push_back("MODFORGE_LEARN=1");
  auto r = run_program(argv, "", &env, true, true);
  if (access(env_out.c_str(), R_OK) != 0)
    throw Error(r.err + "make -C " + tree_.objtree + " M=" + module_dir_ + " did not reach Makefile.build (exit " +
                std::to_string(r.status) + ")", 2);
  if (rename(env_out.c_str(), (cache_dir_ + "/env").c_str()) != 0)
    throw Error(errno_message(cache_dir_ + "/env", errno));
  tree_key_.clear();
  env_cache_valid();  // computes tree_key_ from what the top level read
  if (tree_key_.empty()) throw Error(cache_dir_ + "/env: the top-level Makefile's list was not recorded");
  write_file_atomic(cache_dir_ + "/env.key", tree_key_ + "\n");
}

void Evaluator::load_env() {
  if (env_loaded_) return;
  if (!env_cache_valid()) learn_env();
  run_env_.clear();
  for (auto& e : make_env_) {
    if (e.rfind("MAKEFILES=", 0) == 0 || e.rfind("MODFORGE_", 0) == 0) continue;
    if (e.rfind("MAKEFLAGS=", 0) == 0 || e.rfind("MFLAGS=", 0) == 0) {
      // The commands see make's flags without -n and -B, as under a real build.
      size_t eq = e.find('=');
      std::string v = e.substr(eq + 1);
      size_t end = v.find(' ');
      std::string first = v.substr(0, end), rest = end == std::string::npos ? "" : v.substr(end);
      std::string kept;
      for (char c : first)
        if (c != 'n' && c != 'B') kept += c;
      if (kept == "-") kept.clear();
      run_env_.push_back(e.substr(0, eq + 1) + kept + rest);
      continue;
    }
    run_env_.push_back(e);
  }
  env_loaded_ = true;
}

const std::vector<std::string>& Evaluator::run_env() {
  load_env();
  return run_env_;
}

std::string Evaluator::stage_key(const Plan& p, Stage s) {
  KeyHasher h;
  h.add(tree_key_);
  h.add(stage_makefile(s));
  for (auto& f : p.makefiles) {
    if (ends_with(f, ".cmd") || f == eval_mk_) continue;  // kbuild's own records, and ours
    h.add_file(tree_.objtree, f);
  }
  if (s != Stage::Build) h.add_file(tree_.objtree, env_value("MODORDER"));
  return h.hex();
}

Plan Evaluator::plan(Stage s) {
  load_env();
  std::string cache = cache_dir_ + "/" + stage_makefile(s) + ".rec";
  std::string text;
  if (read_whole_file(cache, text)) {
    size_t nl = text.find('\n');
    if (nl != std::string::npos && text.compare(0, 4, "key ") == 0) {
      Plan p = parse_plan(std::string_view(text).substr(nl + 1));
      if (!p.makefiles.empty() && stage_key(p, s) == text.substr(4, nl - 4)) return p;
    }
  }
  std::string srctree = env_value("srctree");
  std::vector<std::string> argv = {"make", "-n", "-B"};
  switch (s) {
    case Stage::Build:
      argv.insert(argv.end(), {"-f", srctree + "/scripts/Makefile.build", "obj=" + module_dir_, "need-builtin=1",
                               "need-modorder=1"});
      break;
    case Stage::Modpost: argv.insert(argv.end(), {"-f", srctree + "/scripts/Makefile.modpost"}); break;
    case Stage::Modfinal: argv.insert(argv.end(), {"-f", srctree + "/scripts/Makefile.modfinal"}); break;
    case Stage::Modinst: argv.insert(argv.end(), {"-f", srctree + "/scripts/Makefile.modinst"}); break;
  }
  std::vector<std::string> env;
  for (auto& e : make_env_)
    if (e.rfind("MAKEFILES=", 0) != 0 && e.rfind("MODFORGE_ENV_OUT=", 0) != 0) env.push_back(e);
  env.push_back("MAKEFILES=" + eval_mk_);
  auto r = run_program(argv, tree_.objtree, &env, true);
  if (r.status != 0) throw Error("make failed evaluating " + module_dir_ + " (" + stage_makefile(s) + ")", 2);
  std::string records = record_lines(r.out);
  Plan p = parse_plan(records);
  write_file_atomic(cache, "key " + stage_key(p, s) + "\n" + records);
  return p;
}

}  // namespace modforge::kbuild
