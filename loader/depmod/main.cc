// Stand-alone depmod (the multi-call binary links depmod_main the same way).
#include "core/tool_main.h"
#include "loader/depmod/depmod.h"

int main(int argc, char** argv) {
  return modforge::ostream_tool_main({argv, argv + argc}, modforge::loader::depmod::depmod_main);
}
