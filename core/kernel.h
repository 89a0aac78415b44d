// The kernel versions whose tools modforge reproduces.  Each tool keeps its own table of
// per-version rules keyed by this value.
#pragma once
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modforge {

enum class Kernel { v6_1, v6_12 };

// The entry of a per-version table for kernel `k`, one argument per Kernel value.  Every
// table is selected through here: a new Kernel value fails to compile (-Werror=switch) until
// this switch, and so every call, names its entry.
template <class T>
constexpr const T& per_kernel(Kernel k, const T& v6_1, const T& v6_12) {
  switch (k) {
    case Kernel::v6_1: return v6_1;
    case Kernel::v6_12: return v6_12;
  }
  std::abort();  // not a Kernel value
}

// "6.1" or "6.12"; nullopt for anything else.
inline std::optional<Kernel> parse_kernel(std::string_view s) {
  if (s == "6.1") return Kernel::v6_1;
  if (s == "6.12") return Kernel::v6_12;
  return std::nullopt;
}

// Our own option, taken out of a tool's argument list before the real tool's options are
// parsed: --kernel=6.1 or --kernel=6.12 (also "--kernel 6.1").  `env` (MODFORGE_KERNEL)
// gives the value when the option is absent; without either, `kernel` is left as the
// caller set it.  Returns false with a message in `error` for an unknown version.
bool take_kernel_option(std::vector<std::string>& args, const char* env, Kernel& kernel, std::string& error);

// take_kernel_option() for a tool's main(): MODFORGE_KERNEL from the environment; on a bad
// value prints "<argv0>: <message>" on standard error and returns false (exit 1).
bool select_kernel(std::vector<std::string>& args, Kernel& kernel);

}  // namespace modforge
