#include "core/kernel.h"

#include <cstdlib>

#include "core/fd_io.h"

namespace modforge {

bool take_kernel_option(std::vector<std::string>& args, const char* env, Kernel& kernel, std::string& error) {
  std::optional<std::string> v;
  if (env && *env) v = env;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    if (a.rfind("--kernel=", 0) == 0) {
      v = a.substr(9);
      args.erase(args.begin() + static_cast<long>(i--));
    } else if (a == "--kernel" && i + 1 < args.size()) {
      v = args[i + 1];
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      --i;
    }
  }
  if (!v) return true;
  if (auto k = parse_kernel(*v)) {
    kernel = *k;
  } else {
    error = "unknown kernel version '" + *v + "' (choose 6.1 or 6.12)";
    return false;
  }
  return true;
}

bool select_kernel(std::vector<std::string>& args, Kernel& kernel) {
  std::string bad;
  if (take_kernel_option(args, std::getenv("MODFORGE_KERNEL"), kernel, bad)) return true;
  write_all(2, args[0] + ": " + bad + "\n");
  return false;
}

}  // namespace modforge
