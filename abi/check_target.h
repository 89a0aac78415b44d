// A kernel `modforge check load` checks against (--kernel): a headers tree, an unpacked
// lib/modules/<release>, or a Debian kernel image package (.deb, unpacked on the fly into
// a temporary directory removed with the target).  Beside the emulated kernel's Target it
// keeps what dependency resolution needs: which of the target's own modules exports what,
// and where each of them is.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loader/kernel/target.h"

namespace modforge::abi {

struct CheckOptions {
  std::vector<std::string> key_files;  // --key: certificates (PEM or DER) the kernel trusts too
  bool enforce = false;                // --enforce: module.sig_enforce=1 / lockdown
};

// A directory removed (recursively) when the owner goes.
class TempDir {
public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

// A Debian package unpacked into `dir` (dpkg-deb -x); also `check abi`'s headers packages.
// `members`: only the files matching these tar wildcards ("./usr/src/*/Module.symvers";
// '*' stays within one directory), when not empty.
// Throws Error("<deb>: cannot unpack the package (dpkg-deb: ...)").
void extract_deb(const std::string& deb, const TempDir& dir, const std::vector<std::string>& members = {});

struct TargetModule {
  std::string path;  // the file ("" when only Module.symvers names it)
  std::vector<std::string> symvers_exports;  // from Module.symvers, when no file
};

struct CheckTarget {
  std::string given;  // as the user named it
  loader::kernel::Target target;
  std::unique_ptr<TempDir> unpacked;  // a .deb's contents
  // The target's own modules by name, and which of them exports a symbol (vmlinux's
  // exports are in target.exports).
  std::unordered_map<std::string, TargetModule, loader::kernel::XxHash> modules;
  std::unordered_map<std::string, std::string, loader::kernel::XxHash> symbol_owner;
  // Module.symvers rows of the target's modules (name -> exports with CRCs), when the
  // target has one: a module the target names but does not ship is loaded from these.
  std::unordered_map<std::string, std::vector<std::pair<std::string, loader::kernel::Export>>, loader::kernel::XxHash>
      symvers_modules;
};

// `modules_dir`: the target's shipped modules (lib/modules/<release>) when the user names
// them; else the target's own, else /lib/modules/<release>.  Throws Error("<arg>: <cause>")
// when the target cannot be read.
CheckTarget open_check_target(const std::string& arg, const CheckOptions& o, const std::string& modules_dir = "");

}  // namespace modforge::abi
