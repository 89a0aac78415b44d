#include "loader/kernel/target.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <llvm/BinaryFormat/ELF.h>

#include "core/error.h"
#include "core/input.h"
#include "core/lines.h"
#include "core/symvers.h"
#include "loader/kmod/kofile.h"
#include "loader/kmod/names.h"
#include "loader/kernel/module_sig_verify.h"
#include "loader/kernel/vmlinux_image.h"

namespace modforge::loader::kernel {

namespace fs = std::filesystem;

std::optional<Kernel> kernel_of_release(std::string_view release) {
  auto starts = [&](std::string_view p) {
    return release.substr(0, p.size()) == p &&
           (release.size() == p.size() || release[p.size()] == '.' || release[p.size()] == '-');
  };
  if (starts("6.12")) return Kernel::v6_12;
  if (starts("6.1")) return Kernel::v6_1;
  return std::nullopt;
}

namespace {

std::optional<std::string> read_text(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  Input in = Input::from_path(p.string());
  return std::string(in.bytes());
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// CONFIG_X=y / =m / "string"; absent or "is not set" -> empty.
std::unordered_map<std::string, std::string> parse_config(std::string_view text) {
  std::unordered_map<std::string, std::string> m;
  for (std::string_view line : Lines(text)) {
    if (line.substr(0, 7) != "CONFIG_") continue;
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    m.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return m;
}

bool is_modules_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p / "modules.order", ec) || fs::is_directory(p / "kernel", ec);
}

// The .gnu.linkonce.this_module size of the first shipped module that can be read, and
// the offsets of struct module's init and exit from the first with both.
bool this_module_size_from(const fs::path& dir, Target& t) {
  auto order = read_text(dir / "modules.order");
  if (!order) return false;
  std::istringstream lines(*order);
  std::string rel;
  int tries = 0;
  while (std::getline(lines, rel) && tries < 20) {
    if (rel.empty()) continue;
    for (const char* ext : {"", ".xz", ".zst", ".gz"}) {
      fs::path p = dir / (rel + ext);
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) continue;
      ++tries;
      try {
        kmod::KoFile ko = kmod::KoFile::open(p.string());
        if (const elf::Section* s = ko.elf().section(".gnu.linkonce.this_module")) {
          if (t.this_module_size == 0) {
            t.this_module_size = s->size;
            t.this_module_size_from = p.string();
            t.shipped_signer = module_signer_id(t.version, ko.image());
          }
          // where modpost's .mod.c puts .init and .exit: the offsets of their relocations
          for (const elf::Section& r : ko.elf().sections()) {
            if (r.type != llvm::ELF::SHT_RELA || r.info != s->index) continue;
            for (const elf::Relocation& e : ko.elf().relocations(r)) {
              if (e.symbol >= ko.elf().symbols().size()) continue;
              std::string_view nm = ko.elf().symbols()[e.symbol].name;
              if (nm == "init_module") t.init_offset = e.offset;
              if (nm == "cleanup_module") t.exit_offset = e.offset;
            }
          }
          // a module without an exit function does not say where .exit is: read another
          if (t.init_offset && t.exit_offset) return true;
        }
      } catch (const Error&) {
      }
    }
  }
  return t.this_module_size != 0;
}

void exports_from_symvers(std::string_view text, const std::string& path, ExportTable& out) {
  SymversFile f = parse_symvers(text, path);
  for (const SymversEntry& e : f.entries) {
    if (e.module != "vmlinux") continue;
    Export x;
    x.crc = e.crc;
    x.has_crc = true;
    x.gpl_only = e.gpl_only;
    x.ns = std::string(e.ns);
    out[std::string(e.symbol)] = std::move(x);
  }
}

// What a target without vmlinux's symbols is told to point at instead.
std::string headers_hint(const std::string& release) {
  return "point the target at the headers tree /usr/src/linux-headers-" + release + " (package linux-headers-" +
         release + ")";
}

// System.map: every __ksymtab_<sym> is an export; GPL-only when it lies between
// __start___ksymtab_gpl and __stop___ksymtab_gpl.  It carries no CRC.  A map without a
// single __ksymtab_ entry (Debian's image packages ship a one-line placeholder, "The real
// System.map is in the linux-image-<version>-dbg package") is refused: taken as it is, it
// would describe a kernel that exports nothing and every import would be "Unknown symbol".
void exports_from_system_map(std::string_view text, const std::string& path, const std::string& release,
                             ExportTable& out) {
  struct Line { uint64_t addr; std::string_view name; };
  std::vector<Line> ks;
  uint64_t gpl_start = 0, gpl_stop = 0;
  for (std::string_view line : Lines(text)) {
    std::size_t s1 = line.find(' '), s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    if (s2 == std::string_view::npos) continue;
    uint64_t addr = std::strtoull(std::string(line.substr(0, s1)).c_str(), nullptr, 16);
    std::string_view name = line.substr(s2 + 1);
    if (name == "__start___ksymtab_gpl") gpl_start = addr;
    else if (name == "__stop___ksymtab_gpl") gpl_stop = addr;
    else if (name.substr(0, 10) == "__ksymtab_") ks.push_back({addr, name.substr(10)});
  }
  if (ks.empty())
    throw Error(path + ": holds no vmlinux symbols (no __ksymtab_ entries: Debian's image packages ship a placeholder); " +
                headers_hint(release));
  for (const Line& l : ks) {
    Export x;
    x.gpl_only = l.addr >= gpl_start && l.addr < gpl_stop;
    out[std::string(l.name)] = std::move(x);
  }
}

// modules.builtin: "kernel/dir/name.ko" per line -> name, with '-' as '_'.
void builtin_modules_from(std::string_view text, Target& t) {
  for (std::string_view e : Lines(text)) {
    std::size_t slash = e.rfind('/');
    if (slash != std::string_view::npos) e.remove_prefix(slash + 1);
    if (e.size() > 3 && e.substr(e.size() - 3) == ".ko") e.remove_suffix(3);
    if (e.empty()) continue;
    t.builtin_modules.insert(kmod::underscores(std::string(e)));
  }
}

}  // namespace

Target load_target(const std::string& tree_arg, std::optional<Kernel> version, const std::string& modules_dir) {
  fs::path tree(tree_arg);
  std::error_code ec;
  if (!fs::is_directory(tree, ec)) throw Error(tree_arg + ": " + "No such directory");
  Target t;
  std::optional<std::string> config, symvers, sysmap;
  std::string symvers_path, sysmap_path;
  fs::path mods;
  fs::path vmlinuz;  // the release's kernel image: its built-in certificates, and exports without Module.symvers
  if (fs::is_regular_file(tree / "Module.symvers", ec)) {
    // UTS_RELEASE is what vermagic.h uses; Debian's kernel.release holds the upstream
    // version (6.1.192) instead.
    if (auto uts = read_text(tree / "include/generated/utsrelease.h")) {
      std::size_t q = uts->find('"');
      if (q != std::string::npos) t.release = uts->substr(q + 1, uts->find('"', q + 1) - q - 1);
    }
    if (t.release.empty()) {
      auto rel = read_text(tree / "include/config/kernel.release");
      if (!rel) throw Error(tree_arg + ": no include/generated/utsrelease.h or include/config/kernel.release");
      t.release = trim(*rel);
    }
    config = read_text(tree / ".config");
    vmlinuz = fs::path("/boot") / ("vmlinuz-" + t.release);  // when this kernel is installed
    symvers_path = (tree / "Module.symvers").string();
    symvers = read_text(symvers_path);
  } else {
    fs::path root;  // the directory holding boot/ and lib/modules/
    if (is_modules_dir(tree)) {
      mods = tree;
      t.release = fs::absolute(tree).lexically_normal().filename().string();
      if (t.release.empty()) t.release = fs::absolute(tree).lexically_normal().parent_path().filename().string();
      root = fs::absolute(tree).lexically_normal().parent_path().parent_path().parent_path();
    } else if (fs::is_directory(tree / "lib/modules", ec)) {
      root = tree;
      for (const auto& d : fs::directory_iterator(tree / "lib/modules", ec))
        if (is_modules_dir(d.path())) { mods = d.path(); t.release = d.path().filename().string(); break; }
    }
    if (t.release.empty()) throw Error(tree_arg + ": neither a headers tree (Module.symvers) nor lib/modules/<release>");
    if (auto c = read_text(mods / "build/.config")) config = c;
    else config = read_text(root / "boot" / ("config-" + t.release));
    symvers_path = (mods / "build/Module.symvers").string();
    symvers = read_text(symvers_path);
    sysmap_path = (root / "boot" / ("System.map-" + t.release)).string();
    vmlinuz = root / "boot" / ("vmlinuz-" + t.release);
    if (!symvers && !fs::is_regular_file(vmlinuz, ec)) sysmap = read_text(sysmap_path);
    if (!symvers && !sysmap && !fs::is_regular_file(vmlinuz, ec))
      throw Error(tree_arg + ": no Module.symvers, vmlinuz-" + t.release + " or System.map-" + t.release +
                  " (vmlinux's exports); " + headers_hint(t.release));
  }
  if (!config) throw Error(tree_arg + ": no .config for " + t.release);
  if (version) {
    t.version = *version;
  } else if (auto k = kernel_of_release(t.release)) {
    t.version = *k;
  } else {
    throw Error(tree_arg + ": release " + t.release + " is neither 6.1 nor 6.12 (give --kernel)");
  }

  t.dot_config = *config;
  t.layout_config = layout::layout_config_from(t.dot_config, t.version);
  auto cfg = parse_config(*config);
  auto on = [&](const char* k) { auto it = cfg.find(k); return it != cfg.end() && (it->second == "y" || it->second == "m"); };
  t.modversions = on("CONFIG_MODVERSIONS");
  t.module_unload = on("CONFIG_MODULE_UNLOAD");
  t.force_load = on("CONFIG_MODULE_FORCE_LOAD");
  t.force_unload = on("CONFIG_MODULE_FORCE_UNLOAD");
  t.module_sig = on("CONFIG_MODULE_SIG");
  t.sig_force = on("CONFIG_MODULE_SIG_FORCE");
  t.livepatch = on("CONFIG_LIVEPATCH");
  t.allow_missing_ns = on("CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS");
  t.strict_module_rwx = on("CONFIG_STRICT_MODULE_RWX");
  // arch/x86/include/asm/page_64_types.h KERNEL_IMAGE_SIZE, pgtable_64_types.h MODULES_END
  t.modules_len = 0xff000000ull - (on("CONFIG_RANDOMIZE_BASE") ? 0xc0000000ull : 0xa0000000ull);
  t.retpoline = on("CONFIG_RETPOLINE") || on("CONFIG_MITIGATION_RETPOLINE");
  // include/linux/vermagic.h; x86-64 has no MODULE_PROC_FAMILY.
  t.vermagic = t.release + " ";
  if (on("CONFIG_SMP")) t.vermagic += "SMP ";
  if (on("CONFIG_PREEMPT_BUILD")) t.vermagic += "preempt ";
  else if (on("CONFIG_PREEMPT_RT")) t.vermagic += "preempt_rt ";
  if (t.module_unload) t.vermagic += "mod_unload ";
  if (t.modversions) t.vermagic += "modversions ";
  if (on("CONFIG_RANDSTRUCT_FULL") || on("CONFIG_RANDSTRUCT_PERFORMANCE")) {
    auto h = read_text(tree / "include/generated/randstruct_hash.h");
    std::string seed;
    if (h) {
      std::size_t q = h->find('"');
      if (q != std::string::npos) seed = h->substr(q + 1, h->find('"', q + 1) - q - 1);
    }
    t.vermagic += "RANDSTRUCT_" + seed;
  }

  // The image is decompressed once here (6.12's zstd: ~0.1 s; 6.1's xz: ~0.5 s).
  std::optional<VmlinuxImage> image;
  if (!vmlinuz.empty() && fs::is_regular_file(vmlinuz, ec)) image = read_vmlinux_image(vmlinuz.string());
  if (symvers) exports_from_symvers(*symvers, symvers_path, t.exports);
  else if (image) t.exports = std::move(image->exports);  // with their CRCs, unlike System.map
  else exports_from_system_map(*sysmap, sysmap_path, t.release, t.exports);
  if (image)
    t.trusted_certs.insert(t.trusted_certs.end(), std::make_move_iterator(image->builtin_certs.begin()),
                           std::make_move_iterator(image->builtin_certs.end()));

  // Where the target's own modules are, for sizeof(struct module) and the built-in names:
  // where the caller says, else where a system has them (the tree itself, /lib/modules).
  std::vector<fs::path> candidates;
  if (!modules_dir.empty()) {
    if (!is_modules_dir(modules_dir))
      throw Error(modules_dir + ": not a lib/modules/<release> directory (no modules.order or kernel/)");
    candidates.push_back(modules_dir);
  } else {
    if (!mods.empty()) candidates.push_back(mods);
    candidates.push_back(fs::path("/lib/modules") / t.release);
  }
  for (const fs::path& c : candidates) {
    if (!is_modules_dir(c) || !this_module_size_from(c, t)) continue;
    t.modules_dir = c.string();
    if (auto b = read_text(c / "modules.builtin")) builtin_modules_from(*b, t);
    break;
  }
  // A headers tree of a kernel that is not installed: the image package's vmlinuz beside its
  // modules (<root>/boot next to <root>/lib/modules/<release>) has the built-in keys.
  if (!image && !t.modules_dir.empty()) {
    fs::path m = fs::absolute(t.modules_dir).lexically_normal();
    if (m.filename().empty()) m = m.parent_path();
    const fs::path beside = m.parent_path().parent_path().parent_path() / "boot" / ("vmlinuz-" + t.release);
    if (fs::is_regular_file(beside, ec)) {
      VmlinuxImage im = read_vmlinux_image(beside.string());
      t.trusted_certs.insert(t.trusted_certs.end(), std::make_move_iterator(im.builtin_certs.begin()),
                             std::make_move_iterator(im.builtin_certs.end()));
    }
  }
  t.keyring = make_keyring(t.trusted_certs);
  if (t.this_module_size == 0)
    throw Error((modules_dir.empty() ? tree_arg : modules_dir) + ": no shipped module of " + t.release +
                " to read sizeof(struct module) from (name the lib/modules/" + t.release +
                " directory of its image package: --modules DIR or MODFORGE_MODULES)");
  return t;
}

}  // namespace modforge::loader::kernel
