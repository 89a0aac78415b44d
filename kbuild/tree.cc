#include "kbuild/tree.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cstring>
#include <string.h>
#include <sys/utsname.h>

#include "core/error.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;

namespace {

std::string read_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

bool is_tree(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "Makefile", ec) && fs::exists(dir / "include/config/auto.conf", ec);
}

}  // namespace

Tree open_tree(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::canonical(dir, ec);
  if (ec) throw Error(dir + ": " + ec.message());
  if (!fs::exists(p / "Makefile", ec))
    throw Error(dir + ": not a kernel build tree (no Makefile)");
  if (!fs::exists(p / "include/config/auto.conf", ec))
    throw Error(dir + ": not a configured kernel build tree (no include/config/auto.conf)");
  // The release the kernel reports (uname -r, vermagic, /lib/modules/<release>) is
  // UTS_RELEASE; Debian's kernel.release holds the upstream version instead.
  std::string version = read_line(p / "include/config/kernel.release");
  if (version.empty()) throw Error(dir + ": no include/config/kernel.release");
  std::string release = version;
  std::string uts = read_line(p / "include/generated/utsrelease.h");
  if (size_t q = uts.find('"'); q != std::string::npos && uts.rfind('"') > q)
    release = uts.substr(q + 1, uts.rfind('"') - q - 1);
  Kernel k;
  if (version.rfind("6.1.", 0) == 0 || version == "6.1") k = Kernel::v6_1;
  else if (version.rfind("6.12.", 0) == 0 || version == "6.12") k = Kernel::v6_12;
  else throw Error(dir + ": kernel " + version + " is not supported (6.1 and 6.12 are)");
  return Tree{p.string(), release, k};
}

std::vector<Tree> find_trees(const std::vector<std::string>& named) {
  std::vector<Tree> out;
  for (auto& d : named) out.push_back(open_tree(d));
  if (!out.empty()) return out;
  utsname u{};
  if (uname(&u) == 0) {
    fs::path build = fs::path("/lib/modules") / u.release / "build";
    if (is_tree(build)) return {open_tree(build.string())};
  }
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto& e : fs::directory_iterator("/usr/src", ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("linux-headers-", 0) == 0 && name.find("-common") == std::string::npos && is_tree(e.path()))
      found.push_back(e.path());
  }
  if (found.empty())
    throw Error("no kernel build tree: install linux-headers-amd64 (apt-get install linux-headers-$(uname -r)) or pass --kernel DIR");
  // Newest by version order of the directory names (e.g. 6.12.117 after 6.1.0).
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return strverscmp(a.filename().c_str(), b.filename().c_str()) < 0;
  });
  return {open_tree(found.back().string())};
}

}  // namespace modforge::kbuild
