// The CRCs genksyms computed, as kbuild left them in each object's .cmd file
// ("#SYMVER <name> <crc>" lines), for the objects a module's .mod file lists.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "modpost/context.h"

namespace modforge::modpost {

struct SymverLine {
  std::string name;
  uint32_t crc;
};

// mod_set_crcs(), first half: every well-formed "#SYMVER" line of the .cmd files of the
// objects that "<modname>.mod" lists (".vmlinux.objs" for vmlinux), in order.  A file that
// cannot be read ends the run (Report::die), as in the real tool.
std::vector<SymverLine> read_symver_lines(Report& report, const std::string& modname, bool is_vmlinux);

// The second half: each line's CRC goes to the module's own export of that name.
void set_crcs(Model& model, Module& mod, const std::vector<SymverLine>& lines);

}  // namespace modforge::modpost
