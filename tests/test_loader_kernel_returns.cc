// 6.12's return-thunk patching on a damaged module: a .return_sites entry left unrelocated
// leaves one return unpatched, and whether __warn_thunk fires depends on whether that
// return runs.  The module is the stored corpus' lc_big.ko (built by kbuild when the corpus
// was made), damaged here as ko-mutate damages it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <string>

#include "loader/kernel/kernel.h"
#include "loader/kernel/state_file.h"
#include "tests/support.h"

using namespace modforge::loader::kernel;

namespace {

const char* kRel = "6.12.117+deb12-amd64";

const Target& target612() {
  static const Target t =
      load_target(std::string("/usr/src/linux-headers-") + kRel, std::nullopt,
                  std::string(std::getenv("HOME")) + "/.cache/modforge-oracle/" + kRel + "/lib/modules/" + kRel);
  return t;
}

// lc_big.ko as the real 6.12 kernel saw it in the corpus batch 02-modules.
std::string lc_big() {
  const std::string tar = std::string(std::getenv("MODFORGE_SOURCE")) + "/tests/corpus/loader-6.12.tar.xz";
  return modforge::test::shell_output("tar xJOf '" + tar + "' loader/6.12/02-modules/lc_big.ko");
}

// ko-mutate's `rela SEC INDEX type VALUE`: the low 32 bits of entry INDEX's r_info.
void set_rela_type(std::string& ko, const std::string& sec, std::size_t index, uint32_t type) {
  Elf64_Ehdr eh;
  std::memcpy(&eh, ko.data(), sizeof eh);
  auto shdr = [&](unsigned i) {
    Elf64_Shdr s;
    std::memcpy(&s, ko.data() + eh.e_shoff + i * sizeof s, sizeof s);
    return s;
  };
  const Elf64_Shdr names = shdr(eh.e_shstrndx);
  for (unsigned i = 1; i < eh.e_shnum; ++i) {
    const Elf64_Shdr s = shdr(i);
    if (ko.c_str() + names.sh_offset + s.sh_name != sec) continue;
    ASSERT_EQ(s.sh_type, unsigned(SHT_RELA));
    ASSERT_LT(index, s.sh_size / sizeof(Elf64_Rela));
    std::memcpy(ko.data() + s.sh_offset + index * sizeof(Elf64_Rela) + offsetof(Elf64_Rela, r_info), &type, 4);
    return;
  }
  FAIL() << "no section " << sec;
}

bool logged(const Outcome& o, const std::string& msg) {
  for (const LogLine& l : o.log)
    if (l.msg.find(msg) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(LoaderKernelReturns, IntactModuleNeedsNoThunk) {
  const std::string ko = lc_big();
  ASSERT_GT(ko.size(), sizeof(Elf64_Ehdr));
  EmulatedKernel k(target612(), boot_state(0));
  const Outcome o = k.init_module(ko, "");
  EXPECT_EQ(o.err, 0);
  EXPECT_TRUE(o.unmodelled.empty()) << o.unmodelled;
  EXPECT_FALSE(logged(o, "cut here"));
  EXPECT_FALSE(k.state().tainted & (1u << kTaintWarn));
}

// The real 6.12 kernel's answer comes from the qemu tier (tests/kernel_loader_random.sh)
// with SEED=140958991704624, step 49: mutation rand23 on lc_big, `rela .rela.return_sites
// 0 type 0`.  R_X86_64_NONE is skipped, so entry 0 stays 0 and apply_returns reads the
// entry itself as the return site ("missing return thunk: ...-0x0: 00 00 00 00 ..."),
// leaving lc_big_work's loop-exit return (`jmp __x86_return_thunk`) unpatched.  The load
// succeeded, and init's call lc_big_work(10) ran that return: __warn_thunk's WARN.
// Whether it runs depends on lc_big_work's branches (its other return, for n <= 0, is
// patched), which the emulator does not execute: it gives the verdict and says the
// outcome is not modelled, so the tier compares that step and the rest of the boot on
// their verdicts.
TEST(LoaderKernelReturns, UnpatchedReturnInACalleeIsNotGuessed) {
  std::string ko = lc_big();
  ASSERT_GT(ko.size(), sizeof(Elf64_Ehdr));
  set_rela_type(ko, ".rela.return_sites", 0, R_X86_64_NONE);
  EmulatedKernel k(target612(), boot_state(0));
  const Outcome o = k.init_module(ko, "");
  EXPECT_EQ(o.err, 0);
  EXPECT_TRUE(logged(o, "missing return thunk: "));
  EXPECT_TRUE(logged(o, "at arch/x86/kernel/alternative.c:1016 apply_returns+<off>"));
  EXPECT_FALSE(o.unmodelled.empty());
  ASSERT_NE(k.find("lc_big"), nullptr);
  EXPECT_EQ(k.find("lc_big")->state, ModState::live);
  EXPECT_TRUE(k.state().tainted & (1u << kTaintWarn));
  // the kernel's rmmod printed nothing: exit (a tail call to kfree) returns through no thunk
  const Outcome rm = k.delete_module("lc_big");
  EXPECT_EQ(rm.err, 0);
  EXPECT_TRUE(rm.log.empty());
}
