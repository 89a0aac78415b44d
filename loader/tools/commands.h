// kmod 30's insmod, rmmod, lsmod and modprobe over the emulated kernel of a Session: the
// same options, output, messages and exit codes as kmod's tools, plus the session options
// (session.h), all taken by one getopt_long-style parser (core/cli.h) in any order.
// Each main takes its argv with argv[0], the name getopt's messages use ("/sbin/insmod:
// unrecognized option ..."), and returns the exit code; nothing exits or prints elsewhere.
// One file per command: insmod.cc, rmmod.cc, lsmod.cc, modprobe_session.cc.
#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "loader/kernel/kernel.h"
#include "loader/tools/kmod_version.h"

namespace modforge::loader::tools {

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
};

int insmod_main(const std::vector<std::string>& argv, CommandIo io);
int rmmod_main(const std::vector<std::string>& argv, CommandIo io);
int lsmod_main(const std::vector<std::string>& argv, CommandIo io);
int modprobe_session_main(const std::vector<std::string>& argv, CommandIo io);

// kmod's userland around one syscall, for callers that drive a kernel of their own (the
// test harness replaying a corpus):
struct CommandResult {
  int rc = 0;               // exit code
  std::string stderr_text;  // kmod's own lines ("insmod: ERROR: ...\n")
  bool syscall = false;     // whether the syscall was made
  kernel::Outcome outcome;  // the syscall's errno and kernel log
};
// The bytes kmod hands to the kernel: the file, decompressed (.xz/.zst/.gz).  Throws Error.
std::string read_module_image(const std::string& path);
// insmod FILE PARAMS... once the file is read: `display` is the file name as given.
CommandResult insmod_module(kernel::EmulatedKernel& k, const std::string& display, std::string_view image,
                            std::string_view params, int finit_flags = 0);
// rmmod [-f] NAME: /sys/module's checks, then delete_module.
CommandResult rmmod_module(kernel::EmulatedKernel& k, const std::string& name, bool force = false);

}  // namespace modforge::loader::tools
