// ElfFile::relocations against binutils' readelf -rW on real Debian 6.12 modules, and
// its error on a relocation section LLVM cannot read.
#include <cstring>
#include <gtest/gtest.h>
#include <llvm/BinaryFormat/ELF.h>
#include <sstream>

#include "core/elf.h"
#include "core/error.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

const char* const kModules[] = {
    "fs/fat/fat.ko.xz",
    "drivers/net/dummy.ko.xz",
    "net/ipv4/tcp_bbr.ko.xz",
};
const std::string kModuleRoot = "/lib/modules/6.12.117+deb12-amd64/kernel/";

std::string decompressed(const std::string& rel) {
  Outcome r = run_program("/usr/bin/xz", {"-dc", kModuleRoot + rel}, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string out = temp_dir() + "/m.ko";
  write_file(out, r.out);
  return out;
}

// One line per entry, "<section> <offset> <info> <addend>" in hex, from readelf -rW:
//   0000000000000015  0000018400000004 R_X86_64_PLT32  0000000000000000 __fentry__ - 4
//   0000000000000010  000000000000000b R_X86_64_32S                     10      (no symbol)
std::vector<std::string> readelf_entries(const std::string& path) {
  Outcome r = run_program("/usr/bin/readelf", {"-rW", path}, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> v;
  std::string section;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Relocation section '", 0) == 0) {
      section = line.substr(20, line.find('\'', 20) - 20);
      continue;
    }
    std::istringstream w(line);
    std::vector<std::string> t;
    for (std::string s; w >> s;) t.push_back(s);
    if (t.size() < 3 || t[0].size() != 16 || t[1].size() != 16) continue;
    std::string addend = "0";
    if (t.size() >= 3 && (t[t.size() - 2] == "+" || t[t.size() - 2] == "-"))
      addend = (t[t.size() - 2] == "-" ? "-" : "") + t.back();
    else if (t.size() == 4)  // no symbol: the addend stands alone
      addend = t.back();
    v.push_back(section + " " + t[0] + " " + t[1] + " " + addend);
  }
  return v;
}

std::string hex(uint64_t v, int width) {
  std::ostringstream o;
  o << std::hex;
  if (width) {
    o.width(width);
    o.fill('0');
  }
  o << v;
  return o.str();
}

TEST(CoreElfRelocs, EntriesAgreeWithReadelf) {
  for (const char* rel : kModules) {
    SCOPED_TRACE(rel);
    const std::string path = decompressed(rel);
    elf::ElfFile f = elf::ElfFile::open(path);
    std::vector<std::string> ours;
    size_t rela_sections = 0;
    std::vector<elf::Relocation> reused;
    for (const auto& s : f.sections()) {
      auto entries = f.relocations(s);
      f.relocations(s, reused);
      EXPECT_EQ(entries.size(), reused.size());
      if (s.type != llvm::ELF::SHT_RELA) {
        EXPECT_TRUE(entries.empty()) << s.name;
        continue;
      }
      ++rela_sections;
      EXPECT_EQ(entries.size() * 24, s.size);
      for (const auto& r : entries) {
        const uint64_t info = (uint64_t{r.symbol} << 32) | r.type;
        const std::string addend = r.addend < 0 ? "-" + hex(0 - static_cast<uint64_t>(r.addend), 0) : hex(r.addend, 0);
        ours.push_back(std::string(s.name) + " " + hex(r.offset, 16) + " " + hex(info, 16) + " " + addend);
        ASSERT_LT(r.symbol, f.symbols().size());
      }
    }
    EXPECT_GT(rela_sections, 3u);
    EXPECT_GT(ours.size(), 50u);
    EXPECT_EQ(ours, readelf_entries(path));
  }
}

// sh_entsize is not 24: LLVM refuses the section, and so do we, naming the file.
TEST(CoreElfRelocs, BadEntrySizeIsAnError) {
  std::string bytes = read_file(decompressed(kModules[1]));
  elf::ElfFile f = elf::ElfFile::from_bytes(bytes, "good.ko");
  const elf::Section* rela = nullptr;
  for (const auto& s : f.sections())
    if (s.type == llvm::ELF::SHT_RELA && !rela) rela = &s;
  ASSERT_NE(rela, nullptr);
  // e_shoff at 0x28; sh_entsize is the 10th field (offset 56) of a 64-byte header
  uint64_t shoff = 0;
  std::memcpy(&shoff, bytes.data() + 0x28, 8);
  const uint64_t entsize = 7;
  std::memcpy(bytes.data() + shoff + rela->index * 64 + 56, &entsize, 8);
  elf::ElfFile bad = elf::ElfFile::from_bytes(bytes, "bad.ko");
  try {
    bad.relocations(bad.sections()[rela->index]);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.ko: ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("sh_entsize"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace modforge::test
