#include "modpost/rules.h"

#include <cstdlib>

namespace modforge::modpost {

namespace {

constexpr Rules k61{
    .optstring = "ei:mnT:o:aWwENd:",
    .t_dash_is_stdin = true,
    .exports_from_ksymtab = true,
    .namespace_from_kstrtabns = true,
    .check_before_writing = false,
    .ksymtab_lines = false,
    .description_warning = false,
    .checks_byte_order = false,
    .default_ns_imported = false,
    .symbol_search = false,
    .mismatch_names_path = true,
    .srcversion_frees_cursor = true,
    .fatal_prefix = "FATAL: modpost: ",
    .mod_c_template = "mod-6.1",
};

constexpr Rules k612{
    .optstring = "ei:MmnT:to:au:WwENd:",
    .t_dash_is_stdin = false,
    .exports_from_ksymtab = false,
    .namespace_from_kstrtabns = false,
    .check_before_writing = true,
    .ksymtab_lines = true,
    .description_warning = true,
    .checks_byte_order = true,
    .default_ns_imported = true,
    .symbol_search = true,
    .mismatch_names_path = false,
    .srcversion_frees_cursor = false,
    .fatal_prefix = "ERROR: modpost: ",
    .mod_c_template = "mod-6.12",
};

}  // namespace

const Rules& rules_for(Kernel k) {
  return per_kernel(k, k61, k612);
}

}  // namespace modforge::modpost
