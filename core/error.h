// One error type for every tool: the file, the cause, and the exit code the real tool uses.
#pragma once
#include <stdexcept>
#include <string>

namespace modforge {

class Error : public std::runtime_error {
public:
  Error(std::string message, int exit_code = 1)
      : std::runtime_error(std::move(message)), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

private:
  int exit_code_;
};

// "path: strerror(errno)", as perror(path) prints it.
std::string errno_message(const std::string& path, int err);

}  // namespace modforge
