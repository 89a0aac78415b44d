// The PKCS#7 check of a module signature, as mod_verify_sig() makes it after the format checks:
// verify_pkcs7_signature(VERIFY_USE_SECONDARY_KEYRING, VERIFYING_MODULE_SIGNATURE), then on
// ENOKEY again with the platform keyring (certs/system_keyring.c, crypto/asymmetric_keys/
// pkcs7_{parser,verify,trust}.c of 6.1 and 6.12).  The kernel's order, which decides the errno:
//  1. parse the message: malformed DER -> EBADMSG; not signedData, a version or a data type it
//     does not take -> EINVAL; a digest or public-key algorithm it has no name for -> ENOPKG;
//  2. data inside the message (not detached) -> EBADMSG; not pkcs7-data, or authenticated
//     attributes (a module signature has none) -> EKEYREJECTED;
//  3. per signer: digest the module (an unknown hash -> that signer is "unsupported"); a
//     certificate of the message that matches the signer checks the signature at once
//     (EKEYREJECTED on a mismatch); every signer unsupported -> ENOPKG;
//  4. trust: a trusted key whose issuer+serial or subjectKeyIdentifier is the signer's id,
//     then the signature checked with it (EKEYREJECTED on a mismatch); no such key -> ENOKEY.
// So a module signed without embedded certificates (sign-file's, Debian's) whose body was
// changed is EKEYREJECTED only when the key is known: without the key it is ENOKEY, as a valid
// signature by an unknown key is.  The crypto is OpenSSL's (libcrypto).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/kernel.h"
#include "loader/kernel/log.h"

namespace modforge::loader::kernel {

// What a module's signature says and what verified it (for check load's report).
struct ModuleSignature {
  bool present = false;      // a well-formed trailer with a PKCS#7 blob was there
  std::string signer;        // the issuer's CN (issuer+serial signers), else the issuer line
  std::string issuer;        // the issuer name, one line (issuer+serial signers)
  std::string key_id;        // serial (issuer+serial) or subjectKeyIdentifier, "AB:CD:..."
  bool key_id_is_skid = false;
  std::string hash_algo;     // the kernel's name: "sha256", ...
  std::string pkey_algo;     // "rsa", "ecdsa", ...
  int trusted_cert = -1;     // index into the trusted certificates of the key that verified it
  std::string trusted_subject;  // that certificate's subject
  int err = 0;               // the PKCS#7 check's negative errno (0: verified)
  std::string id;            // the kernel's id of the signer's key (auth_ids[0]'s bytes)
  // Taken as verified without the key: signed by the key of the target's own modules while
  // the target's built-in certificates are unknown (no kernel image read).  See signing.cc.
  bool assumed = false;
};

// mod_verify_sig()'s verify_pkcs7_signature() calls for kernel `version`: `module` is the image
// without its signature trailer, `blob` the PKCS#7 message, the DER X.509 `trusted`
// certificates the keyrings (the built-in ones, then those a user enrolled).  Returns 0 or the
// negative errno, fills `sig` and appends the kernel's log lines.  Certificates that do not
// parse are skipped, as the kernel skips those it cannot load.
int verify_module_signature(Kernel version, std::string_view module, std::string_view blob,
                            const std::vector<std::string>& trusted, ModuleSignature& sig, Log& log);
// The same against certificates parsed once (make_keyring), as a target checking many modules
// does: parsing a certificate's public key is most of a signature check's cost.
struct Keyring;
std::shared_ptr<const Keyring> make_keyring(const std::vector<std::string>& trusted);
std::size_t keyring_certs(const Keyring& k);  // how many certificates it was made from
int verify_module_signature(Kernel version, std::string_view module, std::string_view blob, const Keyring& ring,
                            ModuleSignature& sig, Log& log);

// The id of the key that signed a module `image` (with its trailer), as ModuleSignature::id;
// empty when it is unsigned or its signature does not parse.
std::string module_signer_id(Kernel version, std::string_view image);

// The certificates of a file (DER, or PEM as `openssl req` writes by default, one or more) as
// DER, for Target::trusted_certs.  Throws Error("<path>: <cause>").
std::vector<std::string> read_certificates(const std::string& path);

}  // namespace modforge::loader::kernel
