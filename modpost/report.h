// The standard error of one modpost run, in print order, with the real tool's level
// prefixes.  Messages carry their own trailing newline (or lack of one) exactly as the
// real format strings do.  A fatal message ends the run: it throws Fatal, which the run's
// one boundary catches (exit code 1, as the real tool's exit(1)).
#pragma once
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/kernel.h"
#include "modpost/rules.h"

namespace modforge::modpost {

class Fatal : public Error {
public:
  Fatal() : Error("modpost: fatal", 1) {}
};

class Report {
public:
  explicit Report(Kernel kernel) : fatal_prefix_(rules_for(kernel).fatal_prefix) {}

  // "WARNING: modpost: " + message
  void warn(std::string_view message) { line("WARNING: modpost: ", message); }
  // "ERROR: modpost: " + message; the run will exit 1 but goes on
  void error(std::string_view message) {
    line("ERROR: modpost: ", message);
    failed_ = true;
  }
  // warn or error, as modpost_log(is_error, ...) chooses
  void log(bool is_error, std::string_view message) { is_error ? error(message) : warn(message); }
  // the version's fatal prefix (Rules::fatal_prefix) + message; then exit 1
  [[noreturn]] void fatal(std::string_view message) {
    line(fatal_prefix_, message);
    failed_ = true;
    throw Fatal();
  }
  // Text printed without a prefix (perror() and the like).
  void raw(std::string_view text) { text_ += text; }
  // raw text, then exit 1 (perror(file); exit(1))
  [[noreturn]] void die(std::string_view text) {
    text_ += text;
    failed_ = true;
    throw Fatal();
  }

  // Another report's errors count as this one's (its text is copied with raw()).
  void mark_failed() { failed_ = true; }

  const std::string& text() const { return text_; }
  bool failed() const { return failed_; }

  // Section mismatches reported so far (6.12 -E and 6.1's summary consult it).
  unsigned section_mismatches = 0;

private:
  void line(std::string_view prefix, std::string_view message) {
    text_ += prefix;
    text_ += message;
  }
  std::string_view fatal_prefix_;
  std::string text_;
  bool failed_ = false;
};

}  // namespace modforge::modpost
