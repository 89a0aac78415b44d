#include "modpost/rules.h"

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
    .mod_c_template = "mod-6.12",
};

}  // namespace

const Rules& rules_for(Kernel k) { return k == Kernel::v6_1 ? k61 : k612; }

}  // namespace modforge::modpost
