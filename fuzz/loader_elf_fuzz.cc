// The emulated kernel's load_module on arbitrary bytes, for both versions' rules: every
// input gets a verdict (an errno and log lines), never a crash.  The first byte picks the
// version and the finit_module flags; the rest is the module image.
#include <cstdint>
#include <string_view>

#include "loader/kernel/kernel.h"
#include "loader/kernel/state_file.h"

using namespace modforge;
using namespace modforge::loader::kernel;

namespace {
Target make_target(Kernel k) {
  Target t;
  t.version = k;
  t.release = k == Kernel::v6_1 ? "6.1.0-56-amd64" : "6.12.117+deb12-amd64";
  t.vermagic = t.release + " SMP preempt mod_unload modversions ";
  t.modversions = t.module_unload = t.force_load = t.force_unload = t.module_sig = t.livepatch = true;
  t.strict_module_rwx = true;
  t.this_module_size = k == Kernel::v6_1 ? 0x380 : 0x500;
  t.dot_config = "CONFIG_SMP=y\nCONFIG_MODULE_UNLOAD=y\nCONFIG_STRICT_MODULE_RWX=y\nCONFIG_KALLSYMS=y\n";
  t.exports["module_layout"] = Export{0x9060323f, true, false, ""};
  t.exports["_printk"] = Export{0x92997ed8, true, false, ""};
  t.exports["param_ops_int"] = Export{0x1, true, false, ""};
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target t61 = make_target(Kernel::v6_1), t612 = make_target(Kernel::v6_12);
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
