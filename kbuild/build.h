// Runs a stage's plan as make would: each target whose command, prerequisites or recorded
// dependencies changed is rebuilt (make's if_changed), in parallel where the plan allows,
// with kbuild's progress lines; genksyms and modpost run in-process.
#pragma once
#include <functional>
#include <semaphore>
#include <string>
#include <vector>

#include "kbuild/make_eval.h"
#include "kbuild/plan.h"

namespace modforge::kbuild {

struct BuildOptions {
  int jobs = 1;
  bool verbose = false;  // print every command as V=1 does
  std::string launcher;  // compiles go through it (launcher.h); empty: none
  std::string pch = "auto";  // the .mod.c compiles' precompiled header (mod_pch.h): auto, always, never
};

struct BuildStats {
  int ran = 0;  // targets rebuilt
};

class Output;  // serialises progress lines between threads

// Bounds the commands running at once over every tree built together: -j's count, or GNU
// make's jobserver (jobserver.h).  Each acquire() is paired with a release() (SlotGuard).
class JobSlots {
public:
  virtual ~JobSlots() = default;
  virtual void acquire() = 0;
  virtual void release() noexcept = 0;
};

// -j N as a semaphore the caller holds.
class SemaphoreSlots final : public JobSlots {
public:
  explicit SemaphoreSlots(std::counting_semaphore<>& s) : s_(s) {}
  void acquire() override { s_.acquire(); }
  void release() noexcept override { s_.release(); }

private:
  std::counting_semaphore<>& s_;
};

// One slot for a scope: given back however the scope ends.
class SlotGuard {
public:
  explicit SlotGuard(JobSlots& s) : s_(s) { s_.acquire(); }
  ~SlotGuard() { s_.release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

private:
  JobSlots& s_;
};

// Runs the stages Build, Modpost, Modfinal in order.  Returns the exit code (0, or 2 as
// make on a failed command); the failing tool's own messages are already on stderr.
// `slots` bounds the commands running at once over every tree built together.
int build_module(Evaluator& ev, const BuildOptions& opts, JobSlots& slots, BuildStats& stats);

// One stage of build_module.
int build_stage(Evaluator& ev, Stage stage, const BuildOptions& opts, JobSlots& slots, BuildStats& stats);

// One target of `plan` (a stage's), run exactly as build_stage runs it: its steps when it is
// out of date.  For callers that order the targets themselves (`modforge step`, which the
// edges of `modforge ninja` run).
int build_target(Evaluator& ev, const Target& target, const BuildOptions& opts, JobSlots& slots,
                 BuildStats& stats);

// The same with a plain semaphore (ninja.cc's `modforge step`).
inline int build_stage(Evaluator& ev, Stage stage, const BuildOptions& opts, std::counting_semaphore<>& sem,
                       BuildStats& stats) {
  SemaphoreSlots slots(sem);
  return build_stage(ev, stage, opts, slots, stats);
}
inline int build_target(Evaluator& ev, const Target& target, const BuildOptions& opts,
                        std::counting_semaphore<>& sem, BuildStats& stats) {
  SemaphoreSlots slots(sem);
  return build_target(ev, target, opts, slots, stats);
}

}  // namespace modforge::kbuild
