// verify_module_signature() on the files of tests/corpus/make-sig-cases.sh (Debian's signed
// modules, changed copies, modules signed with our key by sign-file and openssl cms, an
// unsigned one; made by the test when missing).  What is asserted follows from how each file
// was made, checked against real tools where one says it: kmod's modinfo for the signer and
// key id, openssl for our certificate's SKID.  What the real kernels answer for the same
// files is tests/abi_signatures.sh's.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "core/kernel.h"
#include "loader/kernel/module_sig_verify.h"
#include "tests/support.h"

namespace modforge::loader::kernel {
namespace {

using test::read_file;
using test::shell_output;

std::string cases_dir() {
  static const std::string dir = [] {
    const std::string src = MODFORGE_SOURCE_DIR;
    std::string out = shell_output("bash '" + src + "/tests/corpus/make-sig-cases.sh' 2>/dev/null | tail -1");
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out.empty() ? out : out.substr(0, out.rfind('/'));
  }();
  return dir;
}

struct Split {
  std::string body, blob;
};
// The image without its trailer and the PKCS#7 blob (as mod_verify_sig() cuts them).
Split split(const std::string& image) {
  const std::string marker = "~Module signature appended~\n";
  EXPECT_TRUE(image.size() > marker.size() + 12 && image.ends_with(marker));
  const size_t end = image.size() - marker.size() - 12;
  const auto* ms = reinterpret_cast<const uint8_t*>(image.data() + end);
  const size_t len = (size_t(ms[8]) << 24) | (size_t(ms[9]) << 16) | (size_t(ms[10]) << 8) | ms[11];
  return {image.substr(0, end - len), image.substr(end - len, len)};
}

struct Case {
  Kernel kernel;
  const char* release;
};
class SigCases : public testing::TestWithParam<Case> {
protected:
  void SetUp() override {
    ASSERT_FALSE(cases_dir().empty()) << "tests/corpus/make-sig-cases.sh failed";
    dir = cases_dir() + "/" + GetParam().release + "/";
    builtin = read_file(dir + "builtin.der");
    own = read_file(cases_dir() + "/own/cert.der");
    ASSERT_FALSE(builtin.empty());
    ASSERT_FALSE(own.empty());
  }
  int verify(const std::string& name, const std::vector<std::string>& trusted, ModuleSignature* out = nullptr) {
    const Split s = split(read_file(dir + name));
    ModuleSignature sig;
    Log log;
    const int e = verify_module_signature(GetParam().kernel, s.body, s.blob, trusted, sig, log);
    if (out) *out = sig;
    return e;
  }
  std::string modinfo(const std::string& field, const std::string& name) {
    std::string v = shell_output("/sbin/modinfo -F " + field + " '" + dir + name + "'");
    while (!v.empty() && v.back() == '\n') v.pop_back();
    return v;
  }
  std::string dir, builtin, own;
};

TEST_P(SigCases, DebianModuleVerifiesWithTheImagesCertificate) {
  ModuleSignature sig;
  EXPECT_EQ(verify("debian.ko", {own, builtin}, &sig), 0);
  EXPECT_EQ(sig.trusted_cert, 1);
  EXPECT_EQ(sig.signer, modinfo("signer", "debian.ko"));
  EXPECT_EQ(sig.key_id, modinfo("sig_key", "debian.ko"));
  EXPECT_EQ(sig.hash_algo, modinfo("sig_hashalgo", "debian.ko"));
  EXPECT_FALSE(sig.key_id_is_skid);
  // the same id as the target takes from a shipped module
  EXPECT_EQ(sig.id, module_signer_id(GetParam().kernel, read_file(dir + "debian.ko")));
}

TEST_P(SigCases, UnknownKeyIsEnokeyEvenForAChangedModule) {
  // no authenticated attributes: nothing is compared before the key is found
  EXPECT_EQ(verify("debian.ko", {own}), -ENOKEY);
  EXPECT_EQ(verify("debian-body.ko", {own}), -ENOKEY);
  EXPECT_EQ(verify("debian-sigval.ko", {}), -ENOKEY);
  EXPECT_EQ(verify("own-body.ko", {builtin}), -ENOKEY);
}

TEST_P(SigCases, KnownKeyRejectsAChangedModuleOrSignature) {
  EXPECT_EQ(verify("debian-body.ko", {builtin}), -EKEYREJECTED);
  EXPECT_EQ(verify("debian-sigval.ko", {builtin}), -EKEYREJECTED);
  EXPECT_EQ(verify("own-body.ko", {own}), -EKEYREJECTED);
}

TEST_P(SigCases, EveryFlippedBodyByteIsRejected) {
  const Split s = split(read_file(dir + "debian.ko"));
  for (size_t i = 0; i < s.body.size(); i += 97) {
    std::string body = s.body;
    body[i] = static_cast<char>(body[i] ^ 0x80);
    ModuleSignature sig;
    Log log;
    ASSERT_EQ(verify_module_signature(GetParam().kernel, body, s.blob, {builtin}, sig, log), -EKEYREJECTED) << i;
  }
}

TEST_P(SigCases, BrokenDerIsEbadmsg) {
  ModuleSignature sig;
  EXPECT_EQ(verify("debian-der.ko", {builtin}, &sig), -EBADMSG);
  EXPECT_EQ(verify("debian-der.ko", {}), -EBADMSG);
}

TEST_P(SigCases, OwnKeyVerifiesOnceTrusted) {
  ModuleSignature sig;
  EXPECT_EQ(verify("own.ko", {builtin, own}, &sig), 0);
  EXPECT_EQ(sig.trusted_cert, 1);
  EXPECT_EQ(sig.signer, modinfo("signer", "own.ko"));
  EXPECT_EQ(sig.key_id, modinfo("sig_key", "own.ko"));
  EXPECT_EQ(sig.pkey_algo, "rsa");
}

TEST_P(SigCases, SubjectKeyIdentifierSignerMatchesTheCertificatesSkid) {
  ModuleSignature sig;
  EXPECT_EQ(verify("own-skid.ko", {builtin}), -ENOKEY);
  EXPECT_EQ(verify("own-skid.ko", {own}, &sig), 0);
  EXPECT_TRUE(sig.key_id_is_skid);
  // openssl's own reading of the certificate's subjectKeyIdentifier
  std::string skid = shell_output("openssl x509 -inform DER -in '" + cases_dir() +
                                  "/own/cert.der' -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' \\n'");
  EXPECT_EQ(sig.key_id, skid);
}

TEST_P(SigCases, UnsignedHasNoSigner) {
  EXPECT_EQ(module_signer_id(GetParam().kernel, read_file(dir + "unsigned.ko")), "");
}

INSTANTIATE_TEST_SUITE_P(Debian, SigCases,
                         testing::Values(Case{Kernel::v6_1, "6.1.0-56-amd64"}, Case{Kernel::v6_12, "6.12.117+deb12-amd64"}),
                         [](const testing::TestParamInfo<Case>& i) { return i.param.kernel == Kernel::v6_1 ? "v6_1" : "v6_12"; });

}  // namespace
}  // namespace modforge::loader::kernel
