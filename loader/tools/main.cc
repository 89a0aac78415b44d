// modforge-kmod: one binary for the kmod-style commands, chosen by the name it is run as
// (insmod, rmmod, lsmod, modprobe, depmod, modinfo) or by its first argument
// ("modforge-kmod insmod ...").  Each command is one function taking its argv (commands.h);
// the commands that act on a kernel act on the emulated one of session.h.  Errors of the
// session (target, state) end here, as one line and exit 1.
#include <iostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "loader/tools/commands.h"

#include "loader/depmod/depmod.h"
#include "loader/modinfo/modinfo.h"

namespace {

std::string base_name(const std::string& p) {
  std::size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

int usage() {
  std::cerr << "usage: modforge-kmod COMMAND [ARGS]   (insmod rmmod lsmod modprobe depmod modinfo)\n"
               "  kernel commands act on the state --state FILE (MODFORGE_STATE) of the target\n"
               "  --target DIR (MODFORGE_TARGET: a headers tree or lib/modules/<release>), whose shipped\n"
               "  modules are in the target, /lib/modules/<release> or --modules DIR (MODFORGE_MODULES);\n"
               "  --kernel 6.1|6.12 (MODFORGE_KERNEL) when the release does not say; --dmesg\n"
               "  (MODFORGE_DMESG=1) also prints the emulated kernel's log lines on standard error.\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // argv as the command sees it: argv[0] is the name getopt's messages use
  std::vector<std::string> args(argv, argv + argc);
  std::string cmd = base_name(args[0]);
  if (cmd == "modforge-kmod" || cmd == "kmod") {
    if (args.size() < 2) return usage();
    args.erase(args.begin());
    cmd = args[0];
  }
  const modforge::loader::tools::CommandIo io{std::cout, std::cerr};
  try {
    if (cmd == "depmod") return modforge::loader::depmod::depmod_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd == "modinfo") return modforge::loader::modinfo::modinfo_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd == "insmod") return modforge::loader::tools::insmod_main(args, io);
    if (cmd == "rmmod") return modforge::loader::tools::rmmod_main(args, io);
    if (cmd == "lsmod") return modforge::loader::tools::lsmod_main(args, io);
    if (cmd == "modprobe") return modforge::loader::tools::modprobe_session_main(args, io);
    return usage();
  } catch (const modforge::Error& e) {
    std::cerr << cmd << ": ERROR: " << e.what() << "\n";
    return e.exit_code();
  }
}
