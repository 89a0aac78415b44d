// loader/kmod: .modinfo and __versions of real Debian modules, checked against what
// the real kmod modinfo and modprobe --dump-modversions print for the same file.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "loader/kmod/kofile.h"
#include "tests/support.h"

namespace fs = std::filesystem;
using modforge::loader::kmod::KoFile;

namespace {

// A shipped module from the oracle cache (scripts/setup.sh fetches the images).
std::string shipped(const std::string& rel) {
  const char* home = std::getenv("HOME");
  std::string cache = std::getenv("ORACLE_CACHE") ? std::getenv("ORACLE_CACHE") : std::string(home ? home : "") + "/.cache/modforge-oracle";
  for (auto& e : fs::recursive_directory_iterator(cache)) {
    std::string p = e.path().string();
    if (p.size() >= rel.size() && p.compare(p.size() - rel.size(), rel.size(), rel) == 0) return p;
  }
  return {};
}

void check_against_kmod(const std::string& path) {
  ASSERT_FALSE(path.empty()) << "shipped module not found in the oracle cache";
  KoFile k = KoFile::open(path);
  // modprobe --dump-modversions prints "0x%08lx\t%s" per entry
  std::ostringstream ours;
  for (const auto& v : k.versions()) {
    char crc[32];
    std::snprintf(crc, sizeof crc, "0x%08lx", static_cast<unsigned long>(v.crc));
    ours << crc << '\t' << v.name << '\n';
  }
  EXPECT_EQ(ours.str(), modforge::test::shell_output("/sbin/modprobe --dump-modversions '" + path + "'"));
  // modinfo -F vermagic / license: one line per value
  for (const char* key : {"vermagic", "license", "alias", "depends"}) {
    std::ostringstream vals;
    for (const auto& e : k.modinfo())
      if (e.key == key) vals << e.value << '\n';
    EXPECT_EQ(vals.str(), modforge::test::shell_output(std::string("/sbin/modinfo -F ") + key + " '" + path + "'")) << key;
  }
}

}  // namespace

TEST(LoaderKoFile, Shipped61Uncompressed) { check_against_kmod(shipped("6.1.0-56-amd64/kernel/fs/fat/vfat.ko")); }
TEST(LoaderKoFile, Shipped612Xz) { check_against_kmod(shipped("6.12.117+deb12-amd64/kernel/drivers/usb/serial/usbserial.ko.xz")); }

TEST(LoaderKoFile, NotElf) {
  EXPECT_THROW(KoFile::from_bytes("hello", "x.ko"), modforge::Error);
}
