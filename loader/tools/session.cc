#include "loader/tools/session.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <ostream>

#include "core/error.h"
#include "loader/kernel/module_sig_verify.h"
#include "loader/kernel/state_file.h"

namespace modforge::loader::tools {

namespace {

const cli::OptionSpec kSessionSpecs[] = {
    {0, "target", true, true}, {0, "state", true, true}, {0, "kernel", true, true}, {0, "modules", true, true},
    {0, "dmesg", false, true},
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

SessionOptions session_options_from_env() {
  SessionOptions o;
  o.state_path = env("MODFORGE_STATE");
  o.target_dir = env("MODFORGE_TARGET");
  o.modules_dir = env("MODFORGE_MODULES");
  o.kernel = env("MODFORGE_KERNEL");
  o.show_kernel_log = env("MODFORGE_DMESG") == "1";
  o.sig_enforce = env("MODFORGE_SIG_ENFORCE") == "1";
  const std::string keys = env("MODFORGE_SIG_KEYS");
  for (size_t b = 0, e; b < keys.size(); b = e + 1) {
    e = keys.find(':', b);
    if (e == std::string::npos) e = keys.size();
    if (e > b) o.sig_keys.push_back(keys.substr(b, e - b));
  }
  return o;
}

std::vector<cli::OptionSpec> with_session_options(std::span<const cli::OptionSpec> own) {
  std::vector<cli::OptionSpec> all(own.begin(), own.end());
  all.insert(all.end(), std::begin(kSessionSpecs), std::end(kSessionSpecs));
  return all;
}

bool take_session_option(const cli::OptionUse& u, SessionOptions& o) {
  if (u.key != 0) return false;
  if (u.long_name == "target") o.target_dir = u.value;
  else if (u.long_name == "state") o.state_path = u.value;
  else if (u.long_name == "modules") o.modules_dir = u.value;
  else if (u.long_name == "kernel") o.kernel = u.value;
  else if (u.long_name == "dmesg") o.show_kernel_log = true;
  else return false;
  return true;
}

std::unique_ptr<Session> Session::open(const SessionOptions& o) {
  if (o.target_dir.empty())
    throw Error("no target kernel: set MODFORGE_TARGET or --target to a headers tree or lib/modules/<release>");
  if (o.state_path.empty()) throw Error("no state file: set MODFORGE_STATE or --state to a file");
  // the version is the target's release's unless --kernel or MODFORGE_KERNEL name one
  std::optional<Kernel> version;
  if (!o.kernel.empty() && !(version = parse_kernel(o.kernel)))
    throw Error("unknown kernel version '" + o.kernel + "' (choose 6.1 or 6.12)");
  std::unique_ptr<Session> s(new Session);
  s->state_path_ = o.state_path;
  s->show_kernel_log_ = o.show_kernel_log;
  s->target_ = kernel::load_target(o.target_dir, version, o.modules_dir);
  if (o.sig_enforce) s->target_.sig_force = true;
  for (const std::string& k : o.sig_keys)
    for (std::string& der : kernel::read_certificates(k)) s->target_.trusted_certs.push_back(std::move(der));
  if (!o.sig_keys.empty()) s->target_.keyring = kernel::make_keyring(s->target_.trusted_certs);
  // module_mutex: held until the session ends (the state is replaced by rename, so the lock
  // is on a file of its own beside it)
  const std::string lock = o.state_path + ".lock";
  s->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (s->lock_fd_ < 0) throw Error(lock + ": " + std::strerror(errno));
  while (::flock(s->lock_fd_, LOCK_EX) != 0)
    if (errno != EINTR) throw Error(lock + ": " + std::strerror(errno));
  kernel::State st = std::filesystem::exists(o.state_path) ? kernel::read_state_file(o.state_path, s->target_)
                                                           : kernel::boot_state(0);
  s->kernel_ = std::make_unique<kernel::EmulatedKernel>(s->target_, std::move(st));
  return s;
}

Session::~Session() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

void Session::save() { kernel::write_state_file(state_path_, kernel_->state(), target_); }

void Session::print_log(std::ostream& err, const kernel::Log& log) const {
  if (!show_kernel_log_) return;
  for (const kernel::LogLine& l : log) err << "kernel: " << l.msg << "\n";
}

}  // namespace modforge::loader::tools
