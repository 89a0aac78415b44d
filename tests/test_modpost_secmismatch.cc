// The section-mismatch walk against the real modpost of 6.1 and 6.12: every module of
// tests/corpus/modpost-modules/secmis_* is built with the real kbuild, the real modpost
// runs on its object alone, and its whole standard error must equal what check_sec_ref
// (plus a stand-in for the core's .export_symbol check) writes.  Then a sample of real
// Debian modules, where our text must appear verbatim in the real tool's output.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <llvm/BinaryFormat/ELF.h>

#include "core/elf.h"
#include "core/error.h"
#include "modpost/report.h"
#include "modpost/secmismatch.h"
#include "modpost/secmismatch_rules.h"
#include "modpost/symsearch.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;
using modpost::Report;

struct Version {
  Kernel kernel;
  const char* name;
  const char* tree;
  const char* real;
};
const Version kVersions[] = {
    {Kernel::v6_1, "6.1", "/usr/src/linux-headers-6.1.0-56-amd64",
     "/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64"},
    {Kernel::v6_12, "6.12", "/usr/src/linux-headers-6.12.117+deb12-amd64",
     "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64"},
};

const char* const kModules[] = {
    "secmis_text_init", "secmis_data_init",   "secmis_init_exit", "secmis_param",
    "secmis_whitelist", "secmis_constprop",   "secmis_export_init", "secmis_nonalloc",
    "secmis_extable",   "secmis_extable_bad", "secmis_extable_black", "secmis_many",
};

std::string env_or_fail(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set (run the tests through CTest)");
  return v;
}

// All source files of a module directory, concatenated in name order: the cache key.
std::string sources_of(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) all += f.filename().string() + "\n" + read_file(f.string());
  return all;
}

// Builds the module with the real kbuild once per source content and returns the path
// of its object (the input modpost reads).  The build's own modpost step may fail on
// purpose (the extable modules); only the object matters here.
std::string built_object(const Version& v, const std::string& module) {
  const fs::path src = fs::path(env_or_fail("MODFORGE_SOURCE")) / "tests/corpus/modpost-modules" / module;
  const fs::path dir = fs::path(env_or_fail("MODFORGE_BUILD")) / "secmis-objects" / v.name / module;
  const std::string object = (dir / (module + ".o")).string();
  const std::string key = sources_of(src);
  if (fs::exists(dir / "stamp") && read_file((dir / "stamp").string()) == key && fs::exists(object)) return object;
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(src, dir, fs::copy_options::recursive);
  Outcome b = run_program("/usr/bin/make", {"-C", v.tree, "M=" + dir.string(), "modules"}, "");
  if (!fs::exists(object)) throw std::runtime_error("kbuild did not build " + object + ":\n" + b.out + b.err);
  write_file((dir / "stamp").string(), key);
  return object;
}

struct Ours {
  std::string text;
  bool failed = false;
  unsigned mismatches = 0;
};

// check_sec_ref as the core calls it; for 6.12 -M the hook stands in for the core's
// check_export_symbol() as far as the init/exit warning goes, and checks that the label
// the core will look up is the export's own.
Ours run_walk(const Version& v, const std::string& object, bool extra_warn) {
  elf::ElfFile elf = elf::ElfFile::open(object);
  const std::string modname = v.kernel == Kernel::v6_1 ? object : object.substr(0, object.size() - 2);
  Report report(v.kernel);
  modpost::SymbolSearch search(elf);
  const uint32_t export_sec = modpost::export_symbol_section(elf);
  auto hook = [&](uint64_t faddr, std::string_view tosec, const elf::Symbol& sym) {
    const elf::Symbol* label = search.containing(faddr, export_sec);
    EXPECT_TRUE(label && label->name == "__export_symbol_" + std::string(sym.name)) << sym.name;
    static const char* const init[] = {".init.*"};
    static const char* const exit[] = {".exit.*"};
    if (modpost::match_any(tosec, init))
      report.warn(modname + ": " + std::string(sym.name) + ": EXPORT_SYMBOL used for init symbol. Remove __init or EXPORT_SYMBOL.\n");
    else if (modpost::match_any(tosec, exit))
      report.warn(modname + ": " + std::string(sym.name) + ": EXPORT_SYMBOL used for exit symbol. Remove __exit or EXPORT_SYMBOL.\n");
  };
  modpost::SecRefOptions opts;
  opts.module_enabled = v.kernel == Kernel::v6_12;  // kbuild passes -M with CONFIG_MODULES
  opts.extra_warn = extra_warn;
  try {
    modpost::check_sec_ref(elf, modname, v.kernel, opts, report, hook, &search);
  } catch (const modpost::Fatal&) {
  }
  return {report.text(), report.failed(), report.section_mismatches};
}

std::vector<std::string> real_args(const Version& v, const std::string& object, bool extra_warn, bool werror) {
  std::vector<std::string> a;
  if (v.kernel == Kernel::v6_12) a.push_back("-M");
  a.insert(a.end(), {"-m", "-e", "-i", std::string(v.tree) + "/Module.symvers"});
  if (extra_warn) a.push_back("-W");
  if (werror) a.push_back("-E");
  a.push_back(object);
  return a;
}

TEST(ModpostSecMismatch, DiagnosticsModulesMatchTheRealModpost) {
  for (const Version& v : kVersions) {
    for (const char* module : kModules) {
      const std::string object = built_object(v, module);
      for (bool extra_warn : {false, true}) {
        SCOPED_TRACE(std::string(v.name) + " " + module + (extra_warn ? " -W" : ""));
        Outcome real = run_program(v.real, real_args(v, object, extra_warn, false), "");
        Ours ours = run_walk(v, object, extra_warn);
        EXPECT_FALSE(real.err.empty()) << "the module no longer provokes a diagnostic";
        EXPECT_EQ(ours.text, real.err);
        EXPECT_EQ(ours.failed ? 1 : 0, real.exit_code);

        // -E turns any counted mismatch into the end-of-run error: the counter must agree
        Outcome strict = run_program(v.real, real_args(v, object, extra_warn, true), "");
        const bool real_counted = strict.err.find("Section mismatches detected.\n") != std::string::npos;
        const bool fatal_first = ours.failed && real.err.find("black-listed") != std::string::npos;
        if (!fatal_first) {
          EXPECT_EQ(ours.mismatches > 0, real_counted) << ours.mismatches;
        }
      }
    }
  }
}

// The 6.1 whitelist that only -W lifts, and 6.12's lack of it, seen directly.
TEST(ModpostSecMismatch, DriverExitWhitelistFollowsExtraWarn) {
  const Version& v61 = kVersions[0];
  const std::string object = built_object(v61, "secmis_whitelist");
  const std::string quiet = run_walk(v61, object, false).text, loud = run_walk(v61, object, true).text;
  EXPECT_EQ(quiet.find("secmis_exit_driver"), std::string::npos);
  EXPECT_NE(loud.find("secmis_exit_driver (section: .data) -> exit_fn (section: .exit.text)"), std::string::npos);
}

// The relocation walk over real Debian modules: no exception, and every line we print is
// printed by the real modpost too, in the same order (the .ko is copied as x.o, the only
// name modpost accepts; its other complaints about a linked module are ignored).
size_t count(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

std::vector<std::string> sample(const std::string& root, const std::string& suffix, size_t step) {
  std::vector<std::string> all;
  if (!fs::exists(root)) throw std::runtime_error(root + " is missing (run /work/shared/tools/kernel-oracle.sh --setup)");
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().string().ends_with(suffix)) all.push_back(e.path().string());
  std::sort(all.begin(), all.end());
  std::vector<std::string> picked;
  for (size_t i = 0; i < all.size(); i += step) picked.push_back(all[i]);
  return picked;
}

TEST(ModpostSecMismatch, RealDebianModulesAgreeWithTheRealModpost) {
  const std::string cache = std::getenv("ORACLE_CACHE") ? std::getenv("ORACLE_CACHE")
                                                        : std::string(std::getenv("HOME")) + "/.cache/modforge-oracle";
  const struct {
    const Version& v;
    std::string root, suffix;
  } sets[] = {
      {kVersions[0], cache + "/6.1.0-56-amd64/lib/modules/6.1.0-56-amd64/kernel", ".ko"},
      {kVersions[1], cache + "/6.12.117+deb12-amd64/lib/modules/6.12.117+deb12-amd64/kernel", ".ko.xz"},
  };
  // 6.1 modules that 6.12's rules (no *driver whitelist) find mismatches in
  const std::string root61 = sets[0].root;
  const std::vector<std::string> cross = {root61 + "/drivers/hwmon/smsc47m1.ko",
                                          root61 + "/drivers/virt/coco/sev-guest/sev-guest.ko"};
  for (int pass = 0; pass < 3; ++pass) {
    const auto& set = sets[pass == 2 ? 1 : pass];
    const auto modules = pass == 2 ? cross : sample(set.root, set.suffix, 40);
    const std::string suffix = pass == 2 ? ".ko" : set.suffix;
    ASSERT_GT(modules.size(), pass == 2 ? 1u : 90u) << set.root;
    size_t relocations = 0, reported = 0;
    for (const std::string& ko : modules) {
      SCOPED_TRACE(ko);
      const std::string object = temp_dir() + "/x.o";
      if (suffix == ".ko.xz") {
        Outcome x = run_program("/usr/bin/xz", {"-dc", ko}, "");
        ASSERT_EQ(x.exit_code, 0) << x.err;
        write_file(object, x.out);
      } else {
        fs::copy_file(ko, object);
      }
      Ours ours;
      ASSERT_NO_THROW(ours = run_walk(set.v, object, false));
      elf::ElfFile elf = elf::ElfFile::open(object);
      for (const auto& s : elf.sections()) relocations += elf.relocations(s).size();
      Outcome real = run_program(set.v.real, real_args(set.v, object, false, false), "");
      EXPECT_NE(real.err.find(ours.text), std::string::npos) << ours.text;
      for (const char* what : {"section mismatch in reference", "EXPORT_SYMBOL used for", "non-allocatable section"})
        EXPECT_EQ(count(ours.text, what), count(real.err, what)) << what;
      reported += ours.mismatches;
    }
    if (pass == 2) EXPECT_EQ(reported, 2u);
    std::cout << "[          ] " << set.v.name << (pass == 2 ? " (6.1 modules)" : "") << ": " << modules.size() << " Debian modules, " << relocations
              << " relocations walked, " << reported << " mismatches reported\n";
  }
}

// Every 6.1 Debian module (uncompressed, so cheap to read) through the walk of both
// versions: no exception, and under 6.1's rules no mismatch (Debian's 6.1 build has
// none left; 6.12's rules, which dropped the *driver whitelist, do find some).
TEST(ModpostSecMismatch, AllDebian61ModulesWalkCleanly) {
  const std::string cache = std::getenv("ORACLE_CACHE") ? std::getenv("ORACLE_CACHE")
                                                        : std::string(std::getenv("HOME")) + "/.cache/modforge-oracle";
  const auto modules = sample(cache + "/6.1.0-56-amd64/lib/modules/6.1.0-56-amd64/kernel", ".ko", 1);
  ASSERT_GT(modules.size(), 4000u);
  size_t nonalloc = 0, under_612 = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& ko : modules) {
    elf::ElfFile elf = elf::ElfFile::open(ko);
    for (const Version& v : kVersions) {
      Report report(v.kernel);
      ASSERT_NO_THROW(modpost::check_sec_ref(elf, ko, v.kernel, {}, report, {})) << ko;
      EXPECT_FALSE(report.failed()) << ko;
      if (v.kernel == Kernel::v6_1) {
        EXPECT_EQ(report.section_mismatches, 0u) << ko << "\n" << report.text();
        // a linked .ko keeps its .BTF section, which has no SHF_ALLOC
        nonalloc += count(report.text(), "non-allocatable section");
      } else {
        under_612 += report.section_mismatches;
      }
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(nonalloc, 0u);
  std::cout << "[          ] " << modules.size() << " modules walked twice in " << ms << " ms; 6.1: " << nonalloc
            << " non-allocatable warnings; 6.12 rules: " << under_612 << " mismatches\n";
}

// x86-64 objects carry only SHT_RELA; an SHT_REL section (made here by retyping one)
// stops 6.12 at its first entry, as it has no x86-64 reader for implicit addends.
TEST(ModpostSecMismatch, RelSectionIsFatalIn612) {
  const Version& v = kVersions[1];
  const std::string built = built_object(v, "secmis_many");
  std::string bytes = read_file(built);
  elf::ElfFile elf = elf::ElfFile::from_bytes(bytes, built);
  const elf::Section* rela = nullptr;
  for (const auto& s : elf.sections())
    if (s.name == ".rela.text") rela = &s;
  ASSERT_NE(rela, nullptr);
  uint64_t shoff = 0;
  std::memcpy(&shoff, bytes.data() + 0x28, 8);
  char* sh = bytes.data() + shoff + rela->index * 64;
  const uint32_t rel = llvm::ELF::SHT_REL;
  const uint64_t entsize = 16, size = rela->size / 16 * 16;
  std::memcpy(sh + 4, &rel, 4);
  std::memcpy(sh + 32, &size, 8);
  std::memcpy(sh + 56, &entsize, 8);
  const std::string object = temp_dir() + "/secmis_many.o";
  write_file(object, bytes);
  Outcome real = run_program(v.real, real_args(v, object, false, false), "");
  Ours ours = run_walk(v, object, false);
  EXPECT_NE(real.err.find("Please add code to calculate addend for this architecture\n"), std::string::npos);
  EXPECT_EQ(ours.text, real.err);
  EXPECT_EQ(real.exit_code, 1);
  EXPECT_TRUE(ours.failed);
}

// Bad input: a relocation naming a symbol past the table is an error, not a crash.
TEST(ModpostSecMismatch, RelocationPastTheSymbolTableIsAnError) {
  const std::string object = built_object(kVersions[1], "secmis_text_init");
  std::string bytes = read_file(object);
  elf::ElfFile elf = elf::ElfFile::from_bytes(bytes, "good.o");
  const elf::Section* rela = nullptr;
  for (const auto& s : elf.sections())
    if (s.type == llvm::ELF::SHT_RELA && s.name == ".rela.text") rela = &s;
  ASSERT_NE(rela, nullptr);
  // r_info of the first entry: symbol index in the high 32 bits
  const size_t info = rela->offset + 8;
  const uint32_t huge = 0x00ffffff;
  std::memcpy(bytes.data() + info + 4, &huge, 4);
  elf::ElfFile bad = elf::ElfFile::from_bytes(bytes, "bad.o");
  Report report(Kernel::v6_12);
  try {
    modpost::check_sec_ref(bad, "bad", Kernel::v6_12, {}, report, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "bad.o: relocation section .rela.text refers to symbol 16777215, past the symbol table");
  }
}

}  // namespace
}  // namespace modforge::test
