// Reading a <module>.mod.o compile as kbuild writes it, and GCC's dependency files: the
// parts the precompiled header (mod_pch.h) needs.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kbuild/plan.h"

namespace modforge::kbuild {

// The parts of a .mod.o compile command the PCH needs, or nullopt when `s` is not one.
struct ModCompile {
  std::string flags;      // the rest, shared by every .mod.o of the tree (with includes: the key)
  std::string includes;   // " -include A -include B -include C" as in the command
  std::string pch_cmd;    // the command through the PCH: @PCH@ @DEFS@ @DEP@ @OBJ@ to fill in
  std::string defines;    // the #define lines for KBUILD_BASENAME, KBUILD_MODNAME, __KBUILD_MODNAME
  std::string object;     // the -o path, as in the command
  std::string source;     // the .mod.c, as in the command
};
std::optional<ModCompile> parse_mod_compile(const Target& t, const Step& s);

// The dependency file's words (GCC's make-rule form; the first is the target).
std::vector<std::string> depfile_words(std::string_view text);

// What the plain compile's dependency file lists, from the PCH's own list (without the
// target and its header) and the PCH compile's (without the target, the .mod.c and the
// defines file): the .mod.c, the PCH's headers, then what the PCH compile read that the
// PCH did not hold (the headers it holds are re-read there, behind their guards).
std::vector<std::string> plain_deps(const std::vector<std::string>& pch_deps,
                                    const std::vector<std::string>& pch_compile_deps, const std::string& source);

}  // namespace modforge::kbuild
