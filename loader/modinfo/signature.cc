#include "loader/modinfo/signature.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace modforge::loader::modinfo {

namespace {

constexpr std::string_view kMagic = "~Module signature appended~\n";
// struct module_signature: algo, hash, id_type, signer_len, key_id_len, pad[3], be32 sig_len.
constexpr std::size_t kTrailer = 12;

constexpr std::array<const char*, 9> kHashNames = {"md4", "md5", "sha1", "rmd160", "sha256",
                                                   "sha384", "sha512", "sha224", "sm3"};
constexpr std::array<const char*, 3> kIdTypes = {"PGP", "X509", "PKCS#7"};
constexpr unsigned kAlgoCount = 2;  // DSA, RSA
constexpr unsigned kIdPkcs7 = 2;

// A DER reader just wide enough for the PKCS#7 SignedData that sign-file writes.
struct Der {
  std::string_view rest;
  bool next(uint8_t& tag, std::string_view& content) {
    if (rest.size() < 2) return false;
    tag = static_cast<uint8_t>(rest[0]);
    if ((tag & 0x1f) == 0x1f) return false;  // multi-byte tags never occur here
    std::size_t len = static_cast<uint8_t>(rest[1]), pos = 2;
    if (len & 0x80) {
      const std::size_t n = len & 0x7f;
      if (n == 0 || n > 4 || rest.size() < 2 + n) return false;  // indefinite or huge
      len = 0;
      for (std::size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<uint8_t>(rest[2 + i]);
      pos += n;
    }
    if (rest.size() - pos < len) return false;
    content = rest.substr(pos, len);
    rest.remove_prefix(pos + len);
    return true;
  }
  bool expect(uint8_t want, std::string_view& content) {
    uint8_t tag;
    return next(tag, content) && tag == want;
  }
  // Skips an optional element with tag `tag` if it comes next.
  void skip_optional(uint8_t tag) {
    if (!rest.empty() && static_cast<uint8_t>(rest[0]) == tag) {
      uint8_t t;
      std::string_view c;
      next(t, c);
    }
  }
};

constexpr uint8_t kInteger = 0x02, kOctetString = 0x04, kOid = 0x06, kSequence = 0x30, kSet = 0x31,
                  kContext0 = 0xa0, kContext1 = 0xa1;

std::string oid_dotted(std::string_view oid) {
  std::string out;
  uint64_t v = 0;
  bool first = true;
  for (char c : oid) {
    v = (v << 7) | (static_cast<uint8_t>(c) & 0x7f);
    if (static_cast<uint8_t>(c) & 0x80) continue;
    if (first) {
      const uint64_t a = v < 40 ? 0 : v < 80 ? 1 : 2;
      out.append(std::to_string(a)).append(1, '.').append(std::to_string(v - 40 * a));
      first = false;
    } else {
      out.append(1, '.').append(std::to_string(v));
    }
    v = 0;
  }
  return out;
}

// OBJ_obj2txt(no_name = 0): OpenSSL's long name for the digests a module can be signed
// with, the dotted form otherwise.
std::string digest_name(std::string_view oid) {
  static const std::array<std::pair<const char*, const char*>, 12> kNames = {{
      {"1.2.840.113549.2.5", "md5"},
      {"1.3.14.3.2.26", "sha1"},
      {"2.16.840.1.101.3.4.2.1", "sha256"},
      {"2.16.840.1.101.3.4.2.2", "sha384"},
      {"2.16.840.1.101.3.4.2.3", "sha512"},
      {"2.16.840.1.101.3.4.2.4", "sha224"},
      {"2.16.840.1.101.3.4.2.7", "sha3-224"},
      {"2.16.840.1.101.3.4.2.8", "sha3-256"},
      {"2.16.840.1.101.3.4.2.9", "sha3-384"},
      {"2.16.840.1.101.3.4.2.10", "sha3-512"},
      {"1.2.156.10197.1.401", "sm3"},
      {"1.3.36.3.2.1", "ripemd160"},
  }};
  const std::string dotted = oid_dotted(oid);
  for (const auto& [o, n] : kNames)
    if (dotted == o) return n;
  return dotted;
}

// x509_name_to_str: the first commonName entry; without one, libkmod ends its loop on the
// last entry and returns that entry's value.  The value is used as a C string.
std::optional<std::string> issuer_name(std::string_view name) {
  static constexpr std::string_view kCommonName("\x55\x04\x03", 3);
  Der rdns{name};
  std::string_view rdn, last;
  bool any = false;
  while (rdns.expect(kSet, rdn)) {
    Der avas{rdn};
    std::string_view ava;
    while (avas.expect(kSequence, ava)) {
      Der parts{ava};
      std::string_view oid, value;
      uint8_t tag;
      if (!parts.expect(kOid, oid) || !parts.next(tag, value)) return std::nullopt;
      last = value;
      any = true;
      if (oid == kCommonName) return std::string(value.substr(0, value.find('\0')));
    }
  }
  if (!any) return std::nullopt;
  return std::string(last.substr(0, last.find('\0')));
}

// BN_bn2bin(ASN1_INTEGER_to_BN(serial)): the magnitude, big-endian, no leading zeros.
std::string serial_bytes(std::string_view v) {
  std::string mag(v);
  if (!mag.empty() && (static_cast<uint8_t>(mag[0]) & 0x80)) {  // negative: two's complement
    bool carry = true;
    for (std::size_t i = mag.size(); i-- > 0;) {
      uint8_t b = static_cast<uint8_t>(~static_cast<uint8_t>(mag[i]));
      if (carry) carry = ++b == 0;
      mag[i] = static_cast<char>(b);
    }
  }
  std::size_t z = 0;
  while (z < mag.size() && mag[z] == '\0') ++z;
  return mag.substr(z);
}

std::optional<SignatureInfo> read_pkcs7(std::string_view der) {
  static constexpr std::string_view kSignedData("\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 9);
  Der top{der};
  std::string_view ci, type, explicit0, sd;
  if (!top.expect(kSequence, ci)) return std::nullopt;
  Der c{ci};
  if (!c.expect(kOid, type) || type != kSignedData) return std::nullopt;
  if (!c.expect(kContext0, explicit0)) return std::nullopt;
  Der e{explicit0};
  if (!e.expect(kSequence, sd)) return std::nullopt;
  Der s{sd};
  std::string_view version, algs, content, infos;
  if (!s.expect(kInteger, version) || !s.expect(kSet, algs) || !s.expect(kSequence, content)) return std::nullopt;
  s.skip_optional(kContext0);  // certificates
  s.skip_optional(kContext1);  // crls
  if (!s.expect(kSet, infos)) return std::nullopt;
  Der is{infos};
  std::string_view si;
  if (!is.expect(kSequence, si)) return std::nullopt;
  Der f{si};
  std::string_view siver, ias, issuer, serial, digalg, digoid, encalg, encdigest;
  if (!f.expect(kInteger, siver) || !f.expect(kSequence, ias)) return std::nullopt;
  Der i{ias};
  if (!i.expect(kSequence, issuer) || !i.expect(kInteger, serial)) return std::nullopt;
  if (!f.expect(kSequence, digalg)) return std::nullopt;
  Der d{digalg};
  if (!d.expect(kOid, digoid)) return std::nullopt;
  f.skip_optional(kContext0);  // authenticated attributes
  if (!f.expect(kSequence, encalg) || !f.expect(kOctetString, encdigest)) return std::nullopt;

  SignatureInfo info;
  info.id_type = kIdTypes[kIdPkcs7];
  info.signature = std::string(encdigest);
  info.key_id = serial_bytes(serial);
  if (auto n = issuer_name(issuer)) info.signer = *n;
  info.hash_algo = digest_name(digoid);
  return info;
}

}  // namespace

std::optional<SignatureInfo> read_signature(std::string_view image) {
  if (image.size() < kMagic.size()) return std::nullopt;
  std::size_t size = image.size() - kMagic.size();
  if (image.substr(size) != kMagic) return std::nullopt;
  if (size < kTrailer) return std::nullopt;
  size -= kTrailer;
  const auto* t = reinterpret_cast<const uint8_t*>(image.data() + size);
  const unsigned algo = t[0], hash = t[1], id_type = t[2], signer_len = t[3], key_id_len = t[4];
  const uint32_t sig_len = (uint32_t{t[8]} << 24) | (uint32_t{t[9]} << 16) | (uint32_t{t[10]} << 8) | t[11];
  if (algo >= kAlgoCount || hash >= kHashNames.size() || id_type >= kIdTypes.size()) return std::nullopt;
  if (sig_len == 0 || size < uint64_t{sig_len} + signer_len + key_id_len) return std::nullopt;
  if (id_type == kIdPkcs7) return read_pkcs7(image.substr(size - sig_len, sig_len));

  SignatureInfo info;
  info.id_type = kIdTypes[id_type];
  info.hash_algo = kHashNames[hash];
  size -= sig_len;
  info.signature = std::string(image.substr(size, sig_len));
  size -= key_id_len;
  info.key_id = std::string(image.substr(size, key_id_len));
  size -= signer_len;
  info.signer = std::string(image.substr(size, signer_len));
  return info;
}

std::string hex_lines(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 3 + bytes.size() / 20 * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
    if (i + 1 < bytes.size()) {
      out += ':';
      if ((i + 1) % 20 == 0) out += "\n\t\t";
    }
  }
  return out;
}

}  // namespace modforge::loader::modinfo
