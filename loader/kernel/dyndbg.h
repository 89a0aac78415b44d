// The dynamic debug module parameter (lib/dynamic_debug.c ddebug_dyndbg_module_param_cb):
// "dyndbg" or "<mod>.dyndbg" among a module's unknown parameters runs its value as
// dynamic debug queries.  The emulated kernel has no pr_debug sites to change, so what
// matters is what the query parser prints for a malformed query (6.1 and 6.12 parse alike;
// 6.12 adds the 's' flag).  A failed query never stops the load.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "loader/kernel/log.h"
#include "loader/kernel/rules.h"

namespace modforge::loader::kernel {

// ddebug_dyndbg_param_cb(param, val, modname, -ENOENT): true when `param` is a dyndbg
// parameter (its queries then ran); false otherwise, with `shown` set to what the
// caller's "unknown parameter" line prints (the callback cut `param` at its first '.').
bool dyndbg_module_param(std::string_view param, const std::optional<std::string>& val, const Rules& r,
                         Log& log, std::string& shown);

}  // namespace modforge::loader::kernel
