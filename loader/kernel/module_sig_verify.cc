// verify_pkcs7_signature() for module signatures (see module_sig_verify.h), step by step as
// pkcs7_parse_message(), pkcs7_verify() and pkcs7_validate_trust() take them.  OpenSSL parses
// (d2i_PKCS7; CMS for the subjectKeyIdentifier signers sign-file -k makes, which PKCS7 cannot
// hold), digests and verifies; the kernel's checks between those steps are made here.
#include "loader/kernel/module_sig_verify.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <memory>
#include <optional>

#include "core/error.h"

namespace modforge::loader::kernel {

namespace {

template <auto F>
struct Free {
  template <class T>
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Free<X509_free>>;

// An asymmetric_key_id: issuer+serial as the DER of the serial then of the issuer name (the
// kernel concatenates their contents; equal contents are equal encodings), or a SKID's bytes.
using KeyId = std::optional<std::string>;

template <class T, class I2d>
std::string der(const T* v, I2d i2d) {
  unsigned char* out = nullptr;
  int n = v ? i2d(v, &out) : -1;
  if (n < 0) return {};
  std::string s(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return s;
}
std::string octets(const ASN1_STRING* o) {
  return o ? std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(o)), ASN1_STRING_length(o)) : "";
}
KeyId issuer_serial(const X509_NAME* issuer, const ASN1_INTEGER* serial) {
  if (!issuer || !serial) return std::nullopt;
  return der(serial, i2d_ASN1_INTEGER) + der(issuer, i2d_X509_NAME);
}
std::string hex_colons(std::string_view b) {
  std::string s;
  char h[4];
  for (unsigned char c : b) {
    std::snprintf(h, sizeof h, s.empty() ? "%02X" : ":%02X", c);
    s += h;
  }
  return s;
}
// The serial as modinfo shows a key id: its INTEGER's content bytes.
std::string serial_hex(const ASN1_INTEGER* serial) {
  const std::string d = der(serial, i2d_ASN1_INTEGER);
  return d.size() > 2 ? hex_colons(std::string_view(d).substr(2)) : "";
}
std::string oneline(const X509_NAME* n) {
  if (!n) return "";
  char buf[512];
  X509_NAME_oneline(n, buf, sizeof buf);
  return buf;
}
std::string common_name(const X509_NAME* n) {
  char buf[256];
  if (!n || X509_NAME_get_text_by_NID(n, NID_commonName, buf, sizeof buf) < 0) return oneline(n);
  return buf;
}
std::string oid_text(const ASN1_OBJECT* o) {
  char buf[128];
  if (!o || OBJ_obj2txt(buf, sizeof buf, o, 1) <= 0) return "";
  return buf;
}
// A one-byte INTEGER's value (the kernel takes versions only as one content byte), else -1.
int small_version(const ASN1_INTEGER* v) {
  if (!v || ASN1_STRING_length(v) != 1 || ASN1_STRING_type(v) != V_ASN1_INTEGER) return -1;
  return ASN1_STRING_get0_data(v)[0];
}

constexpr const char* kMsIndirectData = "1.3.6.1.4.1.311.2.1.4";
constexpr const char* kMsStatementType = "1.3.6.1.4.1.311.2.1.11";
constexpr const char* kMsSpOpusInfo = "1.3.6.1.4.1.311.2.1.12";

// pkcs7_sig_note_digest_algo(): the hash names each version knows.
const char* hash_name(Kernel k, int nid) {
  switch (nid) {
    case NID_sha1: return "sha1";
    case NID_sha256: return "sha256";
    case NID_sha384: return "sha384";
    case NID_sha512: return "sha512";
    case NID_sha224: return "sha224";
    case NID_sm3: return "sm3";
    case NID_id_GostR3411_2012_256: return "streebog256";
    case NID_id_GostR3411_2012_512: return "streebog512";
    case NID_md4: return per_kernel<const char*>(k, "md4", nullptr);
    case NID_md5: return per_kernel<const char*>(k, "md5", nullptr);
    case NID_sha3_256: return per_kernel<const char*>(k, nullptr, "sha3-256");
    case NID_sha3_384: return per_kernel<const char*>(k, nullptr, "sha3-384");
    case NID_sha3_512: return per_kernel<const char*>(k, nullptr, "sha3-512");
    default: return nullptr;
  }
}
// pkcs7_sig_note_pkey_algo()
const char* pkey_name(Kernel k, int nid) {
  switch (nid) {
    case NID_rsaEncryption: return "rsa";
    case NID_ecdsa_with_SHA1:
    case NID_ecdsa_with_SHA224:
    case NID_ecdsa_with_SHA256:
    case NID_ecdsa_with_SHA384:
    case NID_ecdsa_with_SHA512: return "ecdsa";
    case NID_ecdsa_with_SHA3_256:
    case NID_ecdsa_with_SHA3_384:
    case NID_ecdsa_with_SHA3_512: return per_kernel<const char*>(k, nullptr, "ecdsa");
    case NID_id_GostR3410_2012_256:
    case NID_id_GostR3410_2012_512: return "ecrdsa";
    case NID_SM2_with_SM3: return per_kernel<const char*>(k, "sm2", nullptr);
    default: return nullptr;
  }
}

struct Signer {
  int version = -1;
  bool by_skid = false;
  KeyId id;  // sinfo->sig->auth_ids[0]
  std::string issuer_line, cn, key_id;
  int digest_nid = NID_undef, pkey_nid = NID_undef;
  const char* hash = nullptr;
  const char* pkey = nullptr;
  bool authattrs = false;
  std::vector<const X509_ATTRIBUTE*> attrs;
  std::string signature;
  bool unsupported = false;  // sinfo->unsupported_crypto
  // pkcs7_digest()'s hash of the module: it only ever meets a public key, so it is made when
  // one is found (a module whose signer nobody trusts is not hashed: its verdict is ENOKEY).
  std::string_view data;
  const EVP_MD* md = nullptr;
  mutable std::string digest;
  const std::string& digested() const {
    if (digest.empty()) {
      unsigned char buf[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      if (EVP_Digest(data.data(), data.size(), buf, &len, md, nullptr) == 1) digest.assign(reinterpret_cast<char*>(buf), len);
    }
    return digest;
  }
  X509* signer = nullptr;    // the message's certificate that matched (pkcs7_find_key)
};

// The digests a module signature may name, fetched once (a fetched EVP_MD spares OpenSSL's
// per-call lookup and its locks); nullptr for a hash OpenSSL cannot compute.
const EVP_MD* digest_of_nid(int nid) {
  struct Fetched {
    std::vector<std::pair<int, EVP_MD*>> mds;
    Fetched() {
      for (int n : {NID_md4, NID_md5, NID_sha1, NID_sha224, NID_sha256, NID_sha384, NID_sha512, NID_sm3,
                    NID_sha3_256, NID_sha3_384, NID_sha3_512})
        if (EVP_MD* md = EVP_MD_fetch(nullptr, OBJ_nid2sn(n), nullptr)) mds.emplace_back(n, md);
      ERR_clear_error();
    }
    // Freed before OpenSSL's own atexit cleanup (registered earlier, so run later), which
    // can then release its method store: nothing is left for a leak checker.
    ~Fetched() {
      for (auto& [n, md] : mds) EVP_MD_free(md);
    }
  };
  static const Fetched fetched;  // immutable once made
  for (const auto& [n, md] : fetched.mds)
    if (n == nid) return md;
  return nullptr;
}

struct Message {
  bool is_signed = false;
  int version = -1;  // SignedData version; -1 when CMS parsed it (not exposed there)
  std::string data_type;  // the content type's OID
  bool embedded = false;  // the data is inside the message
  std::vector<X509Ptr> certs;
  std::vector<Signer> signers;
};

bool is_data(const std::string& oid) { return oid == "1.2.840.113549.1.7.1"; }

// pkcs7_sig_note_authenticated_attr() and pkcs7_sig_note_set_of_authattrs() for one signer.
int check_authattrs(const Message& m, const Signer& s, Log& log) {
  bool ct = false, md = false, st = false, caps = false, opus = false, stmt = false;
  const bool authenticode = m.data_type == kMsIndirectData;
  auto repeated = [&] {
    logf(log, kWarn, "PKCS7: Repeated/multivalue AuthAttrs not permitted");
    return -EKEYREJECTED;
  };
  for (const X509_ATTRIBUTE* a : s.attrs) {
    const ASN1_OBJECT* type = X509_ATTRIBUTE_get0_object(const_cast<X509_ATTRIBUTE*>(a));
    const int nid = OBJ_obj2nid(type);
    const std::string oid = oid_text(type);
    const int values = X509_ATTRIBUTE_count(a);
    for (int i = 0; i < values; ++i) {
      const ASN1_TYPE* v = X509_ATTRIBUTE_get0_type(const_cast<X509_ATTRIBUTE*>(a), i);
      if (nid == NID_pkcs9_contentType) {
        if (ct) return repeated();
        ct = true;
        if (v->type != V_ASN1_OBJECT || oid_text(v->value.object) != m.data_type) return -EBADMSG;
      } else if (nid == NID_pkcs9_signingTime) {
        if (st) return repeated();
        st = true;
      } else if (nid == NID_pkcs9_messageDigest) {
        if (md) return repeated();
        md = true;
        if (v->type != V_ASN1_OCTET_STRING) return -EBADMSG;
      } else if (nid == NID_SMIMECapabilities) {
        if (caps) return repeated();
        caps = true;
        if (!authenticode) {
          logf(log, kWarn, "PKCS7: S/MIME Caps only allowed with Authenticode");
          return -EKEYREJECTED;
        }
      } else if (oid == kMsSpOpusInfo || oid == kMsStatementType) {
        bool& seen = oid == kMsSpOpusInfo ? opus : stmt;
        if (seen) return repeated();
        seen = true;
        if (!authenticode) {
          logf(log, kWarn, "PKCS7: Authenticode AuthAttrs only allowed with Authenticode");
          return -EKEYREJECTED;
        }
      }
    }
  }
  if (!ct || !md) {
    logf(log, kWarn, "PKCS7: Missing required AuthAttr");
    return -EBADMSG;
  }
  return 0;
}

// The per-signer notes of the parse, in the decoder's order (version, sid, digest algorithm,
// authenticated attributes, public-key algorithm, pkcs7_note_signed_info).
int note_signer(Kernel k, const Message& m, Signer& s, Log& log) {
  if (m.version >= 0) {  // pkcs7_note_signerinfo_version()
    if (s.version != 1 && s.version != 3) {
      logf(log, kWarn, "PKCS7: Unsupported SignerInfo version");
      return -EINVAL;
    }
    if ((s.version == 1) != (m.version == 1)) {
      logf(log, kWarn, "PKCS7: SignedData-SignerInfo version mismatch");
      return -EBADMSG;
    }
  }
  // Unsupported algorithms: the kernel also prints the OID registry's enum number (a printk
  // without a level), which is not modelled.
  if (!(s.hash = hash_name(k, s.digest_nid))) return -ENOPKG;
  if (s.authattrs)
    if (int e = check_authattrs(m, s, log)) return e;
  if (!(s.pkey = pkey_name(k, s.pkey_nid))) return -ENOPKG;
  if (m.data_type == kMsIndirectData && !s.authattrs) {
    logf(log, kWarn, "PKCS7: Authenticode requires AuthAttrs");
    return -EBADMSG;
  }
  return 0;
}

// pkcs7_parse_message() from OpenSSL's PKCS7 (issuer+serial signers).
int parse_pkcs7(Kernel k, PKCS7* p7, Message& m, Log& log) {
  if (OBJ_obj2nid(p7->type) != NID_pkcs7_signed) {
    logf(log, kWarn, "PKCS7: Only support pkcs7_signedData type");
    return -EINVAL;
  }
  m.is_signed = true;
  PKCS7_SIGNED* sd = p7->d.sign;
  if (!sd) return 0;  // no content: no signer, which pkcs7_check_authattrs refuses
  m.version = small_version(sd->version);
  if (m.version != 1 && m.version != 3) {
    logf(log, kWarn, "PKCS7: Unsupported SignedData version");
    return -EINVAL;
  }
  m.data_type = sd->contents ? oid_text(sd->contents->type) : "";
  if (!is_data(m.data_type) && m.data_type != kMsIndirectData) return -EINVAL;  // "Unsupported data type %d"
  m.embedded = is_data(m.data_type) ? sd->contents->d.data != nullptr : sd->contents->d.other != nullptr;
  for (int i = 0; i < sk_X509_num(sd->cert); ++i) {
    X509* c = sk_X509_value(sd->cert, i);
    X509_up_ref(c);
    m.certs.emplace_back(c);
  }
  for (int i = 0; i < sk_PKCS7_SIGNER_INFO_num(sd->signer_info); ++i) {
    PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(sd->signer_info, i);
    Signer s;
    s.version = small_version(si->version);
    s.by_skid = s.version == 3;  // ctx->expect_skid: a v3 signer is looked up by its SKID only
    const X509_NAME* issuer = si->issuer_and_serial ? si->issuer_and_serial->issuer : nullptr;
    const ASN1_INTEGER* serial = si->issuer_and_serial ? si->issuer_and_serial->serial : nullptr;
    s.id = s.by_skid ? KeyId("") : issuer_serial(issuer, serial);
    s.issuer_line = oneline(issuer);
    s.cn = common_name(issuer);
    s.key_id = serial_hex(serial);
    s.digest_nid = si->digest_alg ? OBJ_obj2nid(si->digest_alg->algorithm) : NID_undef;
    s.pkey_nid = si->digest_enc_alg ? OBJ_obj2nid(si->digest_enc_alg->algorithm) : NID_undef;
    s.authattrs = si->auth_attr != nullptr;
    for (int j = 0; j < sk_X509_ATTRIBUTE_num(si->auth_attr); ++j) s.attrs.push_back(sk_X509_ATTRIBUTE_value(si->auth_attr, j));
    s.signature = octets(si->enc_digest);
    if (int e = note_signer(k, m, s, log)) return e;
    m.signers.push_back(std::move(s));
  }
  return 0;
}

// The same from OpenSSL's CMS, for what PKCS7 cannot hold (subjectKeyIdentifier signers).
// CMS keeps the SignedData and SignerInfo versions to itself: a SKID signer is taken as v3.
int parse_cms(Kernel k, CMS_ContentInfo* cms, Message& m, Log& log) {
  if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
    logf(log, kWarn, "PKCS7: Only support pkcs7_signedData type");
    return -EINVAL;
  }
  m.is_signed = true;
  m.data_type = oid_text(CMS_get0_eContentType(cms));
  if (!is_data(m.data_type) && m.data_type != kMsIndirectData) return -EINVAL;
  ASN1_OCTET_STRING** content = CMS_get0_content(cms);
  m.embedded = content && *content;
  if (STACK_OF(X509)* certs = CMS_get1_certs(cms)) {
    for (int i = 0; i < sk_X509_num(certs); ++i) m.certs.emplace_back(sk_X509_value(certs, i));
    sk_X509_free(certs);
  }
  STACK_OF(CMS_SignerInfo)* sis = CMS_get0_SignerInfos(cms);
  for (int i = 0; i < sk_CMS_SignerInfo_num(sis); ++i) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(sis, i);
    Signer s;
    ASN1_OCTET_STRING* keyid = nullptr;
    X509_NAME* issuer = nullptr;
    ASN1_INTEGER* serial = nullptr;
    CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial);
    s.by_skid = keyid != nullptr;
    s.version = s.by_skid ? 3 : 1;
    s.id = s.by_skid ? KeyId(octets(keyid)) : issuer_serial(issuer, serial);
    s.issuer_line = oneline(issuer);
    s.cn = s.by_skid ? "" : common_name(issuer);
    s.key_id = s.by_skid ? hex_colons(octets(keyid)) : serial_hex(serial);
    X509_ALGOR *dig = nullptr, *sig = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, &sig);
    s.digest_nid = dig ? OBJ_obj2nid(dig->algorithm) : NID_undef;
    s.pkey_nid = sig ? OBJ_obj2nid(sig->algorithm) : NID_undef;
    const int n = CMS_signed_get_attr_count(si);
    s.authattrs = n >= 0;
    for (int j = 0; j < n; ++j) s.attrs.push_back(CMS_signed_get_attr(si, j));
    s.signature = octets(CMS_SignerInfo_get0_signature(si));
    if (int e = note_signer(k, m, s, log)) return e;
    m.signers.push_back(std::move(s));
  }
  return 0;
}

int parse_message(Kernel k, std::string_view blob, Message& m, Log& log) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  int e = 0;
  if (std::unique_ptr<PKCS7, Free<PKCS7_free>> p7{d2i_PKCS7(nullptr, &p, static_cast<long>(blob.size()))}) {
    e = parse_pkcs7(k, p7.get(), m, log);
  } else {
    p = reinterpret_cast<const unsigned char*>(blob.data());
    std::unique_ptr<CMS_ContentInfo, Free<CMS_ContentInfo_free>> cms{
        d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(blob.size()))};
    if (!cms) return -EBADMSG;  // the ASN.1 decoder's refusal
    e = parse_cms(k, cms.get(), m, log);
  }
  if (e) return e;
  // pkcs7_check_authattrs(): every signer with authenticated attributes or none; and one signer
  bool consistent = !m.signers.empty();
  for (const Signer& s : m.signers) consistent &= s.authattrs == m.signers.front().authattrs;
  if (!consistent) {
    logf(log, kWarn, "PKCS7: Inconsistently supplied authAttrs");
    return -EINVAL;
  }
  return 0;
}

// public_key_verify_signature(): the signature of `digest` (made with `hash`) by `key`.
bool verify_digest(EVP_PKEY* key, const char* pkey, const EVP_MD* md, std::string_view digest, std::string_view sig) {
  const int type = EVP_PKEY_get_base_id(key);
  if ((std::string_view(pkey) == "rsa" && type != EVP_PKEY_RSA) || (std::string_view(pkey) == "ecdsa" && type != EVP_PKEY_EC))
    return false;
  std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX_free>> ctx{EVP_PKEY_CTX_new(key, nullptr)};
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return false;
  if (type == EVP_PKEY_RSA && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) return false;
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) return false;
  return EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1;
}

// A trusted key: the certificate and the ids the kernel gives it (id[0] issuer+serial, id[1] SKID).
struct TrustedKey {
  X509Ptr cert;
  KeyId id0, id1;
  int index = 0;
};

}  // namespace

// The trusted keys, parsed once for every signature checked against them.
struct Keyring {
  std::vector<TrustedKey> keys;
  std::size_t certs = 0;  // how many certificates it was made from
};

namespace {

std::vector<TrustedKey> load_keys(const std::vector<std::string>& trusted) {
  std::vector<TrustedKey> keys;
  for (size_t i = 0; i < trusted.size(); ++i) {
    const auto* p = reinterpret_cast<const unsigned char*>(trusted[i].data());
    X509Ptr c{d2i_X509(nullptr, &p, static_cast<long>(trusted[i].size()))};
    if (!c || !X509_get0_pubkey(c.get())) continue;
    TrustedKey k;
    k.id0 = issuer_serial(X509_get_issuer_name(c.get()), X509_get0_serialNumber(c.get()));
    if (const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(c.get())) k.id1 = octets(skid);
    k.cert = std::move(c);
    k.index = static_cast<int>(i);
    keys.push_back(std::move(k));
  }
  return keys;
}

// find_asymmetric_key(keyring, id_0, id_1, NULL, false): an exact match of the first id given
// with one of a key's first two; when both are given the key's SKID must be id_1 too
// (-EKEYREJECTED).  nullptr with *err = -ENOKEY when nothing matches.
const TrustedKey* find_key(const std::vector<TrustedKey>& keys, const KeyId& id0, const KeyId& id1, int* err) {
  const KeyId& want = id0 ? id0 : id1;
  *err = -ENOKEY;
  for (const TrustedKey& k : keys) {
    if (!want || !((k.id0 && *k.id0 == *want) || (k.id1 && *k.id1 == *want))) continue;
    if (id0 && id1 && (!k.id1 || *k.id1 != *id1)) {
      *err = -EKEYREJECTED;
      return nullptr;
    }
    *err = 0;
    return &k;
  }
  return nullptr;
}

// pkcs7_verify() for VERIFYING_MODULE_SIGNATURE, after pkcs7_supply_detached_data().
int pkcs7_verify(Message& m, std::string_view data, Log& log) {
  if (!is_data(m.data_type)) {
    logf(log, kWarn, "PKCS7: Invalid module sig (not pkcs7-data)");
    return -EKEYREJECTED;
  }
  if (!m.signers.empty() && m.signers.front().authattrs) {
    logf(log, kWarn, "PKCS7: Invalid module sig (has authattrs)");
    return -EKEYREJECTED;
  }
  int actual = -ENOPKG;
  for (Signer& s : m.signers) {
    // pkcs7_digest(): a hash the kernel names but cannot compute makes the signer unsupported
    const EVP_MD* md = digest_of_nid(s.digest_nid);
    if (!md) {
      s.unsupported = true;
      continue;
    }
    s.data = data;
    s.md = md;
    // pkcs7_find_key(): a certificate of the message whose issuer+serial is the signer's id
    for (const X509Ptr& c : m.certs)
      if (s.id && issuer_serial(X509_get_issuer_name(c.get()), X509_get0_serialNumber(c.get())) == *s.id) {
        s.signer = c.get();
        break;
      }
    if (s.signer) {
      // checked with the certificate at once (EKEYREJECTED; 6.1's RSA gives EBADMSG for a bad
      // padding here, which OpenSSL does not tell apart)
      EVP_PKEY* pub = X509_get0_pubkey(s.signer);
      if (!pub || !verify_digest(pub, s.pkey, md, s.digested(), s.signature)) return -EKEYREJECTED;
    }
    actual = 0;
  }
  (void)log;
  return actual;
}

// pkcs7_validate_trust_one(): `which` is the key that verified it.
int validate_trust_one(const Message& m, const Signer& s, const std::vector<TrustedKey>& keys, const TrustedKey** which) {
  (void)m;
  if (s.unsupported) return -ENOPKG;
  const EVP_MD* md = s.md;
  int err = 0;
  if (X509* x = s.signer) {
    // the signer's certificate itself among the trusted keys
    KeyId xid = issuer_serial(X509_get_issuer_name(x), X509_get0_serialNumber(x));
    KeyId xskid;
    if (const ASN1_OCTET_STRING* sk = X509_get0_subject_key_id(x)) xskid = octets(sk);
    if (const TrustedKey* k = find_key(keys, xid, xskid, &err)) {
      *which = k;
      return verify_digest(X509_get0_pubkey(k->cert.get()), s.pkey, md, s.digested(), s.signature) ? 0 : -EKEYREJECTED;
    }
    if (X509_self_signed(x, 0) == 1) return -ENOKEY;  // an unknown root
    // its issuer among the trusted keys, by the authority key identifier (the chain inside
    // the message is not followed further: sign-file puts no certificate there)
    KeyId aid0, aid1;
    const GENERAL_NAMES* names = X509_get0_authority_issuer(x);
    const ASN1_INTEGER* aserial = X509_get0_authority_serial(x);
    for (int i = 0; names && aserial && i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
      if (g->type == GEN_DIRNAME) aid0 = issuer_serial(g->d.directoryName, aserial);
    }
    if (const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(x)) aid1 = octets(akid);
    if (aid0 || aid1) {
      if (const TrustedKey* k = find_key(keys, aid0, aid1, &err)) {
        *which = k;
        return X509_verify(x, X509_get0_pubkey(k->cert.get())) == 1 ? 0 : -EKEYREJECTED;
      }
      if (err != -ENOKEY) return err;
    }
  }
  // as a last resort, a trusted key that is the signer's id directly
  if (const TrustedKey* k = find_key(keys, s.id, std::nullopt, &err)) {
    *which = k;
    return verify_digest(X509_get0_pubkey(k->cert.get()), s.pkey, md, s.digested(), s.signature) ? 0 : -EKEYREJECTED;
  }
  return err;
}

// verify_pkcs7_signature() once, against `keys`.
int verify_once(Kernel k, std::string_view module, std::string_view blob, const std::vector<TrustedKey>& keys,
                ModuleSignature& sig, Log& log) {
  Message m;
  if (int e = parse_message(k, blob, m, log)) return e;
  const Signer& first = m.signers.front();
  sig.signer = first.cn.empty() ? first.issuer_line : first.cn;
  sig.issuer = first.issuer_line;
  sig.key_id = first.key_id;
  sig.key_id_is_skid = first.by_skid;
  sig.hash_algo = first.hash;
  sig.pkey_algo = first.pkey;
  sig.id = first.id.value_or("");
  // verify_pkcs7_message_sig()
  if (m.embedded) {
    logf(log, kErr, "PKCS#7 signature with non-detached data");
    return -EBADMSG;
  }
  if (int e = pkcs7_verify(m, module, log)) return e;
  // pkcs7_validate_trust()
  int cached = -ENOKEY;
  for (const Signer& s : m.signers) {
    const TrustedKey* which = nullptr;
    const int e = validate_trust_one(m, s, keys, &which);
    if (e == -ENOKEY) continue;
    if (e == -ENOPKG) {
      if (cached == -ENOKEY) cached = -ENOPKG;
      continue;
    }
    if (e) return e;
    cached = 0;
    if (sig.trusted_cert < 0 && which) {
      sig.trusted_cert = which->index;
      sig.trusted_subject = oneline(X509_get_subject_name(which->cert.get()));
      // a SKID signer names no issuer: the key's certificate names the signer
      if (sig.signer.empty()) sig.signer = common_name(X509_get_subject_name(which->cert.get()));
    }
  }
  return cached;
}

}  // namespace

std::shared_ptr<const Keyring> make_keyring(const std::vector<std::string>& trusted) {
  auto k = std::make_shared<Keyring>();
  k->keys = load_keys(trusted);
  k->certs = trusted.size();
  return k;
}

std::size_t keyring_certs(const Keyring& k) { return k.certs; }

int verify_module_signature(Kernel version, std::string_view module, std::string_view blob,
                            const std::vector<std::string>& trusted, ModuleSignature& sig, Log& log) {
  return verify_module_signature(version, module, blob, *make_keyring(trusted), sig, log);
}

int verify_module_signature(Kernel version, std::string_view module, std::string_view blob, const Keyring& ring,
                            ModuleSignature& sig, Log& log) {
  sig = ModuleSignature{};
  sig.present = true;
  const std::vector<TrustedKey>& keys = ring.keys;
  // The secondary keyring (built-in keys and those added later), then on ENOKEY the platform
  // keyring (UEFI db, MOK): two parses, whose warnings the kernel prints twice.  `trusted`
  // stands for both.
  int e = verify_once(version, module, blob, keys, sig, log);
  if (e == -ENOKEY) e = verify_once(version, module, blob, keys, sig, log);
  // mod_is_hash_blacklisted(): Debian's CONFIG_SYSTEM_BLACKLIST_HASH_LIST is empty and no
  // UEFI dbx is read without UEFI, so no module hash is blacklisted.
  sig.err = e;
  return e;
}

std::string module_signer_id(Kernel version, std::string_view image) {
  constexpr std::string_view kMarker = "~Module signature appended~\n";
  if (image.size() <= kMarker.size() + 12 || image.substr(image.size() - kMarker.size()) != kMarker) return "";
  const std::string_view ms = image.substr(image.size() - kMarker.size() - 12, 12);
  const uint32_t len = (uint32_t(uint8_t(ms[8])) << 24) | (uint32_t(uint8_t(ms[9])) << 16) |
                       (uint32_t(uint8_t(ms[10])) << 8) | uint8_t(ms[11]);
  const size_t end = image.size() - kMarker.size() - 12;
  if (len > end) return "";
  Message m;
  Log ignored;
  if (parse_message(version, image.substr(end - len, len), m, ignored)) return "";
  return m.signers.front().id.value_or("");
}

std::vector<std::string> read_certificates(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(errno_message(path, errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::string> out;
  if (text.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    // A PEM file may hold several (a MOK bundle): every one is a key.
    std::unique_ptr<BIO, Free<BIO_free>> bio{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
    while (X509Ptr c{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) out.push_back(der(c.get(), i2d_X509));
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    if (X509Ptr c{d2i_X509(nullptr, &p, static_cast<long>(text.size()))}) out.push_back(der(c.get(), i2d_X509));
  }
  ERR_clear_error();
  if (out.empty()) throw Error(path + ": not an X.509 certificate (DER or PEM)");
  return out;
}

}  // namespace modforge::loader::kernel
