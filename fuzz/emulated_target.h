// The target the fuzzers of the emulated kernel load into: a small 6.1 or 6.12 with the
// switches Debian's have, a few exports (one GPL-only in a namespace), no files behind it.
#pragma once
#include "loader/kernel/target.h"

namespace modforge::fuzz {

inline loader::kernel::Target emulated_target(Kernel k) {
  using loader::kernel::Export;
  loader::kernel::Target t;
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
  t.exports["usb_register_driver"] = Export{0x1, true, true, "USB"};
  return t;
}

}  // namespace modforge::fuzz
