// What differs between the 6.1 and 6.12 modpost, as data.
#pragma once
#include <string_view>

#include "core/kernel.h"

namespace modforge::modpost {

struct Rules {
  std::string_view optstring;   // getopt's option string of the version's main()
  bool t_dash_is_stdin;         // 6.1: "-T -" reads the object list from standard input
  bool exports_from_ksymtab;    // 6.1: __ksymtab_<sym> symbols; 6.12: the .export_symbol section
  bool namespace_from_kstrtabns;// 6.1: namespaces from __kstrtabns_<sym> data
  bool check_before_writing;    // 6.12 checks every module before writing any .mod.c
  bool ksymtab_lines;           // 6.12 writes KSYMTAB_FUNC/DATA lines into .mod.c
  bool description_warning;     // 6.12 -W: missing MODULE_DESCRIPTION()
  bool checks_byte_order;       // 6.12 refuses an unknown EI_DATA ("target endian is unknown")
  bool default_ns_imported;     // 6.12 counts the default namespace as always imported
  bool symbol_search;           // 6.12's symsearch.c: one nearest-symbol table per object
  bool mismatch_names_path;     // 6.1's section mismatches name the object ("m.o"), 6.12 the module ("m")
  bool srcversion_frees_cursor; // 6.1's sumversion.c, giving up, frees the cursor strsep() moved
  std::string_view fatal_prefix;    // fatal(): 6.1 "FATAL: modpost: ", 6.12 "ERROR: modpost: "
  std::string_view mod_c_template;  // the template name for the .mod.c header
};

const Rules& rules_for(Kernel k);

}  // namespace modforge::modpost
