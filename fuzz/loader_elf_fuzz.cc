// The emulated kernel's load_module on arbitrary bytes, for both versions' rules: every
// input gets a verdict (an errno and log lines), never a crash.  The first byte picks the
// version and the finit_module flags; the rest is the module image.
#include <cstdint>
#include <string_view>

#include "loader/kernel/kernel.h"
#include "fuzz/emulated_target.h"
#include "loader/kernel/state_file.h"

using namespace modforge;
using namespace modforge::loader::kernel;


extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target t61 = fuzz::emulated_target(Kernel::v6_1), t612 = fuzz::emulated_target(Kernel::v6_12);
  if (size < 1) return 0;
  const Target& t = (data[0] & 1) ? t612 : t61;
  const int flags = (data[0] >> 1) & 3;
  std::string_view image(reinterpret_cast<const char*>(data + 1), size - 1);
  EmulatedKernel k(t, boot_state(0));
  Outcome o = k.init_module(image, "a=1 b c=\"x y\" arr=1,2", flags);
  if (o.err == 0) {
    (void)proc_modules(k.state());
    const std::string name = k.state().modules.front().name;
    (void)parse_state(format_state(k.state(), t), "state", t);
    (void)k.delete_module(name);
  }
  return 0;
}
