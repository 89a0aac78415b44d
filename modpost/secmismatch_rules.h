// The section-mismatch rules of each kernel version as data: which sections the walk
// skips, which (from, to) section pairs are mismatches, which references the
// whitelists forgive, and how the version finds and names the symbols it reports.
#pragma once
#include <span>
#include <string_view>

#include "core/kernel.h"

namespace modforge::modpost {

// Shell wildcard patterns (fnmatch, no flags); a string matches the list if it matches
// any of them.
using Patterns = std::span<const char* const>;
bool match_any(std::string_view s, Patterns patterns);

enum class MismatchKind {
  text_to_init,              // 6.1's four plain kinds and 6.12's one are reported alike
  data_to_init,
  text_to_exit,
  data_to_exit,
  meminit_to_init,
  init_to_exit,
  exit_to_init,
  textdata_to_init_exit,
  export_to_init_exit,       // 6.1: "EXPORT_SYMBOL used for init/exit symbol"
  extable_to_non_text,       // __ex_table: its own texts and follow-up error/fatal
};

// A relocation from a section matching `fromsec` to one matching `bad_tosec`, or to one
// not matching a non-empty `good_tosec`, is a mismatch.  The first check that fires wins.
struct MismatchCheck {
  Patterns fromsec, bad_tosec, good_tosec;
  MismatchKind kind;
};

// A reference is forgiven when every non-empty list matches its name.
struct WhitelistEntry {
  Patterns fromsec, tosec, fromsym, tosym;
  bool unless_extra_warn = false;  // 6.1: only without -W
};

enum class Generation {
  // 6.1: find_elf_symbol()/find_elf_symbol2() linear scans, "(unknown)" for no symbol,
  // a text per kind, the __ex_table report with "from the function f() to ...".
  linear_scan,
  // 6.12: the sorted nearest-symbol table, "sym+0xoff" / "0xaddr", one text for all.
  nearest_table,
};

struct SecMismatchRules {
  Patterns section_white_list;  // relocations applying to these sections are not checked
  std::span<const MismatchCheck> checks;
  std::span<const WhitelistEntry> whitelist;
  Generation generation;
  bool skip_special_targets;     // 6.1 ignores relocations against SHN_ABS/SHN_COMMON symbols
  bool rel_is_fatal;             // 6.12 has no x86-64 addend reader for SHT_REL and dies
  bool export_section_hook;      // 6.12 -M: .export_symbol relocations go to check_export_symbol
};

const SecMismatchRules& secmismatch_rules(Kernel kernel);

}  // namespace modforge::modpost
