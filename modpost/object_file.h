// Opening an object the way modpost's grab_file() and parse_elf() do: the same silent
// skips (short files, non-ELF files), the same fatal checks with the same texts, in the
// same order; then the whole file validated through LLVM's Object library, so that what
// the real tool would read out of bounds is a clear error here instead.
#pragma once
#include <optional>
#include <string>

#include "core/elf.h"
#include <memory>
#include "modpost/context.h"

namespace modforge::modpost {

struct OpenObject {
  std::unique_ptr<char[]> bytes;  // the whole file, read (not mapped: two threads read
                                  // objects at once, and mappings would serialise them)
  elf::ElfFile elf;
};

// nullopt: the real tool skips the file without a word (or with "(ignored)" under -n).
std::optional<OpenObject> open_object(const Context& cx, Report& rep, const std::string& path);

// Symbol data as sym_get_data() reads it: the bytes of the symbol's section from its
// value on; empty when that lies outside the file (NOBITS, reserved indices).
std::string_view symbol_data(const elf::ElfFile& elf, const elf::Symbol& sym);
// The C string there.
std::string_view symbol_cstring(const elf::ElfFile& elf, const elf::Symbol& sym);

}  // namespace modforge::modpost
