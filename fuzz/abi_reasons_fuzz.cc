// check load's reasons on arbitrary bytes: the emulated kernel's verdict, then every static
// reason (vermagic fields, sizes, CRCs, symbols) read from whatever the bytes hold, and the
// merge of the two — never a crash.  The first byte picks the version; the rest is the image.
#include <cstdint>
#include <string>

#include "abi/reasons.h"
#include "abi/vermagic_fields.h"
#include "core/error.h"
#include "loader/kernel/state_file.h"

using namespace modforge;
using namespace modforge::loader::kernel;

namespace {
Target make_target(Kernel k) {
  Target t;
  t.version = k;
  t.release = k == Kernel::v6_1 ? "6.1.0-56-amd64" : "6.12.117+deb12-amd64";
  t.vermagic = t.release + " SMP preempt mod_unload modversions ";
  t.modversions = t.module_unload = t.module_sig = true;
  t.this_module_size = k == Kernel::v6_1 ? 0x380 : 0x500;
  t.dot_config = "CONFIG_SMP=y\nCONFIG_MODULE_UNLOAD=y\nCONFIG_STRICT_MODULE_RWX=y\nCONFIG_KALLSYMS=y\n";
  t.exports["module_layout"] = Export{0x9060323f, true, false, ""};
  t.exports["_printk"] = Export{0x92997ed8, true, false, ""};
  t.exports["usb_register_driver"] = Export{0x1, true, true, "USB"};
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target t61 = make_target(Kernel::v6_1), t612 = make_target(Kernel::v6_12);
  if (size < 1) return 0;
  const Target& t = (data[0] & 1) ? t612 : t61;
  std::string image(reinterpret_cast<const char*>(data + 1), size - 1);
  EmulatedKernel k(t, boot_state(0));
  Outcome o = k.init_module(image, "");
  std::vector<abi::Reason> reasons;
  try {
    auto ko = loader::kmod::KoFile::from_bytes(image, "fuzz.ko");
    abi::ProviderLookup none = [](std::string_view) { return abi::ProviderInfo{}; };
    reasons = abi::find_reasons(ko, t, k.state(), none);
    if (auto m = ko.modinfo_value("vermagic")) (void)abi::vermagic_differences(*m, t.vermagic);
  } catch (const Error&) {
  }
  abi::merge_outcome(reasons, o, t);
  return 0;
}
