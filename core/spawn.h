// Runs a program or a shell command (kbuild's, as make does: /bin/sh -c in the tree's
// directory, in the environment its sub-makes run in) and collects its output and status.
#pragma once
#include <string>
#include <vector>

namespace modforge {

struct ShellResult {
  int status = 0;      // the exit code; 128+signal when killed
  std::string out;     // standard output, when captured
  std::string err;     // standard error, when captured
};

// envp: "NAME=value" entries.  Standard error is inherited; standard output too unless
// `capture_out`.  Throws Error when the shell cannot be started.
ShellResult run_shell(const std::string& command, const std::string& cwd,
                      const std::vector<std::string>& env, bool capture_out);

// Runs argv (argv[0] looked up in PATH) and returns its standard output and status.
ShellResult run_program(const std::vector<std::string>& argv, const std::string& cwd,
                        const std::vector<std::string>* env, bool capture_out, bool capture_err = false);

}  // namespace modforge
