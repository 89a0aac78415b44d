// module_sig_check() of kernel/module/signing.c with mod_verify_sig()'s format checks; the PKCS#7
// check itself is module_sig_verify.cc's.
#include <cerrno>
#include <string>

#include "loader/kernel/load_passes.h"
#include "loader/kernel/module_sig_verify.h"

namespace modforge::loader::kernel {

namespace {
constexpr std::string_view kSigMarker = "~Module signature appended~\n";
constexpr uint64_t kModuleSigSize = 12;  // struct module_signature
constexpr uint8_t kPkeyIdPkcs7 = 2;
}  // namespace

int module_sig_check(LoadInfo& li) {
  if (!li.target.module_sig) return 0;  // !CONFIG_MODULE_SIG: internal.h's stub
  const uint64_t marker = kSigMarker.size();
  std::string_view b = li.m.image.bytes();
  int err = -ENODATA;
  const bool mangled = li.flags & (kIgnoreModversions | kIgnoreVermagic);
  if (!mangled && b.size() > marker && b.substr(b.size() - marker) == kSigMarker) {
    uint64_t len = b.size() - marker;
    li.m.image.set_len(len);
    // mod_verify_sig(): struct module_signature at the end, then the PKCS#7 blob.
    if (len <= kModuleSigSize) {
      err = -EBADMSG;
    } else {
      std::string_view ms = b.substr(len - kModuleSigSize, kModuleSigSize);
      uint32_t sig_len = (uint32_t(uint8_t(ms[8])) << 24) | (uint32_t(uint8_t(ms[9])) << 16) |
                         (uint32_t(uint8_t(ms[10])) << 8) | uint8_t(ms[11]);
      if (sig_len >= len - kModuleSigSize) {
        err = -EBADMSG;
      } else if (uint8_t(ms[2]) != kPkeyIdPkcs7) {
        li.log(kErr, "module: not signed with expected PKCS#7 message");
        err = -ENOPKG;
      } else if (ms[0] || ms[1] || ms[3] || ms[4] || ms[5] || ms[6] || ms[7]) {
        li.log(kErr, "module: PKCS#7 signature info has unexpected non-zero params");
        err = -EBADMSG;
      } else {
        // info->len loses the signature before verify_pkcs7_signature(), whatever it says
        const uint64_t body = len - sig_len - kModuleSigSize;
        li.m.image.set_len(body);
        const size_t lines = li.out.log.size();
        const Target& t = li.target;
        err = t.keyring && keyring_certs(*t.keyring) == t.trusted_certs.size()
                  ? verify_module_signature(t.version, b.substr(0, body), b.substr(body, sig_len), *t.keyring,
                                            li.out.signature, li.out.log)
                  : verify_module_signature(t.version, b.substr(0, body), b.substr(body, sig_len), t.trusted_certs,
                                            li.out.signature, li.out.log);
        // No trusted key matched, yet the signer is the one of the target's own modules: its
        // certificate is built into the kernel image, which was not read (a headers tree of a
        // kernel not installed here).  The kernel has that key, so the signature is taken as
        // valid, unchecked (a changed module signed by that key is the one thing misjudged).
        ModuleSignature& sig = li.out.signature;
        if (err == -ENOKEY && !sig.id.empty() && sig.id == li.target.shipped_signer) {
          li.out.log.resize(lines);
          sig.assumed = true;
          sig.err = err = 0;
        }
        if (!err) {
          li.m.sig_ok = true;
          return 0;
        }
      }
    }
    li.out.signature.present = true;
    li.out.signature.err = err;
  }
  if (err != -ENODATA && err != -ENOPKG && err != -ENOKEY) return err;
  if (li.target.sig_force) {
    li.log(kNotice, std::string("Loading of ") +
                        (err == -ENODATA ? "unsigned module" : err == -ENOPKG ? "module with unsupported crypto"
                                                                             : "module with unavailable key") +
                        " is rejected");
    return -EKEYREJECTED;
  }
  return 0;
}

}  // namespace modforge::loader::kernel
