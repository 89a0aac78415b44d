// move_module's allocation (loader/kernel/allocate.cc): the sizes the kernel asks the
// module area for are the laid-out ones, not the sections' raw sizes.  Each expected
// verdict below is what a real Debian kernel answered under qemu, cited where it is used.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <llvm/Object/ELFTypes.h>

#include "loader/kernel/kernel.h"
#include "loader/kernel/state_file.h"
#include "loader/tools/commands.h"

using namespace modforge::loader::kernel;
using modforge::loader::tools::read_module_image;

namespace {

using Ehdr = llvm::object::ELF64LE::Ehdr;
using Shdr = llvm::object::ELF64LE::Shdr;

constexpr const char* kRel61 = "6.1.0-56-amd64";
constexpr const char* kRel612 = "6.12.117+deb12-amd64";

std::string shipped_dir(const std::string& rel) {
  return std::string(std::getenv("HOME")) + "/.cache/modforge-oracle/" + rel + "/lib/modules/" + rel;
}

const Target& target(const std::string& rel) {
  static const Target t61 = load_target(std::string("/usr/src/linux-headers-") + kRel61, std::nullopt, shipped_dir(kRel61));
  static const Target t612 =
      load_target(std::string("/usr/src/linux-headers-") + kRel612, std::nullopt, shipped_dir(kRel612));
  return rel == kRel61 ? t61 : t612;
}

// The target's drivers/net/dummy.ko, decompressed, without its signature: the real
// kernels answer EKEYREJECTED to a signed module that was changed (the emulator takes a
// well-formed signature as good), so the modules asked of them were unsigned.
std::string dummy(const std::string& rel) {
  const std::string dir = shipped_dir(rel) + "/kernel/drivers/net/";
  std::string b = read_module_image(dir + (rel == kRel61 ? "dummy.ko" : "dummy.ko.xz"));
  constexpr std::string_view marker = "~Module signature appended~\n";
  if (b.size() < marker.size() + 12 || b.compare(b.size() - marker.size(), marker.size(), marker) != 0) {
    ADD_FAILURE() << rel << ": dummy.ko is not signed";
    return b;
  }
  const std::size_t n = b.size() - marker.size();  // struct module_signature ends here
  const uint32_t sig_len = uint32_t(uint8_t(b[n - 4])) << 24 | uint32_t(uint8_t(b[n - 3])) << 16 |
                           uint32_t(uint8_t(b[n - 2])) << 8 | uint8_t(b[n - 1]);
  b.resize(n - 12 - sig_len);
  return b;
}

// ko-mutate's `shdr SEC FIELD VALUE` for the 64-bit fields: the section header field at
// `field` (offsetof in Elf64_Shdr) of the section named `name` set to `value`.
void set_shdr(std::string& image, std::string_view name, std::size_t field, uint64_t value) {
  Ehdr eh;
  std::memcpy(&eh, image.data(), sizeof eh);
  auto shdr_at = [&](unsigned i) { return eh.e_shoff + uint64_t(i) * sizeof(Shdr); };
  Shdr strtab;
  std::memcpy(&strtab, image.data() + shdr_at(eh.e_shstrndx), sizeof strtab);
  for (unsigned i = 1; i < eh.e_shnum; ++i) {
    Shdr s;
    std::memcpy(&s, image.data() + shdr_at(i), sizeof s);
    if (std::string_view(image.data() + strtab.sh_offset + s.sh_name) != name) continue;
    std::memcpy(image.data() + shdr_at(i) + field, &value, sizeof value);
    return;
  }
  FAIL() << "no section " << name;
}
constexpr std::size_t kAddralign = offsetof(llvm::ELF::Elf64_Shdr, sh_addralign);
constexpr std::size_t kSize = offsetof(llvm::ELF::Elf64_Shdr, sh_size);

// The mutated dummy.ko loaded into a freshly booted kernel.
Outcome load(const std::string& rel, std::string_view section, std::size_t field, uint64_t value) {
  std::string image = dummy(rel);
  set_shdr(image, section, field, value);
  EmulatedKernel k(target(rel), boot_state(0));
  return k.init_module(image, "");
}

}  // namespace

// kernel_loader_random SEED=151648683426447, step 35: lc_initpos with `ko-mutate -r
// 7548823514910269880` = shdr #20 (.orc_header) addralign 0x7fffffff.  ALIGN() with that
// mask puts the section at 2 GiB in MOD_RODATA; the real 6.12 kernel answered ENOMEM with
// [4, "execmem: unable to allocate memory"] and loaded nothing.  The same mutation on
// dummy.ko (its section #26), asked of the real 6.12 kernel with kernel-oracle.sh (as were
// the other dummy.ko cases below), was answered the same.
TEST(LoaderKernelAllocate, SectionAlignedPastTheModuleArea612) {
  const Outcome o = load(kRel612, ".orc_header", kAddralign, 0x7fffffff);
  EXPECT_EQ(o.err, ENOMEM);
  ASSERT_EQ(o.log.size(), 1u);
  EXPECT_EQ(o.log[0].level, kWarn);
  EXPECT_EQ(o.log[0].msg, "execmem: unable to allocate memory");
}

// 6.1 asks module_alloc for core_layout, which refuses a size past MODULES_LEN before
// vmalloc sees it, without a word: dummy.ko with .orc_unwind_ip (core read-only data, not
// the first there) aligned to 0x7fffffff, asked of the real 6.1 kernel: ENOMEM, no line.
TEST(LoaderKernelAllocate, SectionAlignedPastTheModuleArea61) {
  const Outcome o = load(kRel61, ".orc_unwind_ip", kAddralign, 0x7fffffff);
  EXPECT_EQ(o.err, ENOMEM);
  EXPECT_TRUE(o.log.empty());
}

// The seed's mutation on 6.1 hit shdr #16, __versions, which rewrite_section_headers takes
// out of memory before the layout: the real 6.1 kernel loaded lc_initpos.  So do both
// kernels with dummy.ko's __versions (asked of them likewise).
TEST(LoaderKernelAllocate, VersionsAlignmentIsNotLaidOut) {
  for (const char* rel : {kRel61, kRel612}) {
    const Outcome o = load(rel, "__versions", kAddralign, 0x7fffffff);
    EXPECT_EQ(o.err, 0) << rel;
  }
}

// The laid-out sizes are the kernel's unsigned int: a .bss of 4 GiB wraps to nothing and
// loads (its raw size would not fit); one of 1.25 GiB does not fit the 1008 MiB area of
// a CONFIG_RANDOMIZE_BASE kernel (6.1 quietly, 6.12 with execmem's line).  Both real
// kernels answered so for dummy.ko.
TEST(LoaderKernelAllocate, BssSizeAsLaidOut) {
  for (const char* rel : {kRel61, kRel612}) {
    EXPECT_EQ(load(rel, ".bss", kSize, 0x100000000ull).err, 0) << rel;
    const Outcome o = load(rel, ".bss", kSize, 0x50000000ull);
    EXPECT_EQ(o.err, ENOMEM) << rel;
    EXPECT_EQ(o.log.size(), rel == std::string(kRel61) ? 0u : 1u) << rel;
  }
}
