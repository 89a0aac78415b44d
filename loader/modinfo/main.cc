// modforge-modinfo: kmod 30's modinfo as a program of its own (the tests and the bench run
// it; the multi-call kmod binary calls modinfo_main the same way).  Unlike the other mains
// (core/tool_main.h) it streams: a run over a whole tree prints megabytes.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "loader/modinfo/modinfo.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  // Standard error unbuffered as in C; standard output in large blocks.
  static char buf[1 << 16];
  std::cout.rdbuf()->pubsetbuf(buf, sizeof buf);
  const int rc = modforge::loader::modinfo::modinfo_main(args, std::cout, std::cerr);
  std::cout.flush();
  return rc;
}
