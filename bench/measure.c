/* measure: run one program and report its wall time and peak RSS.
 *
 *   measure [--pipe] IN OUT ERR PROG [ARG...]
 *
 * Runs PROG with stdin from IN, stdout to OUT and stderr to ERR (files,
 * created/truncated), waits for it with wait4() and prints one line:
 *
 *   <wall_ns> <user_us> <sys_us> <maxrss_kb> <status>
 *
 * status is the exit code, or 128+signal when PROG was killed, or 127 when it
 * could not be executed.
 *
 * Without --pipe, stdin is IN itself (a regular file: a program may mmap it).
 * With --pipe, a feeder child is forked first; it copies IN into a pipe and
 * PROG reads the other end, as genksyms does under kbuild (`cpp ... |
 * genksyms ...`).  The feeder is started before the clock is, and is not
 * counted in the figures.
 *
 * Why C and not Python: Linux records the RSS high-water mark of the old
 * address space at execve() into the process's ru_maxrss, so a child forked
 * (or vforked) from a Python interpreter reports at least the interpreter's
 * RSS.  This process is tiny, so its children's ru_maxrss is their own peak.
 * The clock runs from just before fork() to just after wait4() returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
  fprintf(stderr, "measure: %s: %s\n", what, strerror(errno));
  exit(125);
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static pid_t spawn_feeder(const char *in, int *read_end) {
  int p[2];
  if (pipe(p) != 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    close(p[0]);
    int fd = open(in, O_RDONLY | O_CLOEXEC);
    if (fd < 0) _exit(126);
    static char buf[1 << 16];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) _exit(n < 0 ? 126 : 0);
      for (ssize_t off = 0; off < n;) {
        ssize_t w = write(p[1], buf + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) _exit(0); /* reader went away: fine */
        off += w;
      }
    }
  }
  close(p[1]);
  *read_end = p[0];
  return pid;
}

int main(int argc, char **argv) {
  int use_pipe = 0;
  int a = 1;
  if (a < argc && strcmp(argv[a], "--pipe") == 0) { use_pipe = 1; a++; }
  if (argc - a < 4) {
    fprintf(stderr, "usage: measure [--pipe] IN OUT ERR PROG [ARG...]\n");
    return 125;
  }
  const char *in = argv[a], *out = argv[a + 1], *err = argv[a + 2];
  char **prog = argv + a + 3;

  int infd;
  pid_t feeder = -1;
  if (use_pipe) {
    feeder = spawn_feeder(in, &infd);
  } else {
    infd = open(in, O_RDONLY);
    if (infd < 0) die(in);
  }
  int outfd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (outfd < 0) die(out);
  int errfd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (errfd < 0) die(err);

  long long t0 = now_ns();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    if (dup2(infd, 0) < 0 || dup2(outfd, 1) < 0 || dup2(errfd, 2) < 0) _exit(127);
    if (infd > 2) close(infd);
    if (outfd > 2) close(outfd);
    if (errfd > 2) close(errfd);
    execv(prog[0], prog);
    _exit(127);
  }
  /* The parent must not keep the pipe's read end: only the child reads it. */
  close(infd);

  int st;
  struct rusage ru;
  pid_t r;
  do r = wait4(pid, &st, 0, &ru); while (r < 0 && errno == EINTR);
  long long t1 = now_ns();
  if (r < 0) die("wait4");
  close(outfd);
  close(errfd);
  if (feeder > 0) {
    int fst;
    while (waitpid(feeder, &fst, 0) < 0 && errno == EINTR) {}
  }

  int status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
  printf("%lld %lld %lld %ld %d\n", t1 - t0,
         (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
         (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec,
         ru.ru_maxrss, status);
  return 0;
}
