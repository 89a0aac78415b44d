// Stand-alone depmod (the multi-call binary links depmod_main the same way).
#include <iostream>
#include <sstream>

#include "core/fd_io.h"
#include "loader/depmod/depmod.h"

int main(int argc, char** argv) {
  std::ostringstream out, err;
  const int rc = modforge::loader::depmod::depmod_main(std::vector<std::string>(argv + 1, argv + argc), out, err);
  modforge::write_all(1, out.str());
  modforge::write_all(2, err.str());
  return rc;
}
