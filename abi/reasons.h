// Every reason a module would not load (or would taint) into a target, found by reading the
// module beside the emulated kernel's run: the kernel stops at its first refusal, this
// looks at everything (vermagic field by field, struct module's size, module_layout, each
// __versions CRC, each unresolved symbol and why, namespaces, signature, taints).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/check_result.h"
#include "loader/kernel/kernel.h"
#include "loader/kmod/kofile.h"

namespace modforge::abi {

// Where a symbol the module needs comes from, besides vmlinux: a module loaded first
// (its name), or why none does.
struct ProviderInfo {
  std::string module;        // the module that exports it ("" when none)
  std::string refused_why;   // that module is refused: its first reason
  bool missing_file = false; // the target names it (Module.symvers) but does not ship it
};
using ProviderLookup = std::function<ProviderInfo(std::string_view symbol)>;

// The static reasons for `ko` against `t`, with the dependencies already in `s`.
std::vector<Reason> find_reasons(const loader::kmod::KoFile& ko, const loader::kernel::Target& t,
                                 const loader::kernel::State& s, const ProviderLookup& providers);

// Marks (or adds) the reason the emulated kernel refused with, first in the list, and
// the taints it reported; demotes static reasons the kernel did not act on.
void merge_outcome(std::vector<Reason>& reasons, const loader::kernel::Outcome& o, const loader::kernel::Target& t);

}  // namespace modforge::abi
