#include "kbuild/mod_pch.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "core/spawn.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

// A preprocessor conditional that tests a per-module macro: the PCH, made without them,
// would then hold the other branch.
bool tests_module_macro(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos || line[i] != '#') continue;
    i = line.find_first_not_of(" \t", i + 1);
    if (i == std::string_view::npos) continue;
    std::string_view d = line.substr(i);
    if (d.substr(0, 2) != "if" && d.substr(0, 4) != "elif") continue;
    if (d.find("KBUILD_BASENAME") != std::string_view::npos || d.find("KBUILD_MODNAME") != std::string_view::npos)
      return true;
  }
  return false;
}

std::string depfile_text(const std::string& target, const std::vector<std::string>& deps) {
  std::string out = target;
  for (auto& d : deps) out.append(" \\\n ").append(d);
  out += '\n';
  return out;
}

int64_t mtime_ns(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::atomic<unsigned> g_tmp_counter{0};  // unique temporary directory names within the process

}  // namespace

ModPch::ModPch(std::string cache_root, std::string objtree, const std::vector<std::string>& env, size_t make_from,
               size_t pending)
    : root_(std::move(cache_root)), objtree_(std::move(objtree)), env_(env), make_from_(make_from), pending_(pending) {}

bool ModPch::fresh(const std::string& dir) {
  std::string list;
  if (!read_whole_file(dir + "/deps", list)) return false;
  int64_t made = mtime_ns(dir + "/modpch.h.gch");
  if (made < 0) return false;
  std::vector<std::string> deps;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t eol = list.find('\n', pos);
    if (eol == std::string::npos) eol = list.size();
    if (eol > pos) deps.push_back(list.substr(pos, eol - pos));
    pos = eol + 1;
  }
  // make's rule for the PCH as a target: every header it read is older.
  for (auto& d : deps) {
    int64_t m = mtime_ns(abs(d));
    if (m < 0 || m > made) return false;
  }
  pch_deps_ = std::move(deps);
  return !pch_deps_.empty();
}

ModPch::State ModPch::state_for(const ModCompile& mc, std::string& dir) {
  std::lock_guard lock(m_);
  if (state_ == State::Unknown) {
    key_ = mc.flags + mc.includes;
    std::string id = objtree_ + '\0' + mc.flags + '\0' + mc.includes;
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH3_64bits(id.data(), id.size())));
    dir_ = root_ + "/kbuild/pch/" + hex;
    if (fresh(dir_)) state_ = State::Ready;
    else if (pending_ >= make_from_) return state_ = State::Creating, dir = dir_, State::Unknown;  // this thread makes it
    else state_ = State::None;
  }
  dir = dir_;
  return key_ == mc.flags + mc.includes ? state_ : State::None;
}

std::optional<bool> ModPch::compile(const Target& t, const Step& s, const Shell& shell) {
  auto mc = parse_mod_compile(t, s);
  if (!mc) return std::nullopt;
  std::string dir;
  State st = state_for(*mc, dir);
  if (st == State::Unknown) {  // the creator: its own module compiles plainly, then checks the PCH
    if (!shell(s.command)) {
      std::lock_guard lock(m_);
      state_ = State::None;
      return false;
    }
    bool ok = false;
    try {
      ok = create(*mc, s);
    } catch (const Error&) {
      ok = false;  // the cache unwritable: compile plainly
    }
    std::lock_guard lock(m_);
    state_ = ok ? State::Ready : State::None;
    return true;
  }
  if (st != State::Ready) return std::nullopt;
  return compile_with(*mc, dir, s, mc->object, s.depfile);
}

// Compiles `mc`'s module with the PCH in `dir` into `object`, leaving the plain compile's
// dependency list in `depfile`.  nullopt: the PCH was not used or GCC said something; the
// caller compiles plainly (and so prints what make's compile prints).
std::optional<bool> ModPch::compile_with(const ModCompile& mc, const std::string& dir, const Step&,
                                         const std::string& object, const std::string& depfile) {
  std::string defs = abs(depfile) + ".defs.h";
  write_file_atomic(defs, mc.defines);
  std::string cmd = mc.pch_cmd;
  replace_all(cmd, "@PCH@", dir + "/modpch.h");
  replace_all(cmd, "@DEFS@", defs);
  replace_all(cmd, "@DEP@", depfile);
  replace_all(cmd, "@OBJ@", object);
  auto r = run_program({"/bin/sh", "-c", cmd}, objtree_, &env_, true, true);
  unlink(defs.c_str());
  std::string text;
  bool read = r.status == 0 && r.out.empty() && r.err.empty() && read_whole_file(abs(depfile), text);
  auto words = depfile_words(text);
  // words: "<target>:", the .mod.c, the defines file, then what the compile read outside the PCH.
  bool used = read && words.size() >= 3 && words[1] == mc.source && words[2] == defs;
  for (size_t i = 3; used && i < words.size(); ++i) used = words[i] != dir + "/modpch.h";
  if (!used) {
    // GCC read the header's text: the PCH no longer fits this compiler (an upgrade behind
    // the same flags).  Forgetting its dependency list makes the next build make it again.
    if (read && r.err.empty() && dir == dir_) unlink((dir + "/deps").c_str());
    unlink(abs(object).c_str());
    unlink(abs(depfile).c_str());
    return std::nullopt;
  }
  std::vector<std::string> rest(words.begin() + 3, words.end());
  write_file_atomic(abs(depfile), depfile_text(words[0], plain_deps(pch_deps_, rest, mc.source)));
  return true;
}

// Makes the PCH for `mc` in a temporary directory, checks it on `s`'s module (compiled
// plainly just before: its object and dependency file are in place), and renames it into
// the cache.  False: no PCH for these flags.
bool ModPch::create(const ModCompile& mc, const Step& s) {
  std::string tmp = dir_ + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(g_tmp_counter++);
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) return false;
  struct Cleanup {
    std::string p;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(p, e);
    }
  } cleanup{tmp};
  std::string header;
  for (size_t p = 0; (p = mc.includes.find(" -include ", p)) != std::string::npos;) {
    p += 10;
    size_t e = mc.includes.find(' ', p);
    header += "#include \"" + mc.includes.substr(p, e == std::string::npos ? std::string::npos : e - p) + "\"\n";
  }
  header += "#include <linux/module.h>\n";
  write_file_atomic(tmp + "/modpch.h", header);
  std::string make = mc.flags + " -MMD -MF " + tmp + "/pch.d -x c-header -c -o " + tmp + "/modpch.h.gch " + tmp +
                     "/modpch.h";
  auto r = run_program({"/bin/sh", "-c", make}, objtree_, &env_, true, true);
  std::string text;
  if (r.status != 0 || !r.err.empty() || !read_whole_file(tmp + "/pch.d", text)) return false;
  auto words = depfile_words(text);
  if (words.size() < 3 || words[1] != tmp + "/modpch.h") return false;
  std::vector<std::string> deps(words.begin() + 2, words.end());
  for (auto& d : deps) {
    std::string h;
    if (!read_whole_file(abs(d), h) || tests_module_macro(h)) return false;
  }
  // The .mod.c must start with the header the PCH ends with.
  std::string src;
  if (!read_whole_file(abs(mc.source), src) || src.rfind("#include <linux/module.h>\n", 0) != 0) return false;
  // The check: this module through the PCH gives the plain compile's bytes and dependencies.
  std::string plain_obj, plain_dep;
  if (!read_whole_file(abs(mc.object), plain_obj) || !read_whole_file(abs(s.depfile), plain_dep)) return false;
  pch_deps_ = deps;
  std::string check_obj = tmp + "/check.o", check_dep = tmp + "/check.d";
  if (!compile_with(mc, tmp, s, check_obj, check_dep)) return false;
  std::string obj2, dep2;
  if (!read_whole_file(check_obj, obj2) || obj2 != plain_obj || !read_whole_file(check_dep, dep2)) return false;
  auto w1 = depfile_words(plain_dep), w2 = depfile_words(dep2);
  if (w1.size() != w2.size() || !std::equal(w1.begin() + 1, w1.end(), w2.begin() + 1)) return false;
  std::string list;
  for (auto& d : deps) list += d + "\n";
  write_file_atomic(tmp + "/deps", list);
  unlink(check_obj.c_str());
  unlink(check_dep.c_str());
  fs::remove_all(dir_, ec);  // a stale one
  if (rename(tmp.c_str(), dir_.c_str()) != 0) return false;
  cleanup.p.clear();
  return true;
}

}  // namespace modforge::kbuild
