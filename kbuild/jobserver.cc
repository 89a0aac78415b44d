#include "kbuild/jobserver.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <semaphore>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fd_io.h"

namespace modforge::kbuild {

namespace {

// "R,W" of --jobserver-auth=R,W: false unless both are descriptor numbers.
bool parse_fds(std::string_view s, int& r, int& w) {
  size_t comma = s.find(',');
  if (comma == std::string_view::npos || comma == 0 || comma + 1 == s.size()) return false;
  auto num = [](std::string_view d, int& out) {
    if (d.empty() || d.size() > 9) return false;
    out = 0;
    for (char c : d) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  return num(s.substr(0, comma), r) && num(s.substr(comma + 1), w);
}

// -j's limit for each command line, counted by the Jobserver that holds the tokens.
class CountSlots final : public JobSlots {
public:
  explicit CountSlots(int n) : sem_(n) {}
  void acquire() override { sem_.acquire(); }
  void release() noexcept override { sem_.release(); }

private:
  std::counting_semaphore<> sem_;
};

// The open jobserver a fatal signal gives the tokens back for (one per process).
std::atomic<Jobserver*> g_active{nullptr};
const int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct sigaction g_old[std::size(kSignals)];

bool is_fifo(int fd, struct stat& st) { return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode); }

void write_token(int fd, unsigned char c) {
  while (::write(fd, &c, 1) < 0 && errno == EINTR) {}
}

}  // namespace

MakeFlags parse_makeflags(std::string_view mf) {
  MakeFlags f;
  size_t i = 0;
  while (i < mf.size()) {
    while (i < mf.size() && mf[i] == ' ') ++i;
    size_t end = mf.find(' ', i);
    if (end == std::string_view::npos) end = mf.size();
    std::string_view w = mf.substr(i, end - i);
    i = end;
    if (w.empty()) continue;
    if (w == "--") break;  // the command line's variables follow
    if (w == "-j" || w == "--jobs") {
      f.jobs = -1;
    } else if (w.starts_with("-j") || w.starts_with("--jobs=")) {
      std::string_view n = w.substr(w[1] == 'j' ? 2 : 7);
      bool digits = !n.empty() && n.size() < 9 && std::all_of(n.begin(), n.end(), [](char c) {
                      return c >= '0' && c <= '9';
                    });
      if (digits) f.jobs = std::max(std::stoi(std::string(n)), 1);
    } else if (w.starts_with("--jobserver-auth=") || w.starts_with("--jobserver-fds=")) {
      std::string_view a = w.substr(w.find('=') + 1);
      if (a.starts_with("fifo:")) {
        f.auth = MakeFlags::Auth::Fifo;
        f.fifo = std::string(a.substr(5));
      } else if (int r, wr; parse_fds(a, r, wr)) {
        f.auth = MakeFlags::Auth::Pipe;
        f.read_fd = r;
        f.write_fd = wr;
      }
    }
  }
  // -j1 (or no -j) turns make's jobserver off; a leftover option names no usable one.
  if (f.jobs == 1) f.auth = MakeFlags::Auth::None;
  return f;
}

std::unique_ptr<Jobserver> Jobserver::open(const MakeFlags& f, std::string& why_not) {
  int r = -1, w = -1;
  if (f.auth == MakeFlags::Auth::Pipe) {
    std::string fds = std::to_string(f.read_fd) + "," + std::to_string(f.write_fd);
    struct stat rs, ws;
    int rfl = fcntl(f.read_fd, F_GETFL), wfl = fcntl(f.write_fd, F_GETFL);
    // make passes the descriptors to recipes marked recursive ('+', $(MAKE)) only; otherwise
    // they are closed, or are other files of ours.
    if (rfl < 0 || wfl < 0 || !is_fifo(f.read_fd, rs) || !is_fifo(f.write_fd, ws) || rs.st_ino != ws.st_ino ||
        rs.st_dev != ws.st_dev || (rfl & O_ACCMODE) == O_WRONLY || (wfl & O_ACCMODE) == O_RDONLY) {
      why_not = "make's jobserver (fds " + fds + ") was not passed on (a recipe without '+' or $(MAKE)?)";
      return nullptr;
    }
    // A reading description of our own, non-blocking whatever make set on its one.
    r = ::open(("/proc/self/fd/" + std::to_string(f.read_fd)).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (r < 0) {
      r = fcntl(f.read_fd, F_DUPFD_CLOEXEC, 0);  // poll() then read() it: at worst a read waits
      if (r >= 0) fcntl(r, F_SETFL, rfl | O_NONBLOCK);
    }
    w = fcntl(f.write_fd, F_DUPFD_CLOEXEC, 0);
    // The commands we run are no make: they do not get make's descriptors.
    fcntl(f.read_fd, F_SETFD, FD_CLOEXEC);
    fcntl(f.write_fd, F_SETFD, FD_CLOEXEC);
  } else if (f.auth == MakeFlags::Auth::Fifo) {
    r = ::open(f.fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (r >= 0 && !is_fifo(r, st)) {
      ::close(r);
      r = -1;
      errno = EINVAL;
    }
    if (r >= 0) w = ::open(f.fifo.c_str(), O_WRONLY | O_CLOEXEC);  // we read it: does not wait
    if (r < 0 || w < 0) {
      why_not = "make's jobserver " + errno_message(f.fifo, errno);
      if (r >= 0) ::close(r);
      return nullptr;
    }
  } else {
    why_not = "no jobserver in MAKEFLAGS";
    return nullptr;
  }
  if (r < 0 || w < 0) {
    why_not = errno_message("make's jobserver", errno);
    if (r >= 0) ::close(r);
    if (w >= 0) ::close(w);
    return nullptr;
  }
  return std::unique_ptr<Jobserver>(new Jobserver(r, w));
}

Jobserver::Jobserver(int read_fd, int write_fd) : rfd_(read_fd), wfd_(write_fd) {
  for (auto& h : held_) h.store(-1);
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    ::close(rfd_);
    ::close(wfd_);
    throw Error(errno_message("pipe", errno));
  }
  // A fatal signal (make's ^C, a kill) gives the held tokens back before the process ends.
  Jobserver* none = nullptr;
  if (g_active.compare_exchange_strong(none, this)) {
    struct sigaction sa = {};
    sa.sa_handler = [](int sig) {
      if (Jobserver* j = g_active.load())
        for (auto& h : j->held_)
          if (int t = h.exchange(-1); t >= 0) write_token(j->wfd_, static_cast<unsigned char>(t));
      signal(sig, SIG_DFL);
      raise(sig);
    };
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kSignals); ++i) {
      sigaction(kSignals[i], nullptr, &g_old[i]);
      if (g_old[i].sa_handler == SIG_DFL) sigaction(kSignals[i], &sa, nullptr);
    }
  }
}

Jobserver::~Jobserver() {
  for (auto& h : held_)
    if (int t = h.exchange(-1); t >= 0) write_token(wfd_, static_cast<unsigned char>(t));
  Jobserver* self = this;
  if (g_active.compare_exchange_strong(self, nullptr))
    for (size_t i = 0; i < std::size(kSignals); ++i)
      if (g_old[i].sa_handler == SIG_DFL) sigaction(kSignals[i], &g_old[i], nullptr);
  ::close(rfd_);
  ::close(wfd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void Jobserver::keep(int token) {
  for (auto& h : held_) {
    int empty = -1;
    if (h.compare_exchange_strong(empty, token)) return;
  }
  write_token(wfd_, static_cast<unsigned char>(token));
  throw Error("jobserver: more than " + std::to_string(kMaxTokens) + " tokens held");
}

void Jobserver::acquire() {
  for (;;) {
    bool free = true;
    if (implicit_free_.compare_exchange_strong(free, false)) return;
    pollfd p[2] = {{rfd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw Error(errno_message("jobserver: poll", errno));
    }
    if (p[1].revents & POLLIN) {
      char b[64];
      while (::read(wake_[0], b, sizeof b) > 0) {}
      continue;  // the implicit slot may be free: look again
    }
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    unsigned char c;
    ssize_t n = ::read(rfd_, &c, 1);
    if (n == 1) {
      keep(c);
      return;
    }
    if (n == 0) throw Error("make's jobserver is closed");
    if (errno != EAGAIN && errno != EINTR) throw Error(errno_message("jobserver: read", errno));
    // Another of make's jobs took that token first: wait again.
  }
}

void Jobserver::release() noexcept {
  for (auto& h : held_) {
    int t = h.load();
    if (t >= 0 && h.compare_exchange_strong(t, -1)) {
      write_token(wfd_, static_cast<unsigned char>(t));
      return;
    }
  }
  implicit_free_.store(true);
  char b = 0;
  (void)!::write(wake_[1], &b, 1);  // full: a wake-up is already pending
}

int Jobserver::held() const {
  int n = 0;
  for (auto& h : held_) n += h.load() >= 0;
  return n;
}

SlotChoice job_slots(int jobs, bool jobs_given, bool verbose) {
  const char* env = getenv("MAKEFLAGS");
  MakeFlags f = parse_makeflags(env ? env : "");
  SlotChoice c;
  auto say = [&](const std::string& s) {
    if (verbose) write_all(2, "modforge: " + s + "\n");
  };
  if (f.auth != MakeFlags::Auth::None) {
    std::string why;
    if (auto js = Jobserver::open(f, why)) {
      int n = f.jobs > 0 ? f.jobs : Jobserver::kMaxTokens + 1;
      if (jobs_given) n = std::min(n, jobs);
      c.threads = std::clamp(n, 1, Jobserver::kMaxTokens + 1);
      say("make's jobserver (-j" + (f.jobs > 0 ? std::to_string(f.jobs) : std::string()) + "): up to " +
          std::to_string(c.threads) + " commands at once");
      c.slots = std::move(js);
      return c;
    }
    say(why + ": -j " + std::to_string(jobs));
  } else if (f.jobs > 0) {
    // make without a jobserver: -j1, which its recipes keep to as well.
    c.threads = jobs_given ? std::min(jobs, f.jobs) : f.jobs;
    say("make's -j" + std::to_string(f.jobs) + ": " + std::to_string(c.threads) + " command(s) at once");
    c.slots = std::make_unique<CountSlots>(c.threads);
    return c;
  }
  c.threads = std::max(1, jobs);
  c.slots = std::make_unique<CountSlots>(c.threads);
  return c;
}

}  // namespace modforge::kbuild
