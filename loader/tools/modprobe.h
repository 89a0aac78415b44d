// modprobe as kmod 30 runs it: name lookup (config aliases, modules.dep, modules.symbols,
// install commands, modules.alias, modules.builtin), the probe list (each dependency with
// its softdeps, then the module with its pre/post softdeps), options from the
// configuration plus the command line, and removal with unused dependencies.  The kernel
// it acts on is an interface, so the same code drives the emulated kernel and dry runs.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "loader/tools/modprobe_config.h"
#include "loader/tools/module_db.h"

namespace modforge::loader {

class ProbeKernel {
public:
  virtual ~ProbeKernel() = default;
  virtual bool loaded(const std::string& name) = 0;      // live or coming
  virtual int refcnt(const std::string& name) = 0;       // -1 when not loaded
  // Inserts the module file with these options; 0 or -errno.  `force_*` are kmod's
  // --force-modversion / --force-vermagic.
  virtual int insert(const std::string& path, const std::string& options, bool force_modversion,
                     bool force_vermagic) = 0;
  virtual int remove(const std::string& name, bool force) = 0;  // 0 or -errno
};

// Runs modprobe with `args` (without argv[0]).  Returns the exit code.  `db`, when given,
// is used instead of reading the module directory (for callers that run many lookups).
int modprobe_main(const std::vector<std::string>& args, ProbeKernel& kernel, std::ostream& out, std::ostream& err,
                  const ModuleDb* db = nullptr);

}  // namespace modforge::loader
