// The signature appended to a module (scripts/sign-file's layout) as libkmod 30 reports it
// with OpenSSL: signer's common name, serial number, digest name and signature bytes read
// from the PKCS#7 message, or the raw fields of the older PGP/X.509 layouts.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace modforge::loader::modinfo {

struct SignatureInfo {
  std::string id_type;     // "PKCS#7", "X509", "PGP"
  std::string signer;
  std::string key_id;      // raw bytes
  std::string hash_algo;   // "sha256", or the OID in dotted form when it has no name
  std::string signature;   // raw bytes
};

// nullopt when the file carries no signature libkmod accepts.
std::optional<SignatureInfo> read_signature(std::string_view image);

// "01:23:AB:..." with a line break and two tabs after every 20 bytes, as modinfo shows keys
// and signatures.
std::string hex_lines(std::string_view bytes);

}  // namespace modforge::loader::modinfo
