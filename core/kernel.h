// The kernel versions whose tools modforge reproduces.  Each tool keeps its own table of
// per-version rules keyed by this value.
#pragma once
#include <optional>
#include <string_view>

namespace modforge {

enum class Kernel { v6_1, v6_12 };

// "6.1" or "6.12"; nullopt for anything else.
inline std::optional<Kernel> parse_kernel(std::string_view s) {
  if (s == "6.1") return Kernel::v6_1;
  if (s == "6.12") return Kernel::v6_12;
  return std::nullopt;
}

}  // namespace modforge
