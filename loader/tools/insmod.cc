// insmod as kmod 30's tools/insmod.c runs it: getopt_long over "psfVh" (-p and -s ignored,
// -f forces both version checks), the file named first, the rest joined as the module's
// parameters; kmod_module_insert_module reads and decompresses the file and calls
// finit_module, here the emulated kernel's init_module (loader/kernel/load.cc).
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/decompress.h"
#include "core/error.h"
#include "core/input.h"
#include "loader/tools/commands.h"
#include "loader/tools/session.h"

namespace modforge::loader::tools {

namespace {

const cli::OptionSpec kInsmodSpecs[] = {
    {'p', "", false}, {'s', "", false}, {'f', "", false}, {'V', "version", false}, {'h', "help", false},
};

void help(std::ostream& out, const std::string& prog) {
  out << "Usage:\n"
         "\t" << prog << " [options] filename [args]\n"
         "Options:\n"
         "\t-V, --version     show version\n"
         "\t-h, --help        show this help\n";
}

// kmod's insmod mod_strerror()
std::string insmod_strerror(int err) {
  switch (err) {
    case ENOEXEC: return "Invalid module format";
    case ENOENT: return "Unknown symbol in module";
    case ESRCH: return "Module has wrong symbol version";
    case EINVAL: return "Invalid parameters";
    default: return std::strerror(err);
  }
}

}  // namespace

std::string read_module_image(const std::string& path) {
  Input in = Input::from_path(path);
  return decompress(in.bytes(), path);
}

CommandResult insmod_module(kernel::EmulatedKernel& k, const std::string& display, std::string_view image,
                            std::string_view params, int finit_flags) {
  CommandResult r;
  r.syscall = true;
  r.outcome = k.init_module(image, params, finit_flags);
  if (r.outcome.err) {
    r.rc = 1;
    r.stderr_text = "insmod: ERROR: could not insert module " + display + ": " + insmod_strerror(r.outcome.err) + "\n";
  }
  return r;
}

int insmod_main(const std::vector<std::string>& argv, CommandIo io) {
  const cli::Parsed p = cli::parse(argv, with_session_options(kInsmodSpecs));
  SessionOptions so = session_options_from_env();
  int flags = 0;
  for (const cli::OptionUse& u : p.uses) {
    if (take_session_option(u, so)) continue;
    switch (u.key) {
      case 'f': flags |= kernel::kIgnoreModversions | kernel::kIgnoreVermagic; break;
      case 'h': help(io.out, std::filesystem::path(argv[0]).filename().string()); return 0;
      case 'V': io.out << kKmodVersion; return 0;
      default: break;  // -p, -s: accepted for compatibility, ignored
    }
  }
  if (!p.error.empty()) {
    io.err << p.error << "\n";
    return 1;
  }
  if (p.operands.empty()) {
    io.err << "insmod: ERROR: missing filename.\n";
    return 1;
  }
  const std::string& filename = p.operands[0];
  if (filename == "-") {
    io.err << "insmod: ERROR: this tool does not support loading from stdin!\n";
    return 1;
  }
  std::string params;
  for (std::size_t i = 1; i < p.operands.size(); ++i) params += (i > 1 ? " " : "") + p.operands[i];
  std::string image;
  try {
    image = read_module_image(filename);
  } catch (const Error&) {
    io.err << "insmod: ERROR: could not load module " << filename << ": No such file or directory\n";
    return 1;
  }
  auto session = Session::open(so);
  CommandResult r = insmod_module(session->kernel(), filename, image, params, flags);
  session->print_log(io.err, r.outcome.log);
  io.err << r.stderr_text;
  // a refused module can still have tainted the kernel (taints come before symbols)
  if (r.syscall) session->save();
  return r.rc;
}

}  // namespace modforge::loader::tools
