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

// No default: a new Kernel value does not compile until it has its table.
const LayoutRules& layout_rules(Kernel k) {
  switch (k) {
    case Kernel::v6_1: return k61;
    case Kernel::v6_12: return k612;
  }
  std::abort();  // not a Kernel value
}

}  // namespace modforge::loader::layout
