// The saved-state reader on arbitrary text: a state or a one-line Error, never a crash;
// what it accepts writes back byte for byte.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "loader/kernel/state_file.h"

using namespace modforge;
using namespace modforge::loader::kernel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target t = [] {
    Target x;
    x.version = Kernel::v6_1;
    x.release = "6.1.0-56-amd64";
    return x;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    State s = parse_state(text, "state", t);
    if (format_state(s, t) != text) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
