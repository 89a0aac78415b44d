#include "kbuild/build.h"

#include <atomic>
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
#include "kbuild/rules.h"
#include "kbuild/spawn.h"
#include "kbuild/steps.h"

namespace modforge::kbuild {

namespace {

std::mutex g_out_mutex;  // stdout lines from several threads stay whole

void print_line(std::string_view s) {
  std::lock_guard lock(g_out_mutex);
  std::string line(s);
  line += '\n';
  write_all(1, line);
}

bool read_text(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// mtimes in nanoseconds, -1 when missing; shared by the threads of one stage.
class Mtimes {
public:
  int64_t get(const std::string& path) {
    {
      std::lock_guard lock(m_);
      if (auto it = map_.find(path); it != map_.end()) return it->second;
    }
    struct stat st;
    int64_t t = stat(path.c_str(), &st) == 0 ? int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec : -1;
    std::lock_guard lock(m_);
    map_[path] = t;
    return t;
  }
  void forget(const std::string& path) {
    std::lock_guard lock(m_);
    map_.erase(path);
  }

private:
  std::mutex m_;
  std::unordered_map<std::string, int64_t> map_;
};

class StageRunner {
public:
  StageRunner(Evaluator& ev, const BuildOptions& opts, std::counting_semaphore<>& slots, BuildStats& stats)
      : ev_(ev), opts_(opts), slots_(slots), stats_(stats), rules_(rules_for(ev.tree().kernel)) {}

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
  std::counting_semaphore<>& slots_;
  BuildStats& stats_;
  const Rules& rules_;
  Mtimes mtimes_;
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
  std::string path = abs(t.path);
  int64_t self = mtimes_.get(path);
  if (self < 0) return false;
  std::string text;
  if (!read_text(abs(dot_cmd_path(t.path)), text)) return false;
  auto cmd = parse_cmd_file(text, t.path, rules_.saved_prefix,
                            [&](const std::string& p) { return mtimes_.get(abs(p)) >= 0; });
  if (!cmd.found || !same_command(cmd.saved, main->command)) return false;
  for (const std::vector<std::string>* list : std::initializer_list<const std::vector<std::string>*>{&t.prereqs, &cmd.deps})
    for (auto& d : *list) {
      int64_t m = mtimes_.get(abs(d));
      if (m < 0 || m > self) return false;
    }
  return true;
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
    std::string msg = "modforge: *** [" + t.path + "] Error " + std::to_string(r.status) + "\n";
    std::lock_guard lock(g_out_mutex);
    write_all(2, msg);
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
      if (launched) {
        auto env = launcher_env(ev_.run_env());
        if (!shell(t, *launched, &env)) return false;
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
      announce(t, s);
      return shell(t, s.command);
    case Step::Kind::Symver:
      return run_symver(ev_, t, s, rules_, opts_.verbose);
  }
  return false;
}

bool StageRunner::run_target(const Target& t) {
  if (up_to_date(t)) return true;
  slots_.acquire();
  bool ok = true;
  try {
    for (auto& s : t.steps)
      if (!(ok = run_step(t, s))) break;
  } catch (const Error& e) {
    std::lock_guard lock(g_out_mutex);
    write_all(2, std::string("modforge: ") + e.what() + "\n");
    ok = false;
  }
  slots_.release();
  mtimes_.forget(abs(t.path));
  std::lock_guard lock(stats_mutex_);
  ++stats_.ran;
  return ok;
}

int StageRunner::run(const Plan& plan) {
  size_t n = plan.targets.size();
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) index[plan.targets[i].path] = i;
  std::vector<std::vector<size_t>> dependents(n);
  std::vector<int> waiting(n, 0);
  for (size_t i = 0; i < n; ++i)
    for (auto& p : plan.targets[i].prereqs)
      if (auto it = index.find(p); it != index.end() && it->second != i) {
        dependents[it->second].push_back(i);
        ++waiting[i];
      }
  std::mutex m;
  std::condition_variable cv;
  std::vector<size_t> ready;
  for (size_t i = n; i-- > 0;)
    if (waiting[i] == 0) ready.push_back(i);  // back() is the first in make's order
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
  int threads = std::max(1, std::min<int>(opts_.jobs, int(n)));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  return failed ? 2 : 0;
}

}  // namespace

int build_module(Evaluator& ev, const BuildOptions& opts, std::counting_semaphore<>& slots, BuildStats& stats) {
  for (Stage s : {Stage::Build, Stage::Modpost, Stage::Modfinal})
    if (int rc = build_stage(ev, s, opts, slots, stats)) return rc;
  return 0;
}

int build_stage(Evaluator& ev, Stage stage, const BuildOptions& opts, std::counting_semaphore<>& slots,
                BuildStats& stats) {
  Plan plan = ev.plan(stage);
  StageRunner runner(ev, opts, slots, stats);
  return runner.run(plan);
}

int build_target(Evaluator& ev, const Target& target, const BuildOptions& opts, std::counting_semaphore<>& slots,
                 BuildStats& stats) {
  StageRunner runner(ev, opts, slots, stats);
  return runner.run_target(target) ? 0 : 2;
}

}  // namespace modforge::kbuild
