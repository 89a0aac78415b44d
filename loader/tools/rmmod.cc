// rmmod as kmod 30's tools/rmmod.c runs it: getopt_long over "fsvVh", then for each name
// the checks it makes in /sys/module before delete_module (not loaded or built in, in use
// by a holder, a reference count), unless -f; then the emulated kernel's delete_module
// (loader/kernel/unload.cc).
#include <cstring>
#include <filesystem>

#include "loader/tools/commands.h"
#include "loader/tools/module_db.h"
#include "loader/tools/session.h"

namespace modforge::loader::tools {

namespace {

const cli::OptionSpec kRmmodSpecs[] = {
    {'f', "force", false}, {'s', "syslog", false}, {'v', "verbose", false}, {'V', "version", false},
    {'w', "", false},  // in kmod 30's optstring, not in its switch
    {'h', "help", false},
};

void help(std::ostream& out, const std::string& prog) {
  out << "Usage:\n"
         "\t" << prog << " [options] modulename ...\n"
         "Options:\n"
         "\t-f, --force       forces a module unload and may crash your\n"
         "\t                  machine. This requires Forced Module Removal\n"
         "\t                  option in your kernel. DANGEROUS\n"
         "\t-s, --syslog      print to syslog, not stderr\n"
         "\t-v, --verbose     enables more messages\n"
         "\t-V, --version     show version\n"
         "\t-h, --help        show this help\n";
}

}  // namespace

CommandResult rmmod_module(kernel::EmulatedKernel& k, const std::string& name, bool force) {
  CommandResult r;
  r.outcome.name = name;
  if (!force) {
    const kernel::LoadedModule* m = k.find(name);
    if (!m) {
      // a built-in module (modules.builtin) is "builtin" to kmod
      r.rc = 1;
      r.stderr_text = k.target().builtin_modules.count(name) ? "rmmod: ERROR: Module " + name + " is builtin.\n"
                                                            : "rmmod: ERROR: Module " + name + " is not currently loaded\n";
      return r;
    }
    if (!m->holders.empty()) {
      r.rc = 1;
      r.stderr_text = "rmmod: ERROR: Module " + name + " is in use by:";
      for (const std::string& h : m->holders) r.stderr_text += " " + h;
      r.stderr_text += "\n";
      return r;
    }
    if (m->refcnt() != 0) {
      r.rc = 1;
      r.stderr_text = "rmmod: ERROR: Module " + name + " is in use\n";
      return r;
    }
  }
  r.syscall = true;
  r.outcome = k.delete_module(name, kernel::kDeleteNonblock | (force ? kernel::kDeleteForce : 0));
  if (r.outcome.err) {
    r.rc = 1;
    r.stderr_text = "rmmod: ERROR: could not remove module " + name + ": " + std::strerror(r.outcome.err) + "\n";
  }
  return r;
}

int rmmod_main(const std::vector<std::string>& argv, CommandIo io) {
  const cli::Parsed p = cli::parse(argv, with_session_options(kRmmodSpecs));
  SessionOptions so = session_options_from_env();
  bool force = false, syslog = false;
  for (const cli::OptionUse& u : p.uses) {
    if (take_session_option(u, so)) continue;
    switch (u.key) {
      case 'f': force = true; break;
      case 's': syslog = true; break;
      case 'h': help(io.out, std::filesystem::path(argv[0]).filename().string()); return 0;
      case 'V': io.out << kKmodVersion; return 0;
      case 'w': io.err << "rmmod: ERROR: unexpected getopt_long() value 'w'.\n"; return 1;
      default: break;  // -v: more of kmod's messages, none of which is modelled
    }
  }
  if (!p.error.empty()) {
    io.err << p.error << "\n";
    return 1;
  }
  // -s: kmod's own messages go to syslog from here on, not to stderr
  std::ostream no_stream(nullptr);
  std::ostream& msg = syslog ? no_stream : io.err;
  if (p.operands.empty()) {
    msg << "rmmod: ERROR: missing module name.\n";
    return 1;
  }
  auto session = Session::open(so);
  int failures = 0;
  for (const std::string& arg : p.operands) {
    // a path or a file name names the module its base name gives
    const std::string name = arg.find('/') != std::string::npos || arg.find(".ko") != std::string::npos
                                 ? module_name_of_path(arg)
                                 : arg;
    CommandResult r = rmmod_module(session->kernel(), name, force);
    session->print_log(io.err, r.outcome.log);
    msg << r.stderr_text;
    if (r.rc) ++failures;
  }
  session->save();
  return failures ? 1 : 0;
}

}  // namespace modforge::loader::tools
