// layout-sizes: the layout's sizes of .ko files (see sizes_cli.h).
#include "core/tool_main.h"
#include "loader/layout/sizes_cli.h"

int main(int argc, char** argv) {
  return modforge::ostream_tool_main({argv, argv + argc}, modforge::loader::layout::layout_sizes_main);
}
