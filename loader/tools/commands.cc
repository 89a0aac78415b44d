#include "loader/tools/commands.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "loader/kernel/kmod_front.h"
#include "loader/tools/modprobe.h"
#include "loader/tools/module_db.h"

namespace modforge::loader {

namespace {

void print_log(const CommandIo& io, const kernel::Log& log) {
  if (!io.show_kernel_log) return;
  for (const kernel::LogLine& l : log) io.err << "kernel: " << l.msg << "\n";
}

// kmod_module_insert_module: the file is read (decompressed when needed) and handed to
// the kernel; -errno on failure.
int insert_file(Session& s, const std::string& path, const std::string& options, int flags, const CommandIo& io) {
  std::string image;
  try {
    image = kernel::read_module_image(path);
  } catch (const Error&) {
    return -ENOENT;
  }
  kernel::Outcome o = s.kernel().init_module(image, options, flags);
  print_log(io, o.log);
  return -o.err;
}

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
  int insert(const std::string& path, const std::string& options, bool fmv, bool fvm) override {
    int flags = (fmv ? kernel::kIgnoreModversions : 0) | (fvm ? kernel::kIgnoreVermagic : 0);
    return insert_file(s_, path, options, flags, io_);
  }
  int remove(const std::string& name, bool force) override {
    kernel::Outcome o = s_.kernel().delete_module(name, kernel::kDeleteNonblock | (force ? kernel::kDeleteForce : 0));
    print_log(io_, o.log);
    return -o.err;
  }

private:
  Session& s_;
  const CommandIo& io_;
};

bool is_option(const std::string& a) { return a.size() > 1 && a[0] == '-'; }

}  // namespace

int insmod_main(const std::vector<std::string>& args, Session& s, CommandIo io) {
  int flags = 0;
  std::size_t i = 0;
  for (; i < args.size() && is_option(args[i]); ++i) {
    if (args[i] == "-f" || args[i] == "--force") flags |= kernel::kIgnoreModversions | kernel::kIgnoreVermagic;
    else if (args[i] == "-s" || args[i] == "--syslog" || args[i] == "-p") continue;
    else {
      io.err << "insmod: ERROR: unexpected getopt_long() value '" << args[i].substr(1, 1) << "'.\n";
      return 1;
    }
  }
  if (i >= args.size()) {
    io.err << "insmod: ERROR: missing filename.\n";
    return 1;
  }
  const std::string filename = args[i];
  if (filename == "-") {
    io.err << "insmod: ERROR: this tool does not support loading from stdin!\n";
    return 1;
  }
  std::string opts;
  for (++i; i < args.size(); ++i) {
    if (!opts.empty()) opts += ' ';
    opts += args[i];
  }
  std::string image;
  try {
    image = kernel::read_module_image(filename);
  } catch (const Error&) {
    io.err << "insmod: ERROR: could not load module " << filename << ": No such file or directory\n";
    return 1;
  }
  kernel::CommandResult r = kernel::kmod_insmod(s.kernel(), filename, image, opts, flags);
  print_log(io, r.outcome.log);
  io.err << r.stderr_text;
  // a refused module can still have tainted the kernel (taints come before symbols)
  if (r.syscall) s.save();
  return r.rc;
}

int rmmod_main(const std::vector<std::string>& args, Session& s, CommandIo io) {
  bool force = false;
  std::vector<std::string> names;
  for (const std::string& a : args) {
    if (a == "-f" || a == "--force") force = true;
    else if (a == "-s" || a == "--syslog" || a == "-v" || a == "--verbose") continue;
    else names.push_back(a);
  }
  if (names.empty()) {
    io.err << "rmmod: ERROR: missing module name.\n";
    return 1;
  }
  int failures = 0;
  for (const std::string& arg : names) {
    // a path or a file name names the module its base name gives
    const std::string name = arg.find('/') != std::string::npos || arg.find(".ko") != std::string::npos
                                 ? module_name_of_path(arg)
                                 : arg;
    kernel::CommandResult r = kernel::kmod_rmmod(s.kernel(), name, force);
    print_log(io, r.outcome.log);
    io.err << r.stderr_text;
    if (r.rc) ++failures;
  }
  s.save();
  return failures ? 1 : 0;
}

int lsmod_main(const std::vector<std::string>& args, Session& s, CommandIo io) {
  if (!args.empty()) {
    io.err << "Usage: lsmod\n";
    return 1;
  }
  io.out << "Module                  Size  Used by\n";
  for (const kernel::LoadedModule& m : s.kernel().state().modules) {
    char line[256];
    std::snprintf(line, sizeof line, "%-19s %8lu  %d", m.name.c_str(), static_cast<unsigned long>(m.core_size), m.refcnt());
    io.out << line;
    for (std::size_t i = 0; i < m.holders.size(); ++i) io.out << (i ? "," : " ") << m.holders[i];
    io.out << "\n";
  }
  return 0;
}

int modprobe_session_main(const std::vector<std::string>& args, Session& s, CommandIo io) {
  SessionProbe probe(s, io);
  std::vector<std::string> a = args;
  // the module directory is the target's unless -d / -S say otherwise
  bool has_dir = false;
  for (const std::string& x : a)
    if (x.rfind("-d", 0) == 0 || x.rfind("-S", 0) == 0 || x.rfind("--dirname", 0) == 0 || x.rfind("--set-version", 0) == 0)
      has_dir = true;
  if (!has_dir && !s.target().modules_dir.empty()) {
    const std::string dir = s.target().modules_dir;
    const std::size_t cut = dir.rfind("/lib/modules/");
    if (cut != std::string::npos) {
      a.insert(a.begin(), {"-d", dir.substr(0, cut), "-S", dir.substr(cut + 13)});
    }
  }
  int rc = modprobe_main(a, probe, io.out, io.err);
  s.save();
  return rc;
}

}  // namespace modforge::loader
