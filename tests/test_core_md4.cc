// MD4 against RFC 1320's test suite and against OpenSSL's MD4 (legacy provider) on inputs
// of every length around the block and padding boundaries.
#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <sstream>

#include "core/md4.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

std::string md4_hex(std::string_view data) {
  Md4 md;
  md.update(data);
  return Md4::hex(md.finish());
}

// The same bytes fed one char at a time, and in uneven slices.
std::string md4_hex_pieces(std::string_view data) {
  Md4 md;
  std::size_t i = 0, step = 1;
  while (i < data.size()) {
    std::size_t n = std::min(step, data.size() - i);
    if (n == 1)
      md.update(data[i]);
    else
      md.update(data.substr(i, n));
    i += n;
    step = step * 3 % 97 + 1;
  }
  return Md4::hex(md.finish());
}

// RFC 1320, appendix A.5.
TEST(CoreMd4, Rfc1320TestSuite) {
  const std::pair<const char*, const char*> suite[] = {
      {"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
      {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
      {"abc", "a448017aaf21d8525fc10ae87aa6729d"},
      {"message digest", "d9130a8164549fe818874806e1c7014b"},
      {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "e33b4ddc9c38f2199c3e7b164fcc0536"},
  };
  for (auto [in, want] : suite) {
    EXPECT_EQ(md4_hex(in), want) << '"' << in << '"';
    EXPECT_EQ(md4_hex_pieces(in), want) << '"' << in << '"';
  }
}

std::string openssl_md4(const std::string& data) {
  const std::string openssl = "/usr/bin/openssl";
  if (access(openssl.c_str(), X_OK) != 0) throw std::runtime_error("openssl missing (apt-get install openssl)");
  Outcome r = run_program(openssl, {"dgst", "-provider", "legacy", "-provider", "default", "-md4", "-r"}, data);
  if (r.exit_code != 0) throw std::runtime_error("openssl dgst -md4 failed: " + r.err);
  return r.out.substr(0, r.out.find(' '));
}

TEST(CoreMd4, MatchesOpenSslAcrossBlockBoundaries) {
  std::mt19937 rng(1320);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 200; ++n) lengths.push_back(n);
  for (std::size_t n : {255, 256, 257, 1000, 4095, 4096, 65537}) lengths.push_back(n);
  // One openssl run per length would be slow; batch them through a shell loop instead.
  std::string dir = temp_dir();
  std::string script;
  std::vector<std::string> inputs;
  for (std::size_t n : lengths) {
    std::string s(n, '\0');
    for (char& c : s) c = char(rng());
    std::string path = dir + "/in" + std::to_string(inputs.size());
    write_file(path, s);
    inputs.push_back(s);
    script += path + "\n";
  }
  if (access("/usr/bin/openssl", X_OK) != 0) FAIL() << "openssl missing (apt-get install openssl)";
  Outcome r = run_program("/bin/sh",
                          {"-c", "while read f; do openssl dgst -provider legacy -provider default -md4 -r \"$f\" || exit 1; done"},
                          script);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream out(r.out);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string line;
    ASSERT_TRUE(std::getline(out, line)) << "openssl printed too few lines";
    std::string want = line.substr(0, line.find(' '));
    EXPECT_EQ(md4_hex(inputs[i]), want) << "length " << inputs[i].size();
    EXPECT_EQ(md4_hex_pieces(inputs[i]), want) << "length " << inputs[i].size();
  }
  EXPECT_EQ(md4_hex("abc"), openssl_md4("abc"));
}

}  // namespace
}  // namespace modforge::test
