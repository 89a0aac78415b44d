// check load's reasons on arbitrary bytes: the emulated kernel's verdict, then every static
// reason (vermagic fields, sizes, CRCs, symbols) read from whatever the bytes hold, and the
// merge of the two — never a crash.  The first byte picks the version; the rest is the image.
#include <cstdint>
#include <string>

#include "abi/reasons.h"
#include "abi/vermagic_fields.h"
#include "core/error.h"
#include "fuzz/emulated_target.h"
#include "loader/kernel/state_file.h"

using namespace modforge;
using namespace modforge::loader::kernel;


extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Target t61 = fuzz::emulated_target(Kernel::v6_1), t612 = fuzz::emulated_target(Kernel::v6_12);
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
