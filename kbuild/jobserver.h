// GNU make's jobserver, so that `modforge build` run from a make recipe shares make's -j
// instead of adding its own: MAKEFLAGS names the jobserver (make 4.3: `--jobserver-auth=R,W`,
// two inherited pipe descriptors; make 4.4: `--jobserver-auth=fifo:PATH`; before 4.2:
// `--jobserver-fds=R,W`).  A client owns one implicit slot (the job make started it as) and
// reads one token byte from the jobserver per further command it runs at once, writing
// that same byte back when the command ends.
#pragma once
#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "kbuild/build.h"

namespace modforge::kbuild {

// What MAKEFLAGS says about make's parallelism.
struct MakeFlags {
  int jobs = 0;  // -jN; 0: no -j (make runs one job at a time); -1: -j without a limit
  enum class Auth { None, Pipe, Fifo } auth = Auth::None;
  int read_fd = -1, write_fd = -1;  // Pipe
  std::string fifo;                 // Fifo
};

// Parses MAKEFLAGS as make writes it (" -j3 --jobserver-auth=3,4 -- VAR=value"): the flags
// before a " -- ", the last -j and the last jobserver option winning, as make reads them.
MakeFlags parse_makeflags(std::string_view makeflags);

class Jobserver final : public JobSlots {
public:
  static constexpr int kMaxTokens = 256;  // tokens held at once (commands beyond the implicit one)

  // The jobserver `f` names, opened; nullptr with `why_not` set when it names none or its
  // descriptors were not passed on (a recipe without '+' or $(MAKE)) or its fifo is gone.
  static std::unique_ptr<Jobserver> open(const MakeFlags& f, std::string& why_not);
  ~Jobserver() override;  // writes back any token still held
  Jobserver(const Jobserver&) = delete;
  Jobserver& operator=(const Jobserver&) = delete;

  // The implicit slot when free, else a token from make (blocks until one is free: polls the
  // jobserver and our own release of the implicit slot).  Throws Error when make's end of
  // the jobserver is gone.
  void acquire() override;
  // A held token goes back to make first; the implicit slot is freed when none is held.
  void release() noexcept override;

  int held() const;  // tokens held now (for the tests)

private:
  Jobserver(int read_fd, int write_fd);
  void keep(int token);

  int rfd_, wfd_;   // our own descriptors: read non-blocking, both close-on-exec
  int wake_[2];     // a pipe: a byte in it says the implicit slot was freed
  std::atomic<bool> implicit_free_{true};
  std::array<std::atomic<int>, kMaxTokens> held_;  // a token byte, or -1
};

// The slots a command runs its commands in, and how many threads may run them: make's
// jobserver when MAKEFLAGS names one this process was given (up to make's -j, and never
// more than `jobs` when `jobs_given`); else make's -j1 when make runs serially with -j1;
// else `jobs` slots.  `verbose` says which, on stderr.
struct SlotChoice {
  std::unique_ptr<JobSlots> slots;
  int threads = 1;
};
SlotChoice job_slots(int jobs, bool jobs_given, bool verbose);

}  // namespace modforge::kbuild
