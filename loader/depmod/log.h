// depmod's messages: "depmod: PRIORITY: text" on standard error when the priority is within
// the verbosity (-v raises it); a FATAL one ends the run with exit code 1.
#pragma once
#include <ostream>
#include <stdexcept>
#include <string>

namespace modforge::loader::depmod {

enum Priority { kCrit = 2, kErr = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

// Thrown by fatal(); caught once in depmod_main.
struct Fatal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Log {
public:
  Log(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}
  int verbose = kWarning;

  void operator()(int prio, const std::string& msg) const {
    if (prio > verbose) return;
    err_ << "depmod: " << name(prio) << ": " << msg;
  }
  [[noreturn]] void fatal(const std::string& msg) const {
    (*this)(kCrit, msg);
    throw Fatal(msg);
  }
  // kmod's SHOW(): on standard output, only with -v.
  void show(const std::string& msg) const {
    if (verbose > kWarning) out_ << msg << std::flush;
  }
  std::ostream& out() const { return out_; }

private:
  static const char* name(int prio) {
    switch (prio) {
      case kCrit: return "FATAL";
      case kErr: return "ERROR";
      case kWarning: return "WARNING";
      case kNotice: return "NOTICE";
      case kInfo: return "INFO";
      default: return "DEBUG";
    }
  }
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace modforge::loader::depmod
