#include "kbuild/build.h"

#include <atomic>
#include <fcntl.h>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

#include "core/atomic_file.h"
#include "core/elf.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "kbuild/cmd_file.h"
#include "kbuild/launcher.h"
#include "kbuild/mod_pch.h"
#include "kbuild/rules.h"
#include "core/spawn.h"
#include "kbuild/steps.h"

namespace modforge::kbuild {

namespace {

// Each message goes out in one write(), which pipes and terminals keep whole (up to
// PIPE_BUF), so lines from parallel commands never interleave mid-line.
void print_line(std::string_view s) {
  std::string line(s);
  line += '\n';
  write_all(1, line);
}


// mtimes in nanoseconds, -1 when missing, by the path as make names it (relative to the
// objtree or absolute); shared by the threads and stages of one tree's build.
class Mtimes {
public:
  explicit Mtimes(std::string objtree) : objtree_(std::move(objtree)) {}
  int64_t get(std::string_view path) {
    {
      std::lock_guard lock(m_);
      if (auto it = map_.find(path); it != map_.end()) return it->second;
    }
    std::string full;
    if (!path.empty() && path[0] != '/') {
      full.reserve(objtree_.size() + 1 + path.size());
      full.append(objtree_).append("/");
    }
    full.append(path);
    struct stat st;
    int64_t t = stat(full.c_str(), &st) == 0 ? int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec : -1;
    std::lock_guard lock(m_);
    map_.emplace(std::string(path), t);
    return t;
  }
  void forget(std::string_view path) {
    std::lock_guard lock(m_);
    if (auto it = map_.find(path); it != map_.end()) map_.erase(it);
  }

private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::string objtree_;
  std::mutex m_;
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> map_;
};

class StageRunner {
public:
  StageRunner(Evaluator& ev, const BuildOptions& opts, JobSlots& slots, BuildStats& stats,
              Mtimes& mtimes)
      : ev_(ev), opts_(opts), slots_(slots), stats_(stats), rules_(rules_for(ev.tree().kernel)), mtimes_(mtimes) {}

  int run(const Plan& plan);
  bool run_target(const Target& t);  // false on failure

private:
  std::string abs(const std::string& p) const {
    return p.empty() || p[0] == '/' ? p : ev_.tree().objtree + "/" + p;
  }
  bool up_to_date(const Target& t);
  bool run_step(const Target& t, const Step& s);
  void announce(const Target& t, const Step& s);
  bool shell(const Target& t, const std::string& cmd, const std::vector<std::string>* env = nullptr);

  Evaluator& ev_;
  const BuildOptions& opts_;
  JobSlots& slots_;
  BuildStats& stats_;
  const Rules& rules_;
  Mtimes& mtimes_;
  ModPch* pch_ = nullptr;  // for the .mod.o compiles of the stage, when there are some
  std::mutex stats_mutex_;
};

bool StageRunner::up_to_date(const Target& t) {
  if (!t.has_prereqs) return false;
  const Step* main = nullptr;
  for (auto& s : t.steps)
    if (s.kind == Step::Kind::Fixdep || s.kind == Step::Kind::Savecmd) {
      main = &s;
      break;
    }
  if (!main) return false;
  int64_t self = mtimes_.get(t.path);
  if (self < 0) return false;
  for (auto& d : t.prereqs) {
    int64_t m = mtimes_.get(d);
    if (m < 0 || m > self) return false;
  }
  std::string text;
  if (!read_whole_file(abs(dot_cmd_path(t.path)), text)) return false;
  // make's rule: rebuild when a prerequisite is missing or newer, or the command changed.
  bool stale = false;
  std::string_view saved;
  bool found = scan_cmd_file(
      text, t.path, rules_.saved_prefix, saved,
      [&](std::string_view d) {
        if (stale) return;
        int64_t m = mtimes_.get(d);
        stale = m < 0 || m > self;
      },
      [&](std::string_view w) {
        if (stale) return;
        int64_t m = mtimes_.get(w);  // $(wildcard X): a dependency only when X exists
        stale = m > self;
      });
  if (stale || !found) return false;
  return same_command(saved, make_cmd(main->command));
}

void StageRunner::announce(const Target& t, const Step& s) {
  if (opts_.verbose) {
    std::string text;
    if (rules_.verbose_comment_line)
      text = "# " + (s.quiet.empty() ? "cmd_" + s.name + " " + t.path : s.quiet) + "\n";
    text += "  " + s.command;
    print_line(text);
  } else if (!s.quiet.empty()) {
    print_line("  " + s.quiet);
  }
}

bool StageRunner::shell(const Target& t, const std::string& cmd, const std::vector<std::string>* env) {
  auto r = run_shell("set -e; " + cmd, ev_.tree().objtree, env ? *env : ev_.run_env(), false);
  if (r.status != 0) {
    unlink(abs(t.path).c_str());  // kbuild's .DELETE_ON_ERROR
    write_all(2, "modforge: *** [" + t.path + "] Error " + std::to_string(r.status) + "\n");
    return false;
  }
  return true;
}

bool StageRunner::run_step(const Target& t, const Step& s) {
  std::string dot_cmd = abs(dot_cmd_path(t.path));
  switch (s.kind) {
    case Step::Kind::Fixdep: {
      announce(t, s);
      // Through the launcher in the form it can cache; the .cmd below keeps kbuild's command.
      auto launched = opts_.launcher.empty() ? std::nullopt : with_launcher(s.command, opts_.launcher);
      std::optional<bool> through_pch;
      if (launched) {
        if (!shell(t, *launched)) return false;
      } else if (pch_ && (through_pch = pch_->compile(t, s, [&](const std::string& c) { return shell(t, c); }))) {
        if (!*through_pch) return false;
      } else if (!shell(t, s.command)) {
        return false;
      }
      auto r = run_program({"scripts/basic/fixdep", s.depfile, t.path, make_cmd(s.command)}, ev_.tree().objtree,
                           &ev_.run_env(), true);
      if (r.status != 0) return shell(t, "false");
      write_file_atomic(dot_cmd, r.out);
      unlink(abs(s.depfile).c_str());
      return true;
    }
    case Step::Kind::Savecmd: {
      announce(t, s);
      if (!step_in_process(ev_, t, s)) {
        if (!shell(t, s.command)) return false;
      } else if (!run_in_process(ev_, t, s)) {
        unlink(abs(t.path).c_str());
        return false;
      }
      write_file_atomic(dot_cmd, std::string(rules_.saved_prefix) + t.path + " := " + make_cmd(s.command) + "\n");
      return true;
    }
    case Step::Kind::Cmd:
      // 6.12's Makefile.modinst runs the tree's depmod.sh; `modforge install` runs our
      // depmod after the stage instead, on both versions.
      if (s.name == "depmod") return true;
      announce(t, s);
      if (step_in_process(ev_, t, s)) {
        if (run_in_process(ev_, t, s)) return true;
        unlink(abs(t.path).c_str());  // kbuild's .DELETE_ON_ERROR
        write_all(2, "modforge: *** [" + t.path + "] Error 1\n");
        return false;
      }
      return shell(t, s.command);
    case Step::Kind::Symver:
      return run_symver(ev_, t, s, rules_, opts_.verbose);
  }
  return false;
}

bool StageRunner::run_target(const Target& t) {
  if (up_to_date(t)) return true;
  bool ok = true;
  try {
    SlotGuard slot(slots_);  // a jobserver token goes back however the steps end
    for (auto& s : t.steps)
      if (!(ok = run_step(t, s))) break;
  } catch (const std::exception& e) {  // Error, or the library's (a thread must not end in one)
    write_all(2, std::string("modforge: ") + e.what() + "\n");
    ok = false;
  }
  mtimes_.forget(t.path);
  std::lock_guard lock(stats_mutex_);
  ++stats_.ran;
  return ok;
}

int StageRunner::run(const Plan& plan) {
  size_t n = plan.targets.size();
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < n; ++i) index[plan.targets[i].path] = i;
  // First, in make's order (prerequisites first), one thread: what is up to date.  A no-op
  // build ends here, without a thread or a lock per lookup.
  std::vector<char> dirty(n, 0);
  std::vector<std::vector<size_t>> prereq_targets(n);
  size_t n_dirty = 0;
  for (size_t i = 0; i < n; ++i) {
    for (auto& p : plan.targets[i].prereqs)
      if (auto it = index.find(p); it != index.end() && it->second != i) prereq_targets[i].push_back(it->second);
    bool stale = false;
    for (size_t p : prereq_targets[i]) stale = stale || dirty[p];
    dirty[i] = stale || !up_to_date(plan.targets[i]);
    n_dirty += dirty[i];
  }
  if (n_dirty == 0) return 0;
  size_t mod_objects = 0;
  for (size_t i = 0; i < n; ++i)
    if (dirty[i] && plan.targets[i].path.ends_with(".mod.o")) ++mod_objects;
  std::optional<ModPch> pch;
  if (mod_objects && opts_.launcher.empty() && opts_.pch != "never") {
    pch.emplace(ev_.cache_root(), ev_.tree().objtree, ev_.run_env(), opts_.pch == "always" ? 1 : 4, mod_objects);
    pch_ = &*pch;
  }
  // The rest in parallel, each target when the ones it needs are done.
  std::vector<std::vector<size_t>> dependents(n);
  std::vector<int> waiting(n, 0);
  for (size_t i = 0; i < n; ++i)
    if (dirty[i])
      for (size_t p : prereq_targets[i])
        if (dirty[p]) {
          dependents[p].push_back(i);
          ++waiting[i];
        }
  std::mutex m;
  std::condition_variable cv;
  std::vector<size_t> ready;
  for (size_t i = n; i-- > 0;)
    if (dirty[i] && waiting[i] == 0) ready.push_back(i);  // back() is the first in make's order
  size_t running = 0;
  bool failed = false;
  auto worker = [&] {
    std::unique_lock lock(m);
    for (;;) {
      cv.wait(lock, [&] { return !ready.empty() || running == 0 || failed; });
      if (failed || ready.empty()) return;
      size_t i = ready.back();
      ready.pop_back();
      ++running;
      lock.unlock();
      bool ok = run_target(plan.targets[i]);
      lock.lock();
      --running;
      if (!ok) failed = true;
      for (size_t d : dependents[i])
        if (--waiting[d] == 0) ready.insert(ready.begin(), d);
      cv.notify_all();
    }
  };
  int threads = std::max(1, std::min<int>(opts_.jobs, int(n_dirty)));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  pch_ = nullptr;
  return failed ? 2 : 0;
}

}  // namespace

namespace {

int run_stage_with(Evaluator& ev, Stage stage, const BuildOptions& opts, JobSlots& slots,
                   BuildStats& stats, Mtimes& mtimes) {
  Plan plan = ev.plan(stage);
  StageRunner runner(ev, opts, slots, stats, mtimes);
  return runner.run(plan);
}

}  // namespace

int build_module(Evaluator& ev, const BuildOptions& opts, JobSlots& slots, BuildStats& stats) {
  Mtimes mtimes(ev.tree().objtree);
  for (Stage s : {Stage::Build, Stage::Modpost, Stage::Modfinal})
    if (int rc = run_stage_with(ev, s, opts, slots, stats, mtimes)) return rc;
  return 0;
}

int build_stage(Evaluator& ev, Stage stage, const BuildOptions& opts, JobSlots& slots,
                BuildStats& stats) {
  Mtimes mtimes(ev.tree().objtree);
  return run_stage_with(ev, stage, opts, slots, stats, mtimes);
}

int build_target(Evaluator& ev, const Target& target, const BuildOptions& opts, JobSlots& slots,
                 BuildStats& stats) {
  Mtimes mtimes(ev.tree().objtree);
  StageRunner runner(ev, opts, slots, stats, mtimes);
  return runner.run_target(target) ? 0 : 2;
}

}  // namespace modforge::kbuild
