#include "loader/layout/layout_rules.h"

#include <cstdlib>

namespace modforge::loader::layout {

namespace {

constexpr LayoutRules k61{
    .memory = LayoutRules::Memory::core_and_init,
    .unplaced_is_init = true,
    .modinfo_any_flags = false,
};

constexpr LayoutRules k612{
    .memory = LayoutRules::Memory::memory_types,
    .unplaced_is_init = false,
    .modinfo_any_flags = true,
};

}  // namespace

const LayoutRules& layout_rules(Kernel k) {
  return per_kernel(k, k61, k612);
}

}  // namespace modforge::loader::layout
