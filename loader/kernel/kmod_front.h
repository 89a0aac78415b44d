// What kmod 30's insmod and rmmod add around the two syscalls: reading (and decompressing)
// the file, the checks rmmod makes in /sys/module before calling delete_module, and their
// messages and exit codes.  The commands in loader/tools and loader-replay use these.
#pragma once
#include <string>
#include <string_view>

#include "loader/kernel/kernel.h"

namespace modforge::loader::kernel {

struct CommandResult {
  int rc = 0;              // exit code
  std::string stderr_text; // kmod's own lines ("insmod: ERROR: ...\n")
  bool syscall = false;    // whether the syscall was made
  Outcome outcome;         // the syscall's errno and kernel log
};

// The bytes kmod hands to the kernel: the file, decompressed (.xz/.zst/.gz).  Throws Error.
std::string read_module_image(const std::string& path);

// insmod FILE PARAMS...: `display` is the file name as given (used in the message).
CommandResult kmod_insmod(EmulatedKernel& k, const std::string& display, std::string_view image,
                          std::string_view params, int finit_flags = 0);
// rmmod [-f] NAME
CommandResult kmod_rmmod(EmulatedKernel& k, const std::string& name, bool force = false);

// "EINVAL" etc. (Python's errno.errorcode names, as the oracle prints them).
std::string errno_name(int err);

}  // namespace modforge::loader::kernel
