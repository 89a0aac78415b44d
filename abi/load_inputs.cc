#include "abi/load_inputs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unistd.h>

#include "core/error.h"
#include "loader/kmod/names.h"

namespace fs = std::filesystem;

namespace modforge::abi {

bool is_module_file_name(const std::string& n) {
  for (const char* suffix : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"}) {
    const std::string s(suffix);
    if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0) return true;
  }
  return false;
}

std::vector<ModuleInput> expand_modules(const std::vector<std::string>& args) {
  std::vector<ModuleInput> out;
  for (const std::string& a : args) {
    std::error_code ec;
    const fs::file_status st = fs::status(a, ec);
    if (ec || !fs::exists(st)) throw Error(a + ": No such file or directory");
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) throw Error(a + ": " + ec.message());
      for (; it != end; it.increment(ec)) {
        if (ec) throw Error(a + ": " + ec.message());
        // A build directory holds .mod.o/.o files too: modules only, and not the PCH cache.
        if (it->is_regular_file(ec) && is_module_file_name(it->path().filename().string()))
          found.push_back(it->path().string());
      }
      if (found.empty()) throw Error(a + ": no module (.ko, .ko.xz, .ko.zst, .ko.gz) in this directory");
      std::sort(found.begin(), found.end());
      for (std::string& f : found) out.push_back({f, loader::kmod::path_to_modname(f)});
    } else {
      if (::access(a.c_str(), R_OK) != 0) throw Error(a + ": Permission denied");
      out.push_back({a, loader::kmod::path_to_modname(a)});
    }
  }
  return out;
}

}  // namespace modforge::abi
