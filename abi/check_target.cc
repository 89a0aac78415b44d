#include "abi/check_target.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/error.h"
#include "core/fd_io.h"
#include "core/lines.h"
#include "core/spawn.h"
#include "core/symvers.h"
#include "abi/load_inputs.h"
#include "loader/depmod/modread.h"
#include "loader/kernel/module_sig_verify.h"
#include "loader/kmod/names.h"

namespace fs = std::filesystem;

namespace modforge::abi {

TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw Error(tmpl + ": cannot create a temporary directory");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

// dpkg-deb unpacks it (the package tools are Debian's own; no ar/tar parsing here).
void extract_deb(const std::string& deb, const TempDir& dir, const std::vector<std::string>& members) {
  std::vector<std::string> argv = {"dpkg-deb", "-x", deb, dir.path()};
  if (!members.empty()) {
    // Only some files: dpkg-deb's data archive through tar, which writes only those (a
    // headers package is ~40,000 files, of which `check abi` reads one).
    argv = {"sh", "-c",
            "deb=$1 dir=$2; shift 2; dpkg-deb --fsys-tarfile \"$deb\" | tar -x -C \"$dir\" --wildcards "
            "--no-wildcards-match-slash \"$@\"",
            "sh", deb, dir.path()};
    argv.insert(argv.end(), members.begin(), members.end());
  }
  ShellResult r = run_program(argv, ".", nullptr, true, true);
  if (r.status != 0) {
    std::string why = r.err.substr(0, r.err.find('\n'));
    throw Error(deb + ": cannot unpack the package (dpkg-deb: " + (why.empty() ? "failed" : why) + ")");
  }
}

namespace {

// A kernel image .deb: its lib/modules/<release>.
std::string unpack_deb(const std::string& deb, TempDir& dir) {
  extract_deb(deb, dir);
  fs::path mods = fs::path(dir.path()) / "lib/modules";
  std::error_code ec;
  for (const auto& d : fs::directory_iterator(mods, ec))
    if (d.is_directory()) return d.path().string();
  throw Error(deb + ": not a kernel image package (no lib/modules/<release> in it)");
}

// Module.symvers' module column ("drivers/media/v4l2-core/videodev") to a module name.
std::string name_of_symvers_module(std::string_view m) {
  std::size_t slash = m.rfind('/');
  return loader::kmod::underscores(std::string(slash == std::string_view::npos ? m : m.substr(slash + 1)));
}

void index_module_files(const std::string& dir, CheckTarget& ct) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    // lib/modules/<release>/build and source point at the headers: not modules.
    if (it.depth() == 0 && it->is_symlink(ec)) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || !is_module_file_name(it->path().filename().string())) continue;
    std::string name = loader::kmod::path_to_modname(it->path().string());
    // depmod's order: updates/ before the rest; the first found otherwise.
    auto [pos, inserted] = ct.modules.try_emplace(name, TargetModule{it->path().string(), {}});
    if (!inserted && it->path().string().find("/updates/") != std::string::npos) pos->second.path = it->path().string();
  }
}

void index_symvers(std::string_view text, const std::string& path, CheckTarget& ct) {
  SymversFile f = parse_symvers(text, path);
  for (const SymversEntry& e : f.entries) {
    if (e.module == "vmlinux") continue;
    std::string name = name_of_symvers_module(e.module);
    loader::kernel::Export x;
    x.crc = e.crc;
    x.has_crc = true;
    x.gpl_only = e.gpl_only;
    x.ns = std::string(e.ns);
    ct.symbol_owner.try_emplace(std::string(e.symbol), name);
    ct.symvers_modules[name].emplace_back(std::string(e.symbol), std::move(x));
  }
}

// modules.symbols: "alias symbol:NAME MODULE".
bool index_modules_symbols(const std::string& dir, CheckTarget& ct) {
  std::string text;
  if (!read_whole_file(dir + "/modules.symbols", text)) return false;
  for (std::string_view line : Lines(text)) {
    if (line.substr(0, 13) != "alias symbol:") continue;
    line.remove_prefix(13);
    std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) continue;
    ct.symbol_owner.try_emplace(std::string(line.substr(0, sp)), std::string(line.substr(sp + 1)));
  }
  return true;
}

}  // namespace

CheckTarget open_check_target(const std::string& arg, const CheckOptions& o, const std::string& modules_dir) {
  CheckTarget ct;
  ct.given = arg;
  std::error_code ec;
  if (!fs::exists(arg, ec)) throw Error(arg + ": No such file or directory");
  std::string tree = arg;
  if (fs::is_regular_file(arg, ec)) {
    if (arg.size() < 4 || arg.compare(arg.size() - 4, 4, ".deb") != 0)
      throw Error(arg + ": not a kernel target (a headers tree, lib/modules/<release> or a .deb)");
    ct.unpacked = std::make_unique<TempDir>("modforge-check-");
    tree = unpack_deb(arg, *ct.unpacked);
  }
  ct.target = loader::kernel::load_target(tree, std::nullopt, modules_dir);
  for (const std::string& k : o.key_files)
    for (std::string& der : loader::kernel::read_certificates(k)) ct.target.trusted_certs.push_back(std::move(der));
  if (!o.key_files.empty()) ct.target.keyring = loader::kernel::make_keyring(ct.target.trusted_certs);
  if (o.enforce) ct.target.sig_force = true;

  if (!ct.target.modules_dir.empty()) index_module_files(ct.target.modules_dir, ct);
  std::string symvers;
  const std::string symvers_path =
      fs::is_regular_file(fs::path(tree) / "Module.symvers", ec) ? tree + "/Module.symvers"
                                                                  : ct.target.modules_dir + "/build/Module.symvers";
  if (!ct.target.modules_dir.empty() || fs::is_regular_file(symvers_path, ec)) {
    if (read_whole_file(symvers_path, symvers)) index_symvers(symvers, symvers_path, ct);
  }
  if (ct.symbol_owner.empty() && !ct.target.modules_dir.empty() && !index_modules_symbols(ct.target.modules_dir, ct)) {
    // An unpacked package has no depmod output: read the exports as depmod would.
    loader::depmod::ReadBuffers buffers;
    for (const auto& [name, m] : ct.modules) {
      loader::depmod::ModuleData d = loader::depmod::read_module(m.path, buffers);
      for (const auto& e : d.exports) ct.symbol_owner.try_emplace(e.name, name);
    }
  }
  return ct;
}

}  // namespace modforge::abi
