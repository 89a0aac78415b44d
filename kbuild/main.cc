// modforge: the one command over the toolchain.  `modforge build` replaces
// `make -C <tree> M=$PWD modules`.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "kbuild/command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return modforge::kbuild::modforge_main(args);
}
