// What differs between the kernel versions' kbuild, as data (Kbuild.include, Makefile.build).
#pragma once
#include <string_view>

#include "core/kernel.h"

namespace modforge::kbuild {

struct Rules {
  std::string_view saved_prefix;     // the .cmd line: "cmd_<target> := " / "savedcmd_<target> := "
  std::string_view export_marker;    // gen_symversions: `nm OBJ | grep -q MARKER`
  bool export_marker_at_name_start;  // 6.12 greps ' __export_symbol_': a name starting so
  bool verbose_comment_line;         // V=1 prints "# <quiet or cmd_name target>" first (6.12)
};

inline const Rules& rules_for(Kernel k) {
  static constexpr Rules v6_1{"cmd_", "__ksymtab", false, false};
  static constexpr Rules v6_12{"savedcmd_", "__export_symbol_", true, true};
  return per_kernel(k, v6_1, v6_12);
}

}  // namespace modforge::kbuild
