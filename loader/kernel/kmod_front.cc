#include "loader/kernel/kmod_front.h"

#include <cerrno>
#include <cstring>

#include "core/decompress.h"
#include "core/input.h"

namespace modforge::loader::kernel {

std::string read_module_image(const std::string& path) {
  Input in = Input::from_path(path);
  return decompress(in.bytes(), path);
}

namespace {
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

CommandResult kmod_insmod(EmulatedKernel& k, const std::string& display, std::string_view image,
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

CommandResult kmod_rmmod(EmulatedKernel& k, const std::string& name, bool force) {
  CommandResult r;
  r.outcome.name = name;
  if (!force) {
    const LoadedModule* m = k.find(name);
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
  r.outcome = k.delete_module(name, kDeleteNonblock | (force ? kDeleteForce : 0));
  if (r.outcome.err) {
    r.rc = 1;
    r.stderr_text = "rmmod: ERROR: could not remove module " + name + ": " + std::strerror(r.outcome.err) + "\n";
  }
  return r;
}

std::string errno_name(int err) {
  switch (err) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case ENOEXEC: return "ENOEXEC";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case ERANGE: return "ERANGE";
    case ENODATA: return "ENODATA";
    case ENOPKG: return "ENOPKG";
    case EBADMSG: return "EBADMSG";
    case ENOKEY: return "ENOKEY";
    case EKEYREJECTED: return "EKEYREJECTED";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case EACCES: return "EACCES";
    case ENOTTY: return "ENOTTY";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "E" + std::to_string(err);
  }
}

}  // namespace modforge::loader::kernel
