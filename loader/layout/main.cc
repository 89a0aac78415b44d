#include <iostream>

#include "loader/layout/sizes_cli.h"

int main(int argc, char** argv) {
  return modforge::loader::layout::layout_sizes_main(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
