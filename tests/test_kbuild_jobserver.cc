// GNU make's jobserver client (kbuild/jobserver.h): MAKEFLAGS as make 4.3 and 4.4 write it,
// and the token accounting on a real pipe (a make -jN jobserver holds N-1 tokens).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/error.h"
#include "kbuild/jobserver.h"

namespace modforge::kbuild {
namespace {

using Auth = MakeFlags::Auth;

TEST(KbuildJobserver, ParsesMake43Pipe) {
  MakeFlags f = parse_makeflags(" -j3 --jobserver-auth=3,4");
  EXPECT_EQ(f.jobs, 3);
  EXPECT_EQ(f.auth, Auth::Pipe);
  EXPECT_EQ(f.read_fd, 3);
  EXPECT_EQ(f.write_fd, 4);
  // single-letter flags first, the command line's variables after " -- "
  f = parse_makeflags("ks -j12 --jobserver-auth=5,6 -- V=1 B=x\\ y --jobserver-auth=7,8 -j2");
  EXPECT_EQ(f.jobs, 12);
  EXPECT_EQ(f.read_fd, 5);
  EXPECT_EQ(f.write_fd, 6);
}

TEST(KbuildJobserver, ParsesMake44FifoAndOldFds) {
  MakeFlags f = parse_makeflags("s -j4 --jobserver-auth=fifo:/tmp/GMfifo1234");
  EXPECT_EQ(f.jobs, 4);
  EXPECT_EQ(f.auth, Auth::Fifo);
  EXPECT_EQ(f.fifo, "/tmp/GMfifo1234");
  f = parse_makeflags(" -j2 --jobserver-fds=9,10");  // make 4.1 and older
  EXPECT_EQ(f.auth, Auth::Pipe);
  EXPECT_EQ(f.read_fd, 9);
  EXPECT_EQ(f.write_fd, 10);
  // the last option wins, as in make's own parsing
  f = parse_makeflags(" -j2 --jobserver-auth=3,4 -j5 --jobserver-auth=fifo:/x");
  EXPECT_EQ(f.jobs, 5);
  EXPECT_EQ(f.auth, Auth::Fifo);
}

TEST(KbuildJobserver, ParsesSerialUnlimitedAndNone) {
  EXPECT_EQ(parse_makeflags("").jobs, 0);
  EXPECT_EQ(parse_makeflags("").auth, Auth::None);
  EXPECT_EQ(parse_makeflags("s").jobs, 0);
  MakeFlags f = parse_makeflags(" -j1");
  EXPECT_EQ(f.jobs, 1);
  EXPECT_EQ(f.auth, Auth::None);
  f = parse_makeflags(" -j");  // no limit: make has no jobserver then
  EXPECT_EQ(f.jobs, -1);
  EXPECT_EQ(f.auth, Auth::None);
  EXPECT_EQ(parse_makeflags(" -j3 --jobserver-auth=x,4").auth, Auth::None);
  EXPECT_EQ(parse_makeflags(" -j3 --jobserver-auth=3").auth, Auth::None);
  EXPECT_EQ(parse_makeflags("-- -j3 --jobserver-auth=3,4").auth, Auth::None);  // a variable's text
}

// A jobserver as make -j`jobs` sets it up: a pipe holding jobs-1 tokens.
struct MakePipe {
  int fd[2];
  explicit MakePipe(int jobs, char token = '+') {
    if (pipe(fd) != 0) throw Error("pipe");
    for (int i = 1; i < jobs; ++i) EXPECT_EQ(write(fd[1], &token, 1), 1);
  }
  ~MakePipe() {
    close(fd[0]);
    close(fd[1]);
  }
  MakeFlags flags(int jobs) const {
    return parse_makeflags(" -j" + std::to_string(jobs) + " --jobserver-auth=" + std::to_string(fd[0]) + "," +
                           std::to_string(fd[1]));
  }
  // The tokens in the pipe now, taken out and put back.
  std::string tokens() const {
    int fl = fcntl(fd[0], F_GETFL);
    fcntl(fd[0], F_SETFL, fl | O_NONBLOCK);
    char buf[512];
    ssize_t n = read(fd[0], buf, sizeof buf);
    fcntl(fd[0], F_SETFL, fl);
    std::string s(buf, n > 0 ? size_t(n) : 0);
    if (!s.empty()) {
      EXPECT_EQ(write(fd[1], s.data(), s.size()), ssize_t(s.size()));
    }
    std::sort(s.begin(), s.end());
    return s;
  }
};

TEST(KbuildJobserver, ImplicitSlotThenOneTokenPerExtraCommand) {
  MakePipe mk(3);
  std::string why;
  auto js = Jobserver::open(mk.flags(3), why);
  ASSERT_TRUE(js) << why;
  EXPECT_EQ(mk.tokens(), "++");  // opening reads nothing
  js->acquire();                 // the implicit slot
  EXPECT_EQ(js->held(), 0);
  EXPECT_EQ(mk.tokens(), "++");
  js->acquire();
  js->acquire();
  EXPECT_EQ(js->held(), 2);
  EXPECT_EQ(mk.tokens(), "");
  // A fourth command waits until one ends.
  std::atomic<bool> started = false;
  std::thread t([&] {
    js->acquire();
    started = true;
  });
  usleep(100 * 1000);
  EXPECT_FALSE(started);
  js->release();  // a token goes back first, then the waiting command takes it
  t.join();
  EXPECT_TRUE(started);
  EXPECT_EQ(js->held(), 2);
  for (int i = 0; i < 3; ++i) js->release();
  EXPECT_EQ(js->held(), 0);
  EXPECT_EQ(mk.tokens(), "++");  // every token back: make ends with as many as it began
}

TEST(KbuildJobserver, WaiterTakesTheFreedImplicitSlot) {
  MakePipe mk(1);  // no token: only the implicit slot
  std::string why;
  auto js = Jobserver::open(mk.flags(2), why);
  ASSERT_TRUE(js) << why;
  js->acquire();
  std::thread t([&] { js->acquire(); });  // waits on the pipe and on our own release
  usleep(50 * 1000);
  js->release();
  t.join();  // woken by the implicit slot, not by a token
  EXPECT_EQ(js->held(), 0);
  js->release();
  EXPECT_EQ(mk.tokens(), "");
}

TEST(KbuildJobserver, SameBytesGoBackAndGuardReturnsOnException) {
  MakePipe mk(1);
  ASSERT_EQ(write(mk.fd[1], "ab", 2), 2);
  std::string why;
  {
    auto js = Jobserver::open(mk.flags(3), why);
    ASSERT_TRUE(js) << why;
    SlotGuard implicit(*js);
    try {
      SlotGuard g1(*js), g2(*js);
      EXPECT_EQ(mk.tokens(), "");
      throw Error("a failing command");
    } catch (const Error&) {
    }
    EXPECT_EQ(mk.tokens(), "ab");
    js->acquire();  // held when the jobserver goes: the destructor gives it back
    EXPECT_EQ(js->held(), 1);
  }
  EXPECT_EQ(mk.tokens(), "ab");
}

TEST(KbuildJobserver, FatalSignalGivesTokensBack) {
  MakePipe mk(3);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string why;
    auto js = Jobserver::open(mk.flags(3), why);
    if (!js) _exit(3);
    js->acquire();
    js->acquire();
    js->acquire();
    raise(SIGTERM);
    _exit(4);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(mk.tokens(), "++");
}

TEST(KbuildJobserver, Make44Fifo) {
  std::string path = testing::TempDir() + "modforge-jobserver-fifo-" + std::to_string(getpid());
  unlink(path.c_str());
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  int keep = open(path.c_str(), O_RDWR);  // make's end
  ASSERT_GE(keep, 0);
  ASSERT_EQ(write(keep, "++", 2), 2);
  {
    std::string why;
    auto js = Jobserver::open(parse_makeflags(" -j3 --jobserver-auth=fifo:" + path), why);
    ASSERT_TRUE(js) << why;
    js->acquire();
    js->acquire();
    js->acquire();
    EXPECT_EQ(js->held(), 2);
    js->release();
    js->release();
    js->release();
  }
  fcntl(keep, F_SETFL, O_NONBLOCK);
  char buf[8];
  EXPECT_EQ(read(keep, buf, sizeof buf), 2);
  close(keep);
  unlink(path.c_str());
  std::string why;
  EXPECT_FALSE(Jobserver::open(parse_makeflags(" -j3 --jobserver-auth=fifo:" + path), why));
  EXPECT_NE(why.find(path), std::string::npos) << why;
}

TEST(KbuildJobserver, DescriptorsNotPassedOn) {
  std::string why;
  // make 4.3 names them for every recipe but keeps them open only for '+' / $(MAKE) ones.
  int fd[2];
  ASSERT_EQ(pipe(fd), 0);
  int r = fd[0], w = fd[1];
  close(r);
  close(w);
  EXPECT_FALSE(Jobserver::open(parse_makeflags(" -j3 --jobserver-auth=" + std::to_string(r) + "," +
                                               std::to_string(w)),
                               why));
  EXPECT_NE(why.find("not passed on"), std::string::npos) << why;
  // Open, but not one pipe: files of ours that took the numbers.
  int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_WRONLY);
  EXPECT_FALSE(Jobserver::open(parse_makeflags(" -j3 --jobserver-auth=" + std::to_string(a) + "," +
                                               std::to_string(b)),
                               why));
  int p1[2], p2[2];
  ASSERT_EQ(pipe(p1), 0);
  ASSERT_EQ(pipe(p2), 0);
  EXPECT_FALSE(Jobserver::open(parse_makeflags(" -j3 --jobserver-auth=" + std::to_string(p1[0]) + "," +
                                               std::to_string(p2[1])),
                               why));
  for (int f : {a, b, p1[0], p1[1], p2[0], p2[1]}) close(f);
}

// job_slots() from the environment, as `modforge build` calls it.
struct MakeflagsEnv {
  explicit MakeflagsEnv(const std::string& v) { setenv("MAKEFLAGS", v.c_str(), 1); }
  ~MakeflagsEnv() { unsetenv("MAKEFLAGS"); }
};

TEST(KbuildJobserver, JobSlotsFromMakeflags) {
  MakePipe mk(4);
  std::string auth = " --jobserver-auth=" + std::to_string(mk.fd[0]) + "," + std::to_string(mk.fd[1]);
  {
    MakeflagsEnv e(" -j4" + auth);
    auto c = job_slots(2, false, false);  // the driver's default -j (cores) is not the bound
    EXPECT_EQ(c.threads, 4);
    EXPECT_NE(dynamic_cast<Jobserver*>(c.slots.get()), nullptr);
    auto capped = job_slots(2, true, false);  // an explicit -j2 is
    EXPECT_EQ(capped.threads, 2);
  }
  {
    MakeflagsEnv e(" -j1");
    auto c = job_slots(8, false, false);
    EXPECT_EQ(c.threads, 1);
    EXPECT_EQ(dynamic_cast<Jobserver*>(c.slots.get()), nullptr);
  }
  {
    MakeflagsEnv e(" -j4 --jobserver-auth=1000,1001");  // not passed on: the driver's own -j
    auto c = job_slots(5, false, false);
    EXPECT_EQ(c.threads, 5);
    EXPECT_EQ(dynamic_cast<Jobserver*>(c.slots.get()), nullptr);
  }
  {
    MakeflagsEnv e("s");  // make without -j: the driver's own -j
    EXPECT_EQ(job_slots(3, false, false).threads, 3);
  }
  EXPECT_EQ(mk.tokens(), "+++");
}

}  // namespace
}  // namespace modforge::kbuild
