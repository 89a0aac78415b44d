// depmod, as kmod 30's: modules.dep, modules.alias, modules.softdep, modules.symbols,
// modules.devname, the .bin indexes of dep/alias/symbols and modules.builtin(.alias).bin,
// byte for byte, with kmod's messages and exit codes.  Our addition: -o/--outdir DIR
// writes to DIR/lib/modules/<version>/ instead of the module tree (as kmod 31 does).
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace modforge::loader::depmod {

// `args` without argv[0].  Returns the exit code.
int depmod_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace modforge::loader::depmod
