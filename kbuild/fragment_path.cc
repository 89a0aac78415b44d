#include "kbuild/fragment_path.h"

#include <filesystem>

#include "core/error.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;

std::string makefile_fragment_path() {
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (ec) throw Error("/proc/self/exe: " + ec.message());
  fs::path installed = exe.parent_path().parent_path() / "share/modforge/modforge.mk";
  if (fs::is_regular_file(installed, ec)) return installed.string();
  // A binary of the build tree (the tests, a developer): the source tree's copy.
  fs::path build = fs::weakly_canonical(MODFORGE_BINARY_DIR, ec);
  fs::path source = fs::path(MODFORGE_SOURCE_DIR) / "templates/modforge.mk";
  auto rel = exe.lexically_relative(build);
  if (!ec && !rel.empty() && *rel.begin() != ".." && fs::is_regular_file(source, ec)) return source.string();
  throw Error("the Makefile fragment is not installed: no " + installed.string());
}

}  // namespace modforge::kbuild
