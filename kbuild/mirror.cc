#include "kbuild/mirror.h"

#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = ".modforge-build";

bool ends_with(const std::string& s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

// What kbuild writes into a module directory: never mirrored, as a stale in-place build
// must not leak into the build directory.
bool kbuild_output(const std::string& name) {
  if (name == "modules.order" || name == "Module.symvers" || name == "compile_commands.json") return true;
  if (name.size() > 1 && name[0] == '.' && (ends_with(name, ".cmd") || ends_with(name, ".d"))) return true;
  for (auto suf : {".o", ".ko", ".mod", ".mod.c", ".symtypes", ".a"})
    if (ends_with(name, suf)) return true;
  return false;
}

void sync_dir(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  fs::create_directories(dst, ec);
  if (ec) throw Error(dst.string() + ": " + ec.message());
  std::set<std::string> wanted;
  for (auto& e : fs::directory_iterator(src, ec)) {
    std::string name = e.path().filename().string();
    if (name == ".git" || name == ".svn" || name == ".hg" || name == kMarker) continue;
    if (e.is_directory()) {
      if (fs::exists(e.path() / kMarker) || fs::equivalent(e.path(), dst, ec)) continue;
      wanted.insert(name);
      sync_dir(e.path(), dst / name);
    } else if (!kbuild_output(name)) {
      wanted.insert(name);
      fs::path link = dst / name;
      std::error_code lec;
      if (fs::is_symlink(fs::symlink_status(link, lec)) && fs::read_symlink(link, lec) == e.path()) continue;
      fs::remove(link, lec);
      fs::create_symlink(e.path(), link, lec);
      if (lec) throw Error(link.string() + ": " + lec.message());
    }
  }
  if (ec) throw Error(src.string() + ": " + ec.message());
  // Links to sources that were removed.
  for (auto& e : fs::directory_iterator(dst, ec)) {
    std::error_code lec;
    if (fs::is_symlink(e.symlink_status(lec)) && !wanted.count(e.path().filename().string())) fs::remove(e.path(), lec);
  }
}

}  // namespace

void sync_mirror(const std::string& src, const std::string& dst) {
  std::error_code ec;
  fs::create_directories(dst, ec);
  if (ec) throw Error(dst + ": " + ec.message());
  if (!fs::exists(fs::path(dst) / kMarker)) std::ofstream(fs::path(dst) / kMarker).flush();
  sync_dir(fs::canonical(src), fs::canonical(dst));
}

}  // namespace modforge::kbuild
