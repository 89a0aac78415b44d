// modprobe as kmod 30 runs it: name lookup (config aliases, modules.dep, modules.symbols,
// install commands, modules.alias, modules.builtin), the probe list (each dependency with
// its softdeps, then the module with its pre/post softdeps), options from the
// configuration plus the command line, and removal with unused dependencies.  The kernel
// it acts on is an interface, so the same code drives the emulated kernel and dry runs.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/cli.h"
#include "loader/tools/module_db.h"

namespace modforge::loader::tools {

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

// modprobe's command line, as kmod 30 reads it.
struct ModprobeOptions {
  bool all = false, remove = false, remove_holders = false, first_time = false, ignore_commands = false;
  bool use_blacklist = false, force = false, force_modversion = false, force_vermagic = false;
  bool show_depends = false, resolve_alias = false, dry_run = false, quiet = false, dump_modversions = false;
  bool syslog = false;  // -s: modprobe's own messages go to syslog, not to stderr
  int verbose = 0;
  std::vector<std::string> configs;
  std::string root, version;  // -d, -S
  bool root_set = false, version_set = false;
  std::vector<std::string> args;  // the module (or modules with -a, -r), then its parameters
};

// kmod 30's getopt_long options of modprobe.
const std::vector<cli::OptionSpec>& modprobe_option_specs();

// Reads modprobe's options from `uses` (of `p`, in command-line order) as kmod's getopt
// loop does, then `p`'s error and operands.  Returns the exit code when the command ends
// there (-h, -V, a bad option, no module named), else nullopt with `o` filled.  `prog` is
// argv[0], as the help text names it.
std::optional<int> modprobe_options(const std::vector<cli::OptionUse>& uses, const cli::Parsed& p,
                                    const std::string& prog, ModprobeOptions& o, std::ostream& out,
                                    std::ostream& err);

// Runs modprobe with options read by modprobe_options.  Returns the exit code.  `db`, when
// given, is used instead of reading the module directory (for callers that run many lookups).
int modprobe_run(const ModprobeOptions& o, ProbeKernel& kernel, std::ostream& out, std::ostream& err,
                 const ModuleDb* db = nullptr);

// Both, on `args` (without argv[0]).
int modprobe_main(const std::vector<std::string>& args, ProbeKernel& kernel, std::ostream& out, std::ostream& err,
                  const ModuleDb* db = nullptr);

}  // namespace modforge::loader::tools
