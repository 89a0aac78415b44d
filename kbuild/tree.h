// A kernel build tree (a Debian headers tree or a full objtree): where it is, which kernel
// version's rules apply, and how a user names it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/kernel.h"

namespace modforge::kbuild {

struct Tree {
  std::string objtree;  // absolute, symlinks resolved (what `make -C` enters)
  std::string release;  // UTS_RELEASE: what uname -r says under that kernel
  Kernel kernel;
};

// Opens the tree at `dir`.  Throws Error naming the directory and what is missing.
Tree open_tree(const std::string& dir);

// `--kernel` values, else /lib/modules/$(uname -r)/build, else the newest
// /usr/src/linux-headers-* tree; throws Error naming the Debian package to install.
std::vector<Tree> find_trees(const std::vector<std::string>& named);

}  // namespace modforge::kbuild
