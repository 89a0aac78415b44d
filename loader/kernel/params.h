// Module parameters as load_module sees them: the module's __param table (struct
// kernel_param, its ops named by the relocation against param_ops_*), and parse_args over
// the argument string, with kernel/params.c's rules and messages for every standard type,
// arrays (kparam_array) and strings (kparam_string).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/kernel/log.h"
#include "loader/kernel/rules.h"

namespace modforge::loader::kernel {

class ModuleView;

enum class ParamType {
  byte, short_, ushort, int_, uint, long_, ulong, ullong, hexint,
  charp, bool_, bool_enable_only, invbool, bint, string, custom
};

struct ParamDef {
  std::string name;
  ParamType type = ParamType::custom;
  bool array = false;
  uint32_t array_max = 0;     // kparam_array.max
  uint32_t string_max = 0;    // kparam_string.maxlen
  uint8_t flags = 0;          // KERNEL_PARAM_FL_UNSAFE = 1, _HWPARAM = 2
};

// The module's parameters, in table order.  Entries the table does not describe readably
// (a hostile file) come out as custom parameters, which accept any value.
std::vector<ParamDef> read_params(const ModuleView& m);

struct ParseResult {
  int err = 0;          // negative errno of the last failing parameter, as parse_args
  bool taint_user = false;  // a KERNEL_PARAM_FL_UNSAFE parameter was set
  std::string after_dashes;  // what followed "--", if anything did
  bool has_dashes = false;
};

// parse_args(mod_name, args, params, ...) with load_module's unknown-parameter callback.
// The rules matter only to the dyndbg parameter's flags.
ParseResult parse_module_args(std::string_view mod_name, std::string_view args,
                              const std::vector<ParamDef>& params, Log& log, const Rules& r);

// lib/kstrtox.c, for the value checks (exposed for tests).  Return 0 or a negative errno.
int kstrtoull(std::string_view s, uint64_t& res);
int kstrtoll(std::string_view s, int64_t& res);
int kstrtobool(std::string_view s, bool& res);

}  // namespace modforge::loader::kernel
