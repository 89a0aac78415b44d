// modforge-kmod: one binary for the kmod-style commands, chosen by the name it is run as
// (insmod, rmmod, lsmod, modprobe, depmod, modinfo) or by its first argument
// ("modforge-kmod insmod ...").  The commands that act on a kernel act on the emulated one
// of loader/tools/session.h.
#include <iostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "loader/tools/commands.h"
#include "loader/tools/session.h"

// the areas' CMake defines these when their libraries are built
#ifdef MODFORGE_HAVE_DEPMOD
#include "loader/depmod/depmod.h"
#endif
#ifdef MODFORGE_HAVE_MODINFO
#include "loader/modinfo/modinfo.h"
#endif

namespace {

std::string base_name(const std::string& p) {
  std::size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

int usage() {
  std::cerr << "usage: modforge-kmod COMMAND [ARGS]   (insmod rmmod lsmod modprobe depmod modinfo)\n"
               "  kernel commands act on MODFORGE_STATE (--state FILE) for the target MODFORGE_TARGET\n"
               "  (--target DIR: a headers tree or lib/modules/<release>); MODFORGE_DMESG=1 (--dmesg)\n"
               "  also prints the emulated kernel's log lines on standard error.\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string cmd = base_name(argv[0]);
  if (cmd == "modforge-kmod" || cmd == "kmod") {
    if (args.empty()) return usage();
    cmd = args.front();
    args.erase(args.begin());
  }
  try {
#ifdef MODFORGE_HAVE_DEPMOD
    if (cmd == "depmod") return modforge::loader::depmod_main(args, std::cout, std::cerr);
#endif
#ifdef MODFORGE_HAVE_MODINFO
    if (cmd == "modinfo") return modforge::loader::modinfo_main(args, std::cout, std::cerr);
#endif
    if (cmd != "insmod" && cmd != "rmmod" && cmd != "lsmod" && cmd != "modprobe") return usage();
    modforge::loader::SessionOptions so;
    std::string error;
    if (!modforge::loader::take_session_options(args, so, error)) {
      std::cerr << cmd << ": ERROR: " << error << "\n";
      return 1;
    }
    bool show_log = std::getenv("MODFORGE_DMESG") && std::string(std::getenv("MODFORGE_DMESG")) == "1";
    for (auto it = args.begin(); it != args.end();)
      if (*it == "--dmesg") {
        show_log = true;
        it = args.erase(it);
      } else {
        ++it;
      }
    auto session = modforge::loader::Session::open(so);
    modforge::loader::CommandIo io{std::cout, std::cerr, show_log};
    if (cmd == "insmod") return modforge::loader::insmod_main(args, *session, io);
    if (cmd == "rmmod") return modforge::loader::rmmod_main(args, *session, io);
    if (cmd == "lsmod") return modforge::loader::lsmod_main(args, *session, io);
    return modforge::loader::modprobe_session_main(args, *session, io);
  } catch (const modforge::Error& e) {
    std::cerr << cmd << ": ERROR: " << e.what() << "\n";
    return e.exit_code();
  }
}
