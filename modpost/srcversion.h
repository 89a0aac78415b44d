// The srcversion modpost records for a module with MODULE_VERSION (or with -a): an MD4
// over the module's own sources, as scripts/mod/sumversion.c computes it.
#pragma once
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/kernel.h"
#include "modpost/report.h"

namespace modforge::modpost {

// The real tool died of a signal instead of exiting: 6.1's get_src_version() frees a
// pointer it has moved when it gives up on a module, and glibc aborts (or faults).  What
// glibc printed is already in the Report; exit_code() is 128 + signal, as a shell sees
// it.  A drop-in should end the same way (e.g. raise the signal at its boundary).
class Crash : public Error {
public:
  explicit Crash(int signal) : Error("modpost: killed by signal " + std::to_string(signal), 128 + signal), signal_(signal) {}
  int signal() const { return signal_; }

private:
  int signal_;
};

// The srcversion the real get_src_version() computes for module `modname` (the .o path
// without ".o", as modpost holds it): the objects listed in "<modname>.mod", each object's
// ".<obj>.cmd" (its source_ line and the deps_ entries in the object's own directory),
// each of those files hashed with comments and whitespace left out.  Relative paths are
// taken from the current directory, as the real tool does.
//
// Returns what the real tool prints: 23 upper-case hex digits (the real snprintf gets a
// 24-byte buffer, so the last digit of the 32 falls off), or "" when the real tool leaves
// srcversion empty (a malformed source_ line).  Warnings go to `report`; a file that
// cannot be read ends the run as the real perror()+exit(1) does (Report::die throws);
// 6.1's crash after a malformed line throws Crash.
std::string src_version(std::string_view modname, Kernel kernel, Report& report);

}  // namespace modforge::modpost
