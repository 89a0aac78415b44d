#include "loader/tools/session.h"

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "loader/kernel/state_file.h"

namespace modforge::loader {

bool take_session_options(std::vector<std::string>& args, SessionOptions& o, std::string& error) {
  if (const char* s = std::getenv("MODFORGE_STATE")) o.state_path = s;
  if (const char* t = std::getenv("MODFORGE_TARGET")) o.target_dir = t;
  // the version is the target's unless --kernel or MODFORGE_KERNEL name one
  Kernel k = Kernel::v6_12;
  const char* env = std::getenv("MODFORGE_KERNEL");
  bool named = env != nullptr;
  for (const std::string& a : args)
    if (a == "--kernel" || a.rfind("--kernel=", 0) == 0) named = true;
  if (!take_kernel_option(args, env, k, error)) return false;
  if (named) o.version = k;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto take = [&](const std::string& opt, std::string& into) {
      if (a == opt && i + 1 < args.size()) {
        into = args[++i];
        return true;
      }
      if (a.rfind(opt + "=", 0) == 0) {
        into = a.substr(opt.size() + 1);
        return true;
      }
      return false;
    };
    if (take("--state", o.state_path) || take("--target", o.target_dir)) continue;
    rest.push_back(a);
  }
  args.swap(rest);
  return true;
}

std::unique_ptr<Session> Session::open(const SessionOptions& o) {
  if (o.target_dir.empty())
    throw Error("no target kernel: set MODFORGE_TARGET or --target to a headers tree or lib/modules/<release>");
  if (o.state_path.empty()) throw Error("no state file: set MODFORGE_STATE or --state to a file");
  std::unique_ptr<Session> s(new Session);
  s->state_path_ = o.state_path;
  s->target_ = kernel::load_target(o.target_dir, o.version);
  kernel::State st = std::filesystem::exists(o.state_path) ? kernel::read_state_file(o.state_path, s->target_)
                                                           : kernel::boot_state(0);
  s->kernel_ = std::make_unique<kernel::EmulatedKernel>(s->target_, std::move(st));
  return s;
}

void Session::save() { kernel::write_state_file(state_path_, kernel_->state(), target_); }

}  // namespace modforge::loader
