// kmod's insmod, rmmod, lsmod and modprobe over the emulated kernel of a Session: the same
// arguments, output, messages and exit codes as kmod 30's tools.  Each takes its arguments
// without argv[0], after the session options were taken out.  With `show_kernel_log`, the
// lines the emulated kernel logged during the command are also printed on `err`, as
// "kernel: <line>" (the real tools leave them to dmesg).
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "loader/tools/session.h"

namespace modforge::loader {

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  bool show_kernel_log = false;
};

int insmod_main(const std::vector<std::string>& args, Session& s, CommandIo io);
int rmmod_main(const std::vector<std::string>& args, Session& s, CommandIo io);
int lsmod_main(const std::vector<std::string>& args, Session& s, CommandIo io);
int modprobe_session_main(const std::vector<std::string>& args, Session& s, CommandIo io);

}  // namespace modforge::loader
