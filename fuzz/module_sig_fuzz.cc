// The module-signature check (loader/kernel/module_sig_verify) on arbitrary bytes: as the
// PKCS#7 blob of a fixed module, with no trusted key and with the same bytes taken as a
// trusted certificate too, and as a whole module image for module_signer_id.  An errno and
// a ModuleSignature, never a crash.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loader/kernel/module_sig_verify.h"

using namespace modforge;
using namespace modforge::loader::kernel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  static const std::string module(4096, '\x7f');
  for (const Kernel k : {Kernel::v6_1, Kernel::v6_12}) {
    ModuleSignature sig;
    Log log;
    int e = verify_module_signature(k, module, bytes, {}, sig, log);
    if (e > 0 || e == 0) std::abort();  // nothing verifies without a key
    e = verify_module_signature(k, module, bytes, {bytes}, sig, log);
    if (e > 0) std::abort();
    (void)module_signer_id(k, bytes + std::string("~Module signature appended~\n"));
  }
  return 0;
}
