#include "modpost/secmismatch_rules.h"

#include <cstdlib>
#include <fnmatch.h>
#include <string>

namespace modforge::modpost {

bool match_any(std::string_view s, Patterns patterns) {
  // ELF names are views into NUL-terminated string tables; anything else is copied
  std::string copy;
  const char* c = s.data();
  if (c == nullptr || c[s.size()] != '\0') {
    copy.assign(s);
    c = copy.c_str();
  }
  for (const char* p : patterns)
    if (fnmatch(p, c, 0) == 0) return true;
  return false;
}

namespace {

// ---- section name groups, as each version's modpost.c composes them ----

// Sections never checked (debug info, notes, ...); 6.12 adds the LLVM call graph.
constexpr const char* kSkip61[] = {
    ".comment*", ".debug*", ".zdebug*", ".GCC.command.line", ".mdebug*", ".pdr", ".stab*", ".note*", ".got*",
    ".toc*", ".xt.prop", ".xt.lit", ".arcextmap*", ".gnu.linkonce.arcext*", ".cmem*", ".fmt_slot*", ".gnu.lto*",
    ".discard.*"};
constexpr const char* kSkip612[] = {
    ".comment*", ".debug*", ".zdebug*", ".GCC.command.line", ".mdebug*", ".pdr", ".stab*", ".note*", ".got*",
    ".toc*", ".xt.prop", ".xt.lit", ".arcextmap*", ".gnu.linkonce.arcext*", ".cmem*", ".fmt_slot*", ".gnu.lto*",
    ".discard.*", ".llvm.call-graph-profile"};

constexpr const char* kData[] = {".data", ".data.rel"};
constexpr const char* kText[] = {".text", ".text.*", ".sched.text", ".kprobes.text", ".cpuidle.text",
                                 ".noinstr.text", ".ltext", ".ltext.*"};
constexpr const char* kTextAndData[] = {".text", ".text.*", ".sched.text", ".kprobes.text", ".cpuidle.text",
                                        ".noinstr.text", ".ltext", ".ltext.*", ".data", ".data.rel"};
constexpr const char* kInit[] = {".init.*"};
constexpr const char* kExit[] = {".exit.*"};
constexpr const char* kInitExit[] = {".init.*", ".exit.*"};
constexpr const char* kMeminit[] = {".meminit.*"};
constexpr const char* kAnyInit61[] = {".init.*", ".meminit.*"};  // 6.1 counts meminit as init
constexpr const char* kAnyInitExit61[] = {".init.*", ".meminit.*", ".exit.*"};
constexpr const char* kPciFixups[] = {".pci_fixup_early",  ".pci_fixup_header",       ".pci_fixup_final",
                                      ".pci_fixup_enable", ".pci_fixup_resume",       ".pci_fixup_resume_early",
                                      ".pci_fixup_suspend"};
constexpr const char* kKsymtab[] = {"___ksymtab*"};
constexpr const char* kExtable[] = {"__ex_table"};
constexpr const char* kAltReplacement[] = {".altinstr_replacement"};
// where an exception fixup may jump: every text section of the version
constexpr const char* kAllText61[] = {".init.text", ".meminit.text", ".exit.text", ".text", ".text.*",
                                      ".sched.text", ".kprobes.text", ".cpuidle.text", ".noinstr.text", ".ltext",
                                      ".ltext.*", ".ref.text", ".head.text", ".spinlock.text", ".fixup",
                                      ".entry.text", ".exception.text", ".coldtext", ".softirqentry.text",
                                      ".irqentry.text"};
constexpr const char* kAllText612[] = {".init.text", ".exit.text", ".text", ".text.*", ".sched.text",
                                       ".kprobes.text", ".cpuidle.text", ".noinstr.text", ".ltext", ".ltext.*",
                                       ".ref.text", ".head.text", ".spinlock.text", ".fixup", ".entry.text",
                                       ".exception.text", ".coldtext", ".softirqentry.text", ".irqentry.text"};

constexpr const char* kInitData61[] = {".init.setup", ".init.rodata", ".meminit.rodata", ".init.data",
                                       ".meminit.data"};
constexpr const char* kInitData612[] = {".init.setup", ".init.rodata", ".init.data"};
constexpr const char* kInitText[] = {".init.text"};
constexpr const char* kHeadText[] = {".head.text*"};
constexpr const char* kInitBoundaries[] = {"__init_begin", "_sinittext", "_einittext"};
constexpr const char* kConstprop[] = {"*.constprop.*"};
constexpr const char* kParam[] = {"__param*"};
constexpr const char* kParamOps[] = {"__param_ops_*"};
constexpr const char* kLocalLabel[] = {".L*"};
constexpr const char* kDriver[] = {"*driver"};
constexpr const char* kOpsLike61[] = {"*_template", "*_timer", "*_sht", "*_ops", "*_probe", "*_probe_one",
                                      "*_console"};
constexpr const char* kOpsLike612[] = {"*_ops", "*_probe", "*_console"};

constexpr Patterns none{};

// ---- 6.1 ----

constexpr MismatchCheck kChecks61[] = {
    {kText, kAnyInit61, none, MismatchKind::text_to_init},
    {kData, kMeminit, none, MismatchKind::data_to_init},
    {kData, kInit, none, MismatchKind::data_to_init},
    {kText, kExit, none, MismatchKind::text_to_exit},
    {kData, kExit, none, MismatchKind::data_to_exit},
    {kMeminit, kInit, none, MismatchKind::meminit_to_init},
    {kAnyInit61, kExit, none, MismatchKind::init_to_exit},
    {kExit, kAnyInit61, none, MismatchKind::exit_to_init},
    {kPciFixups, kInit, none, MismatchKind::init_to_exit},  // reported as the init->exit kind
    {kKsymtab, kInitExit, none, MismatchKind::export_to_init_exit},
    {kExtable, kAltReplacement, kAllText61, MismatchKind::extable_to_non_text},
};

constexpr WhitelistEntry kWhitelist61[] = {
    {kData, kInitData61, kParam, none},            // __initdata module parameters
    {kData, kInitText, kParamOps, none},           // module_param_call() set functions
    {kData, kAnyInitExit61, kOpsLike61, none},     // ops-like structures
    {kData, kMeminit, kDriver, none},              // drivers may point to meminit code
    {kData, kExit, kDriver, none, true},           // ... and to exit code, unless -W
    {kHeadText, kAnyInit61, none, none},           // .head.text may use any init section
    {none, none, none, kInitBoundaries},           // section-boundary symbols take no memory
    {kAllText61, kAnyInit61, kConstprop, none},    // gcc constant-propagation clones
    {none, none, kLocalLabel, none},               // compiler-generated local labels
};

// ---- 6.12 ----

constexpr MismatchCheck kChecks612[] = {
    {kTextAndData, kInitExit, none, MismatchKind::textdata_to_init_exit},
    {kInit, kExit, none, MismatchKind::init_to_exit},
    {kExit, kInit, none, MismatchKind::exit_to_init},
    {kPciFixups, kInit, none, MismatchKind::init_to_exit},
    {kExtable, kAltReplacement, kAllText612, MismatchKind::extable_to_non_text},
};

constexpr WhitelistEntry kWhitelist612[] = {
    {kData, kInitData612, kParam, none},
    {kData, kInitText, kParamOps, none},
    {kData, kInitExit, kOpsLike612, none},
    {kHeadText, kInit, none, none},
    {none, none, none, kInitBoundaries},
    {kAllText612, kInit, kConstprop, none},
};

constexpr SecMismatchRules kRules61{kSkip61, kChecks61, kWhitelist61, Generation::linear_scan,
                                    /*skip_special_targets=*/true, /*rel_is_fatal=*/false,
                                    /*export_section_hook=*/false};
constexpr SecMismatchRules kRules612{kSkip612, kChecks612, kWhitelist612, Generation::nearest_table,
                                     /*skip_special_targets=*/false, /*rel_is_fatal=*/true,
                                     /*export_section_hook=*/true};

}  // namespace

const SecMismatchRules& secmismatch_rules(Kernel kernel) {
  return per_kernel(kernel, kRules61, kRules612);
}

}  // namespace modforge::modpost
