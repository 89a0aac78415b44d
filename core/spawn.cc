#include "core/spawn.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"

extern char** environ;

namespace modforge {

namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

ShellResult run_program(const std::vector<std::string>& argv, const std::string& cwd,
                        const std::vector<std::string>* env, bool capture_out, bool capture_err) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  int pipefd[2] = {-1, -1};
  if (capture_out) {
    if (pipe2(pipefd, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  }
  // Standard error goes to a temporary file: reading two pipes would need poll().
  FILE* errf = capture_err ? tmpfile() : nullptr;
  if (errf) posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  auto args = c_strings(argv);
  std::vector<char*> envp;
  if (env) envp = c_strings(*env);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &fa, nullptr, args.data(), env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&fa);
  ShellResult result;
  if (capture_out) close(pipefd[1]);
  if (rc != 0) {
    if (capture_out) close(pipefd[0]);
    throw Error(argv[0] + ": " + std::strerror(rc));
  }
  if (capture_out) {
    char buf[65536];
    for (;;) {
      ssize_t n = read(pipefd[0], buf, sizeof buf);
      if (n > 0) result.out.append(buf, size_t(n));
      else if (n == 0 || errno != EINTR) break;
    }
    close(pipefd[0]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (errf) {
    rewind(errf);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, errf)) > 0) result.err.append(buf, n);
    fclose(errf);
  }
  return result;
}

ShellResult run_shell(const std::string& command, const std::string& cwd,
                      const std::vector<std::string>& env, bool capture_out) {
  return run_program({"/bin/sh", "-c", command}, cwd, &env, capture_out);
}

}  // namespace modforge
