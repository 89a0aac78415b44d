// What make would run for a module, read from the records templates/kbuild-eval.mk makes
// make print ("@MF@<kind>@<arg>@<target>@<payload>").  make computes every command line
// (the tree's flags, the module's Kbuild, CFLAGS_<obj>.o ...); the driver only runs them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace modforge::kbuild {

struct Step {
  enum class Kind {
    Fixdep,   // run, then fixdep writes the .cmd file from the depfile
    Savecmd,  // run, then write "savedcmd_<target> := <cmd>" (6.1: "cmd_")
    Cmd,      // run only (kbuild's $(call cmd,...))
    Symver,   // if the object exports: preprocess, genksyms in-process, append to the .cmd
  };
  Kind kind;
  std::string name;     // kbuild's cmd_<name>; for Symver "c" or "S"
  std::string command;  // the shell command, as make expanded it
  std::string quiet;    // quiet_cmd_<name> expanded: the progress line; may be empty
  std::string depfile;  // Fixdep only
  std::string genksyms; // Symver only: genksyms' command line
};

struct Target {
  std::string path;                  // as make names it (absolute, or relative to the objtree)
  std::vector<std::string> prereqs;  // $^ without FORCE (the rule's own, see kbuild-eval.mk)
  std::vector<Step> steps;
  bool has_prereqs = false;          // an if_changed* target (else it always runs)
};

// One make process's records (one stage: Makefile.build of a directory, modpost, modfinal).
struct Plan {
  std::vector<Target> targets;             // in the order make would build them
  std::vector<std::string> makefiles;      // what that make read (MAKEFILE_LIST)
};

// Reads the record lines in `make_stdout` (other lines are ignored).
Plan parse_plan(std::string_view make_stdout);

// The blank-separated words of `s` (make's lists: prerequisites, MAKEFILE_LIST, commands
// without quoting).
std::vector<std::string> split_words(std::string_view s);

// The record lines of `make_stdout`, for the cache.
std::string record_lines(std::string_view make_stdout);

}  // namespace modforge::kbuild
