// lsmod as kmod 30's tools/lsmod.c runs it: no options of its own (any argument is a usage
// error, "Usage: <argv[0]>"), then /proc/modules as "Module Size Used by" lines.
#include <cstdio>

#include "loader/tools/commands.h"
#include "loader/tools/session.h"

namespace modforge::loader::tools {

int lsmod_main(const std::vector<std::string>& argv, CommandIo io) {
  const cli::Parsed p = cli::parse(argv, with_session_options({}));
  SessionOptions so = session_options_from_env();
  bool own = false;  // an option of lsmod's own: it has none
  for (const cli::OptionUse& u : p.uses) own |= !take_session_option(u, so);
  if (own || !p.error.empty() || !p.operands.empty()) {
    io.err << "Usage: " << argv[0] << "\n";
    return 1;
  }
  auto session = Session::open(so);
  io.out << "Module                  Size  Used by\n";
  for (const kernel::LoadedModule& m : session->kernel().state().modules) {
    char line[256];
    std::snprintf(line, sizeof line, "%-19s %8lu  %d", m.name.c_str(), static_cast<unsigned long>(m.core_size), m.refcnt());
    io.out << line;
    for (std::size_t i = 0; i < m.holders.size(); ++i) io.out << (i ? "," : " ") << m.holders[i];
    io.out << "\n";
  }
  return 0;
}

}  // namespace modforge::loader::tools
