// libFuzzer target for what the kbuild driver reads back from make and kbuild: make's
// records (kbuild/plan.h), .cmd files (kbuild/cmd_file.h), and a .mod.o compile command and
// GCC dependency file (kbuild/mod_compile.h).  A refused record (Error) is
// fine; a crash or a sanitizer report is a finding, and so is a broken round trip: a command
// stored as kbuild stores it must read back as the same command.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "kbuild/cmd_file.h"
#include "kbuild/mod_compile.h"
#include "kbuild/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto plan = modforge::kbuild::parse_plan(text);
    (void)plan;
  } catch (const modforge::Error&) {
  }
  // The input as a .cmd file of a target named by its first line.
  size_t nl = text.find('\n');
  std::string target(text.substr(0, nl == std::string_view::npos ? 0 : nl));
  auto f = modforge::kbuild::parse_cmd_file(text, target, "savedcmd_", [](const std::string&) { return true; });
  (void)f;
  // Round trip of one command line (no newline: kbuild's commands are one line).
  std::string cmd(text.substr(0, nl == std::string_view::npos ? text.size() : nl));
  if (target.empty()) target = "t.o";
  std::string file = "savedcmd_" + target + " := " + modforge::kbuild::make_cmd(cmd) + "\n";
  auto back = modforge::kbuild::parse_cmd_file(file, target, "savedcmd_", [](const std::string&) { return false; });
  if (target.find('\n') == std::string::npos && (!back.found || back.saved != cmd)) std::abort();
  // The first line as the compile of /m/t.mod.o: what it reads must be in the command.
  modforge::kbuild::Target t;
  t.path = "/m/t.mod.o";
  t.steps.push_back({modforge::kbuild::Step::Kind::Fixdep, "cc_o_c", cmd, "", "/m/.t.mod.o.d", ""});
  if (auto mc = modforge::kbuild::parse_mod_compile(t, t.steps[0]))
    if (cmd.find(mc->source) == std::string::npos || cmd.find(mc->includes) == std::string::npos) std::abort();
  auto words = modforge::kbuild::depfile_words(text);
  auto deps = modforge::kbuild::plain_deps(words, words, "s.mod.c");
  if (deps.size() != words.size() + 1) std::abort();
  return 0;
}
