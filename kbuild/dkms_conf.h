// A DKMS package's dkms.conf as dkms 3.0.10 (Debian 12) reads it for one kernel.  dkms.conf
// is bash: it is sourced by bash (a subprocess with dkms's variables set), never parsed here;
// dkms's read_conf post-processing (defaults, MAKE_MATCH, BUILD_EXCLUSIVE_*) runs in that
// same bash script, and only the results come back (NUL-separated).
#pragma once
#include <string>
#include <vector>

namespace modforge::kbuild {

// What dkms sets before it sources dkms.conf (read_conf: kernelver, arch; globals:
// kernel_source_dir, kernel_config, dkms_tree, source_tree, install_tree, module,
// module_version).
struct DkmsVars {
  std::string kernelver;          // the tree's release
  std::string arch;               // uname -m
  std::string kernel_source_dir;  // the tree as named (dkms: /lib/modules/$kernelver/build)
  std::string dkms_tree;          // the build root of this kernel (dkms: /var/lib/dkms)
  std::string source_tree;        // the directory holding <package>-<version> (dkms: /usr/src)
  std::string module, module_version;  // from a first reading's PACKAGE_NAME/PACKAGE_VERSION
};

struct DkmsModule {
  std::string built_name;      // BUILT_MODULE_NAME[i] (or PACKAGE_NAME, dkms's default)
  std::string built_location;  // BUILT_MODULE_LOCATION[i], "" or ending in '/'
  std::string dest_name;       // DEST_MODULE_NAME[i], default built_name
  std::string dest_location;   // DEST_MODULE_LOCATION[i] (/kernel..., /updates..., /extra...)
  bool strip = true;           // STRIP[i] (dkms runs strip -g unless "no")
};

struct DkmsConf {
  std::string package_name, package_version;
  std::string make_command;  // the MAKE line dkms picked for the kernel, before its -j/KERNELRELEASE prefix
  std::string clean;         // CLEAN, or dkms's default
  std::string autoinstall;   // AUTOINSTALL as written
  std::string exclude;       // why BUILD_EXCLUSIVE_* rule the kernel out; empty: it builds
  std::string cc;            // the CC dkms exports (from the tree's .kernelvariables), "" for unset
  std::vector<DkmsModule> modules;
};

// Reads `conf` (a dkms.conf) for one kernel: sourced by bash twice, first to learn
// PACKAGE_NAME/PACKAGE_VERSION (dkms's $module/$module_version), then with them set.
// Throws Error with dkms's own "dkms.conf: Error! ..." lines on what dkms refuses, and for
// what this command does not run (PATCH, PRE_BUILD, POST_BUILD).
DkmsConf read_dkms_conf(const std::string& conf, DkmsVars vars);

// dkms's actual_build: "make" at the start of the line becomes
// "make -j<jobs> KERNELRELEASE=<kernelver>".
std::string dkms_make_line(const std::string& make_command, int jobs, const std::string& kernelver);

// A MAKE line of the usual form, `make [-jN] -C <the tree> M=<dir> [VAR=VALUE ...] [modules]`
// and nothing else (no other option, target or shell syntax): what the driver builds itself.
struct DirectMake {
  std::string module_dir;         // M=, absolute
  std::vector<std::string> vars;  // the other VAR=VALUE, in the line's order
};
// nullopt-like: ok == false when the line needs a shell (it then runs through bash).
struct DirectMakeResult {
  bool ok = false;
  std::string why;  // when !ok: what made it a shell line
  DirectMake make;
};
DirectMakeResult direct_make(const std::string& line, const std::string& tree_objtree);

}  // namespace modforge::kbuild
