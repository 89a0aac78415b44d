// modpost's section-mismatch walk over one object (check_sec_ref of scripts/mod/modpost.c)
// for kernels 6.1 and 6.12: the unexpected non-allocatable section warning, then every
// relocation of every relocation section whose target section is not white-listed,
// checked against the version's rules (modpost/secmismatch_rules.h).  Diagnostics go to
// the Report with the real texts; each reported mismatch adds 1 to
// report.section_mismatches.
//
// The end-of-run line is the caller's (both versions, after Module.symvers is written and
// before the "suppressed ... unresolved symbol warnings" line), printed only with -E:
//   if (report.section_mismatches && !warn_only)
//     report.error("Section mismatches detected.\n"
//                  "Set CONFIG_SECTION_MISMATCH_WARN_ONLY=y to allow them.\n");
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "core/elf.h"
#include "core/kernel.h"
#include "modpost/report.h"
#include "modpost/symsearch.h"

namespace modforge::modpost {

struct SecRefOptions {
  bool module_enabled = false;  // 6.12 -M: .export_symbol relocations go to the hook
  bool extra_warn = false;      // -W: 6.1 then reports *driver -> .exit.* references too
};

// Called for each relocation out of the .export_symbol section (6.12 with -M), in walk
// order: faddr = r_offset, tosec = name of the target symbol's section ("" for none),
// sym = the relocation's symbol.  The core's check_export_symbol() finds the label with
// SymbolSearch::containing(faddr, export_symbol_section(elf)).
using ExportRelocHook = std::function<void(uint64_t faddr, std::string_view tosec, const elf::Symbol& sym)>;

// The section 6.12 treats as the export table: the last one named ".export_symbol",
// 0 when there is none (so, as in modpost, a relocation section for section 0 would
// also go to the hook).
uint32_t export_symbol_section(const elf::ElfFile& elf);

// `modname` is printed as is: 6.1 passes the object's path ("dir/foo.o"), 6.12 the
// module name (the path without ".o").  `search` is the object's 6.12 symbol table; pass
// the one the core built, or nullptr to have one built when first needed.  `names` are
// the symbol names as the real walk sees them, indexed like elf.symbols(): read_symbols
// has cut them with remove_dot() in the string table itself ("x.0" is printed "x");
// empty = computed here the same way.  A fatal diagnostic throws Fatal (through
// Report::fatal); a relocation naming a symbol past the symbol table, or a malformed
// relocation section, throws modforge::Error.
void check_sec_ref(const elf::ElfFile& elf, std::string_view modname, Kernel kernel, const SecRefOptions& opts,
                   Report& report, const ExportRelocHook& on_export, const SymbolSearch* search = nullptr,
                   std::span<const std::string_view> names = {});

}  // namespace modforge::modpost
