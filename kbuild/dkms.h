// `modforge dkms build SRC [--kernel DIR ...]`: a DKMS package (/usr/src/<package>-<version>
// with its dkms.conf) built as dkms 3.0.10 builds it, for several kernels at once, with a
// report of what was built and whether each module would load (our emulated kernel).
//
// Per kernel (release R, arch A = uname -m) the layout is dkms's own, with BUILD_ROOT/R as
// that kernel's dkms_tree (so the kernels never share a build directory, and a real
// `dkms --dkmstree BUILD_ROOT/R` builds at the very same paths):
//   BUILD_ROOT/R/<PACKAGE_NAME>/<PACKAGE_VERSION>/build          a copy of SRC, where MAKE runs
//   BUILD_ROOT/R/<PACKAGE_NAME>/<PACKAGE_VERSION>/R/A/log/make.log   the build's output
//   BUILD_ROOT/R/<PACKAGE_NAME>/<PACKAGE_VERSION>/R/A/module/<DEST_MODULE_NAME>.ko
//       what dkms would install: `strip -g` unless STRIP[i]=no (not signed, not compressed)
// A MAKE line of the usual form (make -C ${kernel_source_dir} M=... VAR=...) is built by the
// driver in-process; its build directory is kept between runs (the driver rebuilds exactly
// what changed).  Any other line runs as dkms runs it (bash, in a fresh copy, after CLEAN),
// with our genksyms and modpost put into every make it starts (MAKEFLAGS).
#pragma once
#include <string>
#include <vector>

namespace modforge::kbuild {

// args: what follows `modforge dkms`.  Returns the exit code (see --help).
int cmd_dkms(const std::vector<std::string>& args);

}  // namespace modforge::kbuild
