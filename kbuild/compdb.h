// compile_commands.json for an out-of-tree module (clangd, clang-tidy, editors): one entry
// per object kbuild compiles with $(CC), from the stages' plans, the Modfinal stage's
// <mod>.mod.c (and 6.12's .module-common.o) included.  Each entry's command is the one
// kbuild runs, in the tree's objtree (its -I./include paths are relative to it), cut before
// what kbuild chains after the compile (6.12's "; ./tools/objtool/objtool ...").
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/kernel.h"
#include "kbuild/make_eval.h"
#include "kbuild/plan.h"

namespace modforge::kbuild {

struct CompdbEntry {
  std::string directory;  // the objtree
  std::string file;       // the source, absolute
  std::string output;     // the object, absolute
  std::string command;    // the compile command only
};

// A shell command's words as the shell splits them (quotes removed) with each word's text as
// written (`raw`); splitting stops at the first unquoted ; & or | (what follows is another
// command).  Only the quoting kbuild's command lines use is understood: '...', "..." and \.
struct ShellWord {
  std::string value;
  std::string_view raw;
};
std::vector<ShellWord> shell_words(std::string_view command);

// The first command of `command` (up to the first unquoted ; & |), as written, without the
// surrounding blanks.
std::string compile_part(std::string_view command);

// The compile without the GCC options clang rejects (the table in compdb.cc), for kernel `k`.
std::string clang_command(std::string_view compile, Kernel k);

// The entries of the compiles in `plans` (in plan order, each object once).  `objtree` is
// the directory relative paths in the plans start from.
std::vector<CompdbEntry> compdb_entries(const std::vector<const Plan*>& plans, const std::string& objtree);

// The compile_commands.json text: an array of {"command","directory","file","output"}
// objects, one per line, as kbuild's gen_compile_commands.py orders the keys.
std::string compdb_json(const std::vector<CompdbEntry>& entries);

struct CompdbOptions {
  std::string output;  // the file to write
  bool clang = false;  // clang_command() for every entry
};

// Writes the compile_commands.json of `ev`'s module directory (atomically).  The Modfinal
// stage's plan needs what a build leaves (modules.order, the .mod.c files): when they are
// missing or name other modules than the Build plan, `build` (when given) is called first.
// Returns 0, or `build`'s non-zero exit code; the file is then still written, without the
// Modfinal compiles that could not be planned, and a note says so on standard error.
int write_compdb(Evaluator& ev, const CompdbOptions& opts, const std::function<int()>& build);

}  // namespace modforge::kbuild
