// What `modforge check load` finds for each module × target pair; the reports
// (report_*.cc) print it, the JSON one as the versioned schema of abi/README.md.
#pragma once
#include <string>
#include <vector>

#include "loader/kernel/log.h"

namespace modforge::abi {

enum class Verdict { loads, loads_with_taints, refused, init_not_evaluated };
std::string_view verdict_name(Verdict v);  // "loads", "loads-with-taints", ...

struct Reason {
  std::string kind;     // vermagic, this_module_size, module_layout, crc, unknown_symbol,
                        // namespace, signature, licence, taint, elf, relocation, btf, init, other
  std::string symbol;   // crc, unknown_symbol, namespace
  std::string field;    // vermagic: release, smp, preempt, mod_unload, modversions, other
  std::string have;     // what the module has
  std::string want;     // what the kernel has
  std::string message;  // plain words
  std::string kernel_line;  // the kernel's own line, when it prints one
  bool first = false;       // the reason the kernel gives (its first refusal)
  bool blocking = true;     // refuses the load on its own (false: a taint or a note)
};

struct ModuleResult {
  std::string path, name;
  Verdict verdict = Verdict::loads;
  std::vector<std::string> after, after_files;  // dependencies loaded first, in modprobe order
  int err = 0;                                  // the first refusal's errno (0: none)
  loader::kernel::Log log;                      // every line the kernel prints for the load
  std::string taints;                           // /proc/modules letters
  std::vector<Reason> reasons;                  // the first refusal first
  std::string unmodelled;                       // the emulator's caveat, when it has one
};

struct TargetResult {
  std::string given, release, kernel, vermagic;
  bool enforce = false;
  std::vector<ModuleResult> results;
  int count(Verdict v) const;
};

}  // namespace modforge::abi
