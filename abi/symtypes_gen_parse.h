// The texts generate_symtypes() reads back (abi/symtypes_gen.h): make's records, the
// preprocessor's complaints and output, genksyms' #SYMVER lines.  Apart, for the fuzzer.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/kernel.h"

namespace modforge::abi::symgen {

// One object as abi/symtypes_eval_mk.h records it: rule (cc_o_c or as_o_S), target, source
// ($<), $(CPP), c_flags, a_flags (assembler objects only).
struct Record {
  std::string rule, target, source, cpp, c_flags, a_flags;
};

// Adds the records of `text` (tab-separated, one per line; other lines are skipped) to
// `by_target`: a directory evaluated twice (as prepare and as the build) lists an object twice.
void parse_records(std::string_view text, std::map<std::string, Record>& by_target);

// The module an object is part of: KBUILD_MODFILE when it is built for a module (-DMODULE),
// else "vmlinux".
std::string module_of(std::string_view c_flags);

// The EXPORT_SYMBOL(x); lines cmd_gensymtypes_S feeds the preprocessor, from the assembler
// source preprocessed with a_flags.
std::string asm_exports(Kernel kernel, const std::string& preprocessed);

// Whether a source can export: it names an export macro, or includes a .c file.
bool may_export_text(std::string_view text);

// The files a failed preprocessor run did not find, as it names them.
std::vector<std::string> missing_files(const std::string& err);

// genksyms' "#SYMVER <name> 0x<crc>" lines; other lines are skipped.
std::vector<std::pair<std::string, std::uint32_t>> symver_lines(std::string_view out);

}  // namespace modforge::abi::symgen
