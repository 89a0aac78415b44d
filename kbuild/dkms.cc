#include "kbuild/dkms.h"

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <semaphore>
#include <sstream>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/cli.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "kbuild/build.h"
#include "kbuild/dkms_conf.h"
#include "kbuild/dkms_load.h"
#include "kbuild/options.h"
#include "kbuild/make_eval.h"
#include "core/spawn.h"
#include "kbuild/tree.h"

extern char** environ;

namespace modforge::kbuild {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "Usage: modforge dkms build SRC [--kernel DIR ...] [-O BUILD_ROOT] [-j N] [-v] [--modules DIR ...]\n"
    "Builds the DKMS package in SRC (/usr/src/<package>-<version>, with its dkms.conf) as\n"
    "`dkms build` does, for every --kernel tree at once, each in its own build directory\n"
    "(BUILD_ROOT/<release>/<package>/<version>/build: BUILD_ROOT/<release> is that kernel's\n"
    "dkms tree), with the variables dkms sets for that kernel.  A MAKE line of the usual form\n"
    "(make -C ${kernel_source_dir} M=... VAR=... [modules]) is built by modforge itself, which\n"
    "keeps the build directory and rebuilds only what changed; any other line runs through\n"
    "bash as dkms runs it (fresh copy, CLEAN, MAKE), with our genksyms and modpost in its makes.\n"
    "Then, per kernel, every BUILT_MODULE_NAME is looked for, copied (strip -g as dkms) to\n"
    "<release>/<arch>/module/, and loaded with its dependencies, as modprobe would, into our\n"
    "emulated kernel of that release.  One report line per package and module and kernel:\n"
    "  <release>: <package> <version>: built by modforge in T s: <MAKE line>\n"
    "  <release>: <package> <version>: built through bash (<why>) in T s: <MAKE line>\n"
    "  <release>: <package> <version>: build failed (modforge|bash, exit N, T s): <first error>; log <file>\n"
    "  <release>: <package> <version>: excluded: <BUILD_EXCLUSIVE_* rule>\n"
    "  <release>: <module>: built <file>: loads | does not load: <reason>\n"
    "  <release>: <module>: not built\n"
    "Exit: 0 every kernel built every module and each loads; 2 a build failed (or a module was\n"
    "not made) for some kernel; 3 all built, some module would not load; 77 every kernel is\n"
    "excluded by BUILD_EXCLUSIVE_*; 1 a usage or dkms.conf error.\n";

struct Opts {
  std::string src;
  std::vector<std::string> kernels;
  std::vector<std::string> modules_dirs;
  std::string root;
  std::string genksyms, modpost;
  std::string pch = "auto";
  int jobs = 0;
  bool verbose = false;
};

// Per-kernel outcomes, also the child's exit code; the command's is the worst (1 first).
enum Status { kOk = 0, kError = 1, kBuildFailed = 2, kNotLoadable = 3, kExcluded = 77 };
int severity(int s) {
  switch (s) {
    case kError: return 4;
    case kBuildFailed: return 3;
    case kNotLoadable: return 2;
    case kExcluded: return 1;
    case kOk: return 0;
  }
  return 4;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string seconds(std::chrono::steady_clock::time_point t0) {
  char b[32];
  snprintf(b, sizeof b, "%.1f s",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return b;
}

bool same_contents(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::file_size(a, ec) != fs::file_size(b, ec) || ec) return false;
  std::string x, y;
  return read_whole_file(a.string(), x) && read_whole_file(b.string(), y) && x == y;
}

// The build directory as a copy of SRC (cp -a), brought up to date in place: a new file keeps
// the source's mtime, as cp -a; a changed one gets the current time, so that make and the
// driver see it newer than what was built from it; files the build made stay.
void sync_copy(const fs::path& src, const fs::path& dst) {
  fs::create_directories(dst);
  for (auto it = fs::recursive_directory_iterator(src); it != fs::recursive_directory_iterator(); ++it) {
    fs::path rel = fs::relative(it->path(), src), to = dst / rel;
    std::error_code ec;
    if (it->is_symlink()) {
      fs::path target = fs::read_symlink(it->path());
      if (fs::is_symlink(fs::symlink_status(to, ec)) && fs::read_symlink(to, ec) == target) continue;
      fs::remove_all(to, ec);
      fs::create_symlink(target, to);
    } else if (it->is_directory()) {
      fs::create_directories(to);
    } else if (it->is_regular_file()) {
      bool exists = fs::exists(fs::symlink_status(to, ec));
      if (exists && same_contents(it->path(), to)) continue;
      fs::copy_file(it->path(), to, fs::copy_options::overwrite_existing);
      fs::permissions(to, fs::status(it->path()).permissions());
      if (!exists) fs::last_write_time(to, fs::last_write_time(it->path()));
    }
  }
}

void fresh_copy(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  fs::remove_all(dst, ec);
  if (ec) throw Error(dst.string() + ": " + ec.message());
  sync_copy(src, dst);
}

// The first line that says what went wrong: the compiler's "error:", modpost's ERROR/FATAL,
// else make's "*** ... Error", else the last line.
std::string first_error(const std::string& log) {
  std::istringstream in(log);
  std::string line, make_line, last;
  while (std::getline(in, line)) {
    std::string low = line;
    for (auto& c : low) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (low.find("error:") != std::string::npos || low.find("fatal:") != std::string::npos) return line;
    if (make_line.empty() && line.find("***") != std::string::npos) make_line = line;
    if (!line.empty()) last = line;
  }
  return make_line.empty() ? last : make_line;
}

std::string self_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// Our genksyms/modpost: --genksyms/--modpost, else beside modforge in the build tree
// (build/kbuild/modforge -> build/genksyms/genksyms) or in the same directory.
std::string find_tool(const std::string& given, const std::string& name) {
  if (!given.empty()) {
    if (access(given.c_str(), X_OK) != 0) throw Error(given + ": not an executable (--" + name + ")");
    return fs::absolute(given).string();
  }
  std::string d = self_dir();
  for (auto cand : {d + "/../" + name + "/" + name, d + "/" + name})
    if (access(cand.c_str(), X_OK) == 0) return fs::weakly_canonical(cand).string();
  throw Error("our " + name + " is not beside " + d + " (pass --" + name + " PATH): a MAKE line that runs "
              "through bash needs it");
}

std::vector<std::string> base_env() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view s(*e);
    if (s.starts_with("MAKEFLAGS=") || s.starts_with("MAKELEVEL=") || s.starts_with("MFLAGS=") ||
        s.starts_with("PWD=") || s.starts_with("CC="))
      continue;
    env.emplace_back(s);
  }
  return env;
}

// A MAKEFLAGS value that gives every make these command-line variables (a space in a
// value is escaped, a $ doubled: make reads MAKEFLAGS' variables as it writes them).
std::string makeflags_vars(const std::vector<std::string>& vars) {
  std::string out = " --";
  for (auto& v : vars) {
    out += ' ';
    for (char c : v) {
      if (c == ' ' || c == '\\') out += '\\';
      if (c == '$') out += '$';
      out += c;
    }
  }
  return out;
}

struct KernelJob {
  Tree tree;
  std::string source_dir;   // kernel_source_dir as dkms sets it
  std::string modules_dir;  // shipped modules, "" for the loader's default
};

struct KernelResult {
  int status = kOk;
  std::string report;
};

// Everything for one kernel; runs in a child process of its own (see cmd_dkms_build).
KernelResult build_for_kernel(const Opts& o, const KernelJob& k) {
  KernelResult res;
  const std::string& rel = k.tree.release;
  auto say = [&](const std::string& line) { res.report += rel + ": " + line + "\n"; };
  utsname u{};
  uname(&u);
  DkmsVars vars;
  vars.kernelver = rel;
  vars.arch = u.machine;
  vars.kernel_source_dir = k.source_dir;
  vars.dkms_tree = o.root + "/" + rel;
  vars.source_tree = fs::path(o.src).parent_path().string();
  DkmsConf conf = read_dkms_conf(o.src + "/dkms.conf", vars);
  std::string pkg = conf.package_name + " " + conf.package_version;
  std::string pkg_dir = vars.dkms_tree + "/" + conf.package_name + "/" + conf.package_version;
  std::string build_dir = pkg_dir + "/build";
  std::string base_dir = pkg_dir + "/" + rel + "/" + vars.arch;
  if (!conf.exclude.empty()) {
    say(pkg + ": excluded: " + conf.exclude);
    res.status = kExcluded;
    return res;
  }
  std::string line = dkms_make_line(conf.make_command, o.jobs, rel);
  DirectMakeResult direct = direct_make(line, k.tree.objtree);
  std::error_code ec;
  fs::create_directories(base_dir + "/log");
  fs::remove_all(base_dir + "/module", ec);
  fs::create_directories(base_dir + "/module");
  std::string log = base_dir + "/log/make.log";
  int logfd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (logfd < 0) throw Error(errno_message(log, errno));
  write_all(logfd, "modforge dkms make.log for " + conf.package_name + "-" + conf.package_version + " for kernel " +
                       rel + " (" + vars.arch + ")\n");
  auto t0 = std::chrono::steady_clock::now();
  int rc = 0;
  std::string how;
  if (direct.ok) {
    how = "built by modforge";
    sync_copy(o.src, build_dir);
    write_all(logfd, line + "\n");
    // dkms runs MAKE from the build directory with CC exported: kbuild's sub-makes see that
    // PWD (gost-crypto's ccflags-y := -I $(PWD)).  This process is this kernel's alone.
    if (chdir(build_dir.c_str()) != 0) throw Error(errno_message(build_dir, errno));
    setenv("PWD", build_dir.c_str(), 1);
    if (conf.cc.empty()) unsetenv("CC");
    else setenv("CC", conf.cc.c_str(), 1);
    for (const char* v : {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}) unsetenv(v);
    fflush(nullptr);
    int save1 = dup(1), save2 = dup(2);
    dup2(logfd, 1);
    dup2(logfd, 2);
    try {
      Evaluator ev(k.tree, direct.make.module_dir, direct.make.vars, default_cache_root());
      std::counting_semaphore<> sem(o.jobs);
      SemaphoreSlots slots(sem);
      BuildOptions bo{o.jobs, o.verbose, {}, o.pch};
      BuildStats stats;
      rc = build_module(ev, bo, slots, stats);
    } catch (const Error& e) {
      write_all(2, std::string("modforge: ") + e.what() + "\n");
      rc = e.exit_code() ? e.exit_code() : 2;
    }
    fflush(nullptr);
    dup2(save1, 1);
    dup2(save2, 2);
    close(save1);
    close(save2);
  } else {
    how = "built through bash (not make -C <tree> M=...: " + direct.why + ")";
    fresh_copy(o.src, build_dir);
    std::string gk = find_tool(o.genksyms, "genksyms"), mp = find_tool(o.modpost, "modpost");
    std::string kver = k.tree.kernel == Kernel::v6_1 ? "6.1" : "6.12";
    std::vector<std::string> env = base_env();
    env.push_back("PWD=" + build_dir);
    if (!conf.cc.empty()) env.push_back("CC=" + conf.cc);
    // kbuild's own genksyms and MODPOST lines with our tools in them
    env.push_back("MAKEFLAGS=" + makeflags_vars({"MODPOST=" + mp,
                                                 "genksyms=" + gk + " --kernel=" + kver +
                                                     " $(if $(1), -T $(2)) $(if $(KBUILD_PRESERVE), -p)"
                                                     " -r $(or $(wildcard $(2:.symtypes=.symref)), /dev/null)"}));
    run_program({"bash", "-c", conf.clean}, build_dir, &env, true, true);  // dkms: "Cleaning build area"
    write_all(logfd, line + "\n");
    close(logfd);
    logfd = -1;
    rc = run_program({"bash", "-c", "{ " + line + "; } >> " + quote(log) + " 2>&1"}, build_dir, &env, false).status;
  }
  if (logfd >= 0) close(logfd);
  std::string took = seconds(t0);
  std::string text;
  read_whole_file(log, text);
  if (o.verbose) res.report += text;

  std::vector<LoadModule> built;
  std::vector<std::string> not_made;
  for (auto& m : conf.modules) {
    std::string ko = build_dir + "/" + m.built_location + m.built_name + ".ko";
    if (rc == 0 && access(ko.c_str(), R_OK) == 0) {
      std::string dest = base_dir + "/module/" + m.dest_name + ".ko";
      fs::copy_file(ko, dest, fs::copy_options::overwrite_existing);
      if (m.strip) {
        auto s = run_program({"strip", "-g", dest}, "", nullptr, false, true);
        if (s.status != 0) throw Error(s.err + "strip -g " + dest + " failed");
      }
      built.push_back({m.dest_name, dest});
    } else if (rc == 0) {
      not_made.push_back(m.built_location + m.built_name + ".ko");
    }
  }
  if (rc != 0) {
    say(pkg + ": build failed (" + (direct.ok ? "modforge" : "bash") + ", exit " + std::to_string(rc) + ", " + took +
        "): " + first_error(text) + "; log " + log);
    res.status = kBuildFailed;
  } else if (!not_made.empty()) {
    std::string list;
    for (auto& n : not_made) list += (list.empty() ? "" : ", ") + n;
    say(pkg + ": build failed (" + (direct.ok ? "modforge" : "bash") + ", " + took + "): the MAKE line made no " + list +
        " in " + build_dir + "; log " + log);
    res.status = kBuildFailed;
  } else {
    say(pkg + ": " + how + " in " + took + ": " + line);
  }
  if (!built.empty()) {
    LoadRequest lr{k.tree.objtree, rel, k.modules_dir, pkg_dir + "/" + rel + "/load-check", built};
    std::vector<LoadVerdict> verdicts;
    try {
      verdicts = check_loads(lr);
    } catch (const Error& e) {
      for (auto& b : built) verdicts.push_back({b.name, false, std::string("no verdict: ") + e.what(), {}});
    }
    for (size_t i = 0; i < built.size(); ++i) {
      auto& v = verdicts[i];
      std::string after;
      for (auto& d : v.loaded_first) after += (after.empty() ? " (after " : ", ") + d;
      if (!after.empty()) after += ")";
      say(v.name + ": built " + built[i].path + ": " + (v.loads ? "loads" + after : "does not load: " + v.reason));
      if (!v.loads && res.status == kOk) res.status = kNotLoadable;
    }
  }
  for (auto& m : conf.modules) {
    bool was = false;
    for (auto& b : built) was = was || b.name == m.dest_name;
    if (!was) say(m.dest_name + ": not built");
  }
  return res;
}

int cmd_dkms_build(const std::vector<std::string>& args) {
  Opts o;
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help")
      ("kernel,k", po::value(&o.kernels)->composing(),
       "kernel build tree (repeatable; dkms's kernel_source_dir; default: /lib/modules/$(uname -r)/build, "
       "else the newest /usr/src/linux-headers-* tree)")
      ("build-dir,O", po::value(&o.root),
       "the build root: BUILD_ROOT/<release> is each kernel's dkms tree (default: $MODFORGE_KBUILD_CACHE/dkms, "
       "else ~/.cache/modforge/dkms)")
      ("jobs,j", po::value(&o.jobs), "commands to run at once in each kernel's build, as dkms's -j "
       "(default: the number of cores)")
      ("verbose,v", po::bool_switch(&o.verbose), "print every command (V=1) and each kernel's make.log")
      ("modules", po::value(&o.modules_dirs)->composing(),
       "a kernel's shipped modules, lib/modules/<release> (repeatable; matched by the release; default: "
       "$MODFORGE_MODULES when it is that release's, else /lib/modules/<release>): the load check takes "
       "the kernel modules a package needs from there")
      ("genksyms", po::value(&o.genksyms), "our genksyms, for MAKE lines run through bash (default: beside modforge)")
      ("modpost", po::value(&o.modpost), "our modpost, likewise");
  add_pch_option(d, o.pch);
  std::vector<std::string> ops;
  if (!cli::parse_options(args, d, kUsage, ops, std::cout)) return 0;
  check_pch(o.pch);
  if (ops.size() != 1) throw Error(std::string(ops.empty() ? "no" : "more than one") +
                                   " package source directory (modforge dkms build /usr/src/<package>-<version>)");
  std::error_code ec;
  o.src = fs::canonical(ops[0], ec).string();
  if (ec) throw Error(ops[0] + ": " + ec.message());
  if (!fs::exists(o.src + "/dkms.conf")) throw Error(o.src + ": no dkms.conf");
  if (o.jobs <= 0) o.jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  if (o.root.empty()) o.root = default_cache_root() + "/dkms";
  o.root = fs::absolute(o.root).lexically_normal().string();
  if (o.root.size() > 1 && o.root.back() == '/') o.root.pop_back();

  std::vector<KernelJob> jobs;
  auto trees = find_trees(o.kernels);
  for (size_t i = 0; i < trees.size(); ++i) {
    KernelJob j{trees[i], {}, {}};
    if (i < o.kernels.size()) {
      j.source_dir = fs::absolute(o.kernels[i]).lexically_normal().string();
      if (j.source_dir.size() > 1 && j.source_dir.back() == '/') j.source_dir.pop_back();
    } else {
      std::string lm = "/lib/modules/" + trees[i].release + "/build";
      j.source_dir = fs::exists(lm) ? lm : trees[i].objtree;
    }
    for (auto& m : o.modules_dirs)
      if (fs::path(fs::absolute(m)).lexically_normal().filename() == trees[i].release ||
          fs::path(fs::absolute(m)).lexically_normal().parent_path().filename() == trees[i].release)
        j.modules_dir = fs::absolute(m).lexically_normal().string();
    if (!j.modules_dir.empty() && j.modules_dir.back() == '/') j.modules_dir.pop_back();
    // else MODFORGE_MODULES, as the loader's commands take it, when it is this release's
    if (const char* env = std::getenv("MODFORGE_MODULES"); j.modules_dir.empty() && env && *env &&
                                                            fs::path(env).filename() == trees[i].release)
      j.modules_dir = env;
    jobs.push_back(j);
  }
  for (auto& m : o.modules_dirs) {
    bool used = false;
    for (auto& j : jobs) used = used || j.modules_dir == fs::absolute(m).lexically_normal().string() ||
                                j.modules_dir + "/" == fs::absolute(m).lexically_normal().string();
    if (!used) throw Error("--modules " + m + ": names no --kernel's release (lib/modules/<release>)");
  }

  // One child process per kernel, started before any thread: each sets its own working
  // directory, PWD and CC (what dkms's MAKE line sees) and sends its output to its make.log,
  // none of which can differ between threads of one process.  Each builds with -j N, as
  // dkms runs each kernel's make with -j N.
  struct Child {
    pid_t pid;
    int fd;
  };
  std::vector<Child> children;
  fflush(nullptr);
  for (auto& j : jobs) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + strerror(errno));
    pid_t pid = fork();
    if (pid < 0) throw Error(std::string("fork: ") + strerror(errno));
    if (pid == 0) {
      close(p[0]);
      KernelResult r;
      try {
        r = build_for_kernel(o, j);
      } catch (const std::exception& e) {
        r.report += j.tree.release + ": " + e.what() + "\n";
        r.status = kError;
      }
      write_all(p[1], r.report);
      close(p[1]);
      _exit(r.status);
    }
    close(p[1]);
    children.push_back({pid, p[0]});
  }
  int worst = kOk;
  bool all_excluded = true;
  for (auto& c : children) {
    std::string report;
    char buf[65536];
    for (;;) {
      ssize_t n = read(c.fd, buf, sizeof buf);
      if (n > 0) report.append(buf, size_t(n));
      else if (n == 0 || errno != EINTR) break;
    }
    close(c.fd);
    int st = 0;
    while (waitpid(c.pid, &st, 0) < 0 && errno == EINTR) {}
    int s = WIFEXITED(st) ? WEXITSTATUS(st) : kError;
    std::cout << report << std::flush;
    if (s != kExcluded) all_excluded = false;
    if (s != kExcluded && severity(s) > severity(worst)) worst = s;
  }
  if (all_excluded && !children.empty()) return kExcluded;
  return worst;
}

}  // namespace

int cmd_dkms(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 1 : 0;
  }
  if (args[0] != "build") throw Error("dkms: unknown action '" + args[0] + "' (modforge dkms build SRC ...)");
  return cmd_dkms_build(std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace modforge::kbuild
