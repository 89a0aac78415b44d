// Would a DKMS package's modules load into a kernel?  Our emulated kernel's verdict
// (loader/kernel), reached as `modprobe <module>` would reach it on that kernel after
// `dkms install`: the package's modules are put in a module directory beside the kernel
// modules they need (from the target's shipped modules), indexed by our depmod, and
// modprobe (loader/tools, over the emulated kernel) loads each with its dependencies in
// depmod's order, into one freshly booted kernel.
#pragma once
#include <string>
#include <vector>

namespace modforge::kbuild {

struct LoadModule {
  std::string name;  // the module's name (DEST_MODULE_NAME)
  std::string path;  // the .ko to install
};

struct LoadRequest {
  std::string tree;         // the headers tree: the target (exports, CRCs, vermagic, config)
  std::string release;      // its kernel release
  std::string modules_dir;  // the kernel's shipped lib/modules/<release>, "" for the loader's default
  std::string work;         // a directory of our own: the module directory is made under it
  std::vector<LoadModule> modules;  // in BUILT_MODULE_NAME order
};

struct LoadVerdict {
  std::string name;
  bool loads = false;
  std::string reason;  // why not (the errno, the kernel's first error line, modprobe's message)
  std::vector<std::string> loaded_first;  // kernel modules modprobe loaded before it
};

// One verdict per module of `r`, in its order.  Throws Error when the target cannot be read.
std::vector<LoadVerdict> check_loads(const LoadRequest& r);

}  // namespace modforge::kbuild
