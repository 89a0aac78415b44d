// What load_module carries from one pass to the next: the kernel's struct load_info (the
// image and the section indices it caches, in ModuleView), the struct module being built,
// the target and boot state it is checked against, and the syscall's outcome so far.
// Each pass (signing.cc, elf_validity.cc, version.cc, modinfo_check.cc, allocate.cc,
// symbols.cc, exports.cc, coming.cc) takes it and returns 0 or a negative errno, with
// the lines the kernel prints in out.log.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader/kernel/kernel.h"
#include "loader/kernel/module_memory.h"
#include "loader/kernel/module_view.h"
#include "loader/kernel/relocate.h"
#include "loader/kernel/rules.h"
#include "loader/kernel/target.h"
#include "loader/layout/layout.h"

namespace modforge::loader::kernel {

struct LoadInfo {
  LoadInfo(const Target& t, State& s, std::string_view bytes, int load_flags)
      : target(t), rules(t.rules()), state(s), m(bytes), flags(load_flags) {}

  const Target& target;
  const Rules& rules;
  State& state;
  ModuleView m;  // info->hdr, sechdrs, index.*, name
  int flags;     // finit_module's flags
  Outcome out;
  LoadedModule mod;  // struct module: its name once the image has one

  bool livepatch = false;       // check_modinfo: MODULE_INFO(livepatch, Y) (mod->klp)
  bool using_gplonly = false;   // simplify_symbols resolved a GPL-only symbol
  std::vector<std::string> pending_uses;  // modules its symbols come from (ref_module), oldest first
  layout::ModuleLayout layout;          // layout_sections' places and the sizes
  RelocInput reloc;             // each symbol's value and each section's place
  std::optional<ModuleMemory> memory;     // the module's memory once it is moved
  std::vector<uint64_t> patched_returns;  // return sites apply_returns rewrote
  std::unordered_map<std::string, uint64_t> ext_addrs;  // stand-in addresses of resolved symbols
  // find_symbol's index of the loaded modules' exports (exports.cc), made at its first use.
  struct ExportIndex {
    const LoadedModule* modules = nullptr;  // the module list it was made for (rebuilt when that changes)
    std::size_t count = 0;
    bool built = false;
    // name -> each module exporting it, in list order: its first plain and first GPL-only
    // export of that name (-1: none).
    struct Hit {
      uint32_t module;
      int32_t plain, gpl;
    };
    std::unordered_map<std::string_view, std::vector<Hit>, XxHash> by_name;
  };
  mutable ExportIndex export_index;

  void log(int level, std::string s) { logf(out.log, level, std::move(s)); }
  // m.versions(), read once: check_version looks every resolved symbol up in it.
  const std::vector<ModVersion>& versions() {
    if (!versions_read) versions_cache = m.versions(), versions_read = true;
    return versions_cache;
  }
  std::vector<ModVersion> versions_cache;
  bool versions_read = false;
  // info->name, or what the kernel prints before it has one.
  std::string name_or_missing() const;
  bool tainted(unsigned bit) const { return state.tainted & (1ull << bit); }
  void add_taint(unsigned bit) { state.tainted |= 1ull << bit; }
  void add_taint_module(unsigned bit) {
    mod.taints |= 1u << bit;
    add_taint(bit);
  }
  // add_taint(..., LOCKDEP_NOW_UNRELIABLE): the first one of a boot turns lock debugging off.
  void lockdep_unreliable();
};

}  // namespace modforge::loader::kernel
