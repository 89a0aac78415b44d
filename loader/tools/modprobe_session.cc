// modprobe over the emulated kernel: kmod 30's modprobe (modprobe.cc: look-up, probe list,
// removal) with the session's kernel as the kernel it inserts into and removes from.  The
// module directory is the target's lib/modules/<release> unless -d / -S say otherwise.
#include <cerrno>

#include "core/error.h"
#include "loader/tools/commands.h"
#include "loader/tools/modprobe.h"
#include "loader/tools/session.h"

namespace modforge::loader::tools {

namespace {

class SessionProbe : public ProbeKernel {
public:
  SessionProbe(Session& s, const CommandIo& io) : s_(s), io_(io) {}
  bool loaded(const std::string& name) override {
    const kernel::LoadedModule* m = s_.kernel().find(name);
    return m && m->state != kernel::ModState::going;
  }
  int refcnt(const std::string& name) override {
    const kernel::LoadedModule* m = s_.kernel().find(name);
    return m ? m->refcnt() : -1;
  }
  // kmod_module_insert_module: the file is read (decompressed when needed) and handed to
  // the kernel; -errno on failure.
  int insert(const std::string& path, const std::string& options, bool fmv, bool fvm) override {
    std::string image;
    try {
      image = read_module_image(path);
    } catch (const Error&) {
      return -ENOENT;
    }
    const int flags = (fmv ? kernel::kIgnoreModversions : 0) | (fvm ? kernel::kIgnoreVermagic : 0);
    kernel::Outcome o = s_.kernel().init_module(image, options, flags);
    s_.print_log(io_.err, o.log);
    return -o.err;
  }
  int remove(const std::string& name, bool force) override {
    kernel::Outcome o = s_.kernel().delete_module(name, kernel::kDeleteNonblock | (force ? kernel::kDeleteForce : 0));
    s_.print_log(io_.err, o.log);
    return -o.err;
  }

private:
  Session& s_;
  const CommandIo& io_;
};

}  // namespace

int modprobe_session_main(const std::vector<std::string>& argv, CommandIo io) {
  const cli::Parsed p = cli::parse(argv, with_session_options(modprobe_option_specs()));
  SessionOptions so = session_options_from_env();
  std::vector<cli::OptionUse> own;
  for (const cli::OptionUse& u : p.uses)
    if (!take_session_option(u, so)) own.push_back(u);
  ModprobeOptions o;
  if (auto rc = modprobe_options(own, p, argv[0], o, io.out, io.err)) return *rc;
  auto session = Session::open(so);
  if (!o.root_set && !o.version_set && !session->target().modules_dir.empty()) {
    const std::string dir = session->target().modules_dir;
    const std::size_t cut = dir.rfind("/lib/modules/");
    if (cut != std::string::npos) {
      o.root = dir.substr(0, cut);
      o.version = dir.substr(cut + 13);
      o.root_set = o.version_set = true;
    }
  }
  SessionProbe probe(*session, io);
  const int rc = modprobe_run(o, probe, io.out, io.err);
  session->save();
  return rc;
}

}  // namespace modforge::loader::tools
