// The ELF view against binutils on real Debian 6.12 modules, and on broken copies of one.
#include <algorithm>
#include <gtest/gtest.h>
#include <llvm/BinaryFormat/ELF.h>
#include <sstream>

#include "core/elf.h"
#include "core/error.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

const char* const kModules[] = {
    "fs/binfmt_misc.ko.xz",
    "drivers/net/dummy.ko.xz",
    "fs/fat/vfat.ko.xz",
    "net/ipv4/tcp_bbr.ko.xz",
    "fs/btrfs/btrfs.ko.xz",
};
const std::string kModuleRoot = "/lib/modules/6.12.117+deb12-amd64/kernel/";

Outcome run_ok(const std::string& program, const std::vector<std::string>& args) {
  Outcome r = run_program(program, args, "");
  EXPECT_EQ(r.exit_code, 0) << program << ": " << r.err;
  return r;
}

// Decompresses a module into a fresh file and returns its path.
std::string decompressed(const std::string& rel) {
  std::string out = temp_dir() + "/" + rel.substr(rel.rfind('/') + 1, rel.size() - rel.rfind('/') - 4);
  write_file(out, run_ok("/usr/bin/xz", {"-dc", kModuleRoot + rel}).out);
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string w; in >> w;) v.push_back(w);
  return v;
}

std::string hex(uint64_t v, int width) {
  std::ostringstream o;
  o << std::hex;
  o.width(width);
  o.fill('0');
  o << v;
  return o.str();
}

TEST(CoreElf, SectionsAndSymbolsAgreeWithReadelfAndNm) {
  for (const char* rel : kModules) {
    SCOPED_TRACE(rel);
    const std::string path = decompressed(rel);
    elf::ElfFile f = elf::ElfFile::open(path);
    EXPECT_EQ(f.elf_type(), llvm::ELF::ET_REL);

    // readelf -SW: "  [Nr] Name Type Address Off Size ..."; entry 0 has no name.
    std::vector<std::string> theirs, ours;
    for (const auto& l : lines(run_ok("/usr/bin/readelf", {"-SW", path}).out)) {
      auto b = l.find('['), e = l.find(']');
      if (b == std::string::npos || e == std::string::npos || l.compare(b, 4, "[Nr]") == 0) continue;
      auto w = words(l.substr(e + 1));
      if (w.size() < 5 || w[0] == "NULL") continue;
      theirs.push_back(w[0] + " " + w[3] + " " + w[4]);  // name, offset, size
    }
    for (const auto& s : f.sections().subspan(1))
      ours.push_back(std::string(s.name) + " " + hex(s.offset, 6) + " " + hex(s.size, 6));
    EXPECT_EQ(ours, theirs);
    EXPECT_GT(ours.size(), 10u);

    // nm lists neither section nor file symbols, nor the null entry
    std::vector<std::string> nm_defined, nm_undefined, our_defined, our_undefined;
    for (const auto& l : lines(run_ok("/usr/bin/nm", {"--defined-only", path}).out)) {
      auto w = words(l);
      if (w.size() == 3) nm_defined.push_back(w[0] + " " + w[2]);
    }
    for (const auto& l : lines(run_ok("/usr/bin/nm", {"-u", path}).out)) {
      auto w = words(l);
      if (w.size() == 2) nm_undefined.push_back(w[1]);
    }
    for (const auto& s : f.symbols().subspan(1)) {
      if (s.type == llvm::ELF::STT_SECTION || s.type == llvm::ELF::STT_FILE) continue;
      if (s.undefined()) our_undefined.emplace_back(s.name);
      // nm shows a relocatable object's symbols at st_value plus their section's sh_addr
      // (modules are linked with addresses for some sections); ABS/COMMON values stand
      else
        our_defined.push_back(
            hex(s.value + (s.section_index < f.sections().size() ? f.sections()[s.section_index].addr : 0), 16) + " " +
            std::string(s.name));
    }
    for (auto* v : {&nm_defined, &nm_undefined, &our_defined, &our_undefined}) std::sort(v->begin(), v->end());
    EXPECT_EQ(our_defined, nm_defined);
    EXPECT_EQ(our_undefined, nm_undefined);
    EXPECT_FALSE(our_undefined.empty());

    // contents are views into the mapping, and a defined symbol names its section
    auto modinfo = f.section_contents(".modinfo");
    ASSERT_TRUE(modinfo.has_value());
    EXPECT_NE(modinfo->find("vermagic=6.12.117+deb12-amd64"), std::string_view::npos);
    EXPECT_TRUE(modinfo->data() >= f.bytes().data() && modinfo->data() < f.bytes().data() + f.bytes().size());
    EXPECT_FALSE(f.section_contents(".no-such-section").has_value());
    for (const auto& s : f.symbols())
      if (!s.undefined() && s.section_index < llvm::ELF::SHN_LORESERVE) {
        ASSERT_EQ(s.section_name, f.sections()[s.section_index].name);
      }
    const elf::Section* bss = f.section(".bss");
    if (bss) {
      EXPECT_TRUE(bss->contents.empty());
    }
  }
}

// Every broken input is one Error line naming the file; none may crash.
void expect_error(const std::string& path, std::string_view cause) {
  try {
    elf::ElfFile::open(path);
    ADD_FAILURE() << path << ": opened";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find(cause), std::string::npos) << msg;
    EXPECT_EQ(e.exit_code(), 1);
  }
}

TEST(CoreElf, BrokenInputsAreOneLineErrors) {
  const std::string good = read_file(decompressed("fs/binfmt_misc.ko.xz"));
  const std::string dir = temp_dir();
  // ld -r puts the section header table last, so every cut below loses part of a table
  // or a section's bytes.  Debian's modules are signed: the signature and its
  // "~Module signature appended~" trailer follow the ELF image and are no part of it.
  const uint64_t shoff = *reinterpret_cast<const uint64_t*>(good.data() + 40);
  const uint16_t shnum = *reinterpret_cast<const uint16_t*>(good.data() + 60);
  const std::size_t elf_end = shoff + 64u * shnum;
  ASSERT_LT(elf_end, good.size());
  EXPECT_NE(good.find("~Module signature appended~\n", elf_end), std::string::npos);
  const std::size_t cuts[] = {0, 3, 4, 10, 16, 63, 64, 65, 1000, elf_end / 2, elf_end - 64, elf_end - 1};
  for (std::size_t cut : cuts) {
    const std::string p = dir + "/cut" + std::to_string(cut) + ".ko";
    write_file(p, good.substr(0, cut));
    expect_error(p, cut < 4 ? "not an ELF file" : "");
  }
  auto patched = [&](const std::string& name, std::size_t at, std::string_view bytes) {
    std::string b = good;
    b.replace(at, bytes.size(), bytes);
    write_file(dir + "/" + name, b);
    return dir + "/" + name;
  };
  write_file(dir + "/text.ko", "this is not an object file\n");
  expect_error(dir + "/text.ko", "not an ELF file");
  expect_error(patched("class32.ko", llvm::ELF::EI_CLASS, "\x01"), "32-bit ELF, expected 64-bit");
  expect_error(patched("class0.ko", llvm::ELF::EI_CLASS, std::string_view("\0", 1)), "invalid ELF class 0");
  expect_error(patched("be.ko", llvm::ELF::EI_DATA, "\x02"), "not a little-endian ELF file");
  expect_error(patched("arm64.ko", 18, std::string_view("\xb7\x00", 2)), "ELF machine 183, expected x86-64 (62)");
  expect_error(patched("shoff.ko", 40, std::string_view("\xff\xff\xff\xff\x00\x00\x00\x00", 8)), "");
  expect_error(patched("shstrndx.ko", 62, std::string_view("\xf0\x00", 2)), "");
  expect_error(dir + "/missing.ko", "No such file or directory");

  // a section whose bytes lie past the end of the file
  expect_error(patched("secoff.ko", shoff + 64 + 24, std::string_view("\x00\x00\x00\x40\x00\x00\x00\x00", 8)), "");

  // the same checks over bytes held in memory
  EXPECT_THROW(elf::ElfFile::from_bytes(good.substr(0, 100), "mem"), Error);
  write_file(dir + "/good.ko", good);
  EXPECT_EQ(elf::ElfFile::from_bytes(good, "mem").symbols().size(), elf::ElfFile::open(dir + "/good.ko").symbols().size());
}

}  // namespace
}  // namespace modforge::test
