// The kernel a module is loaded into: a real release described by what a user has.
//  - a headers tree (/usr/src/linux-headers-<release>): Module.symvers (exports, CRCs,
//    GPL-only, namespaces), .config, the release (include/generated/utsrelease.h, else
//    include/config/kernel.release);
//  - or a /lib/modules/<release> directory (an unpacked kernel package), with the
//    System.map and config-<release> of its /boot beside it (exports without CRCs then;
//    Debian's image packages ship a placeholder System.map, which is refused); with the
//    release's kernel image beside it (<root>/boot/vmlinuz-<release>), vmlinux's exports and
//    their CRCs are read from that image instead (loader/kernel/vmlinux_image.h).
// The built-in certificates of the release's kernel image, when one is found (beside an
// unpacked package; /boot/vmlinuz-<release> for a headers tree), start trusted_certs.
// The vermagic is composed as include/linux/vermagic.h composes VERMAGIC_STRING from the
// release and the config.  sizeof(struct module), which 6.12 compares with the size of a
// module's .gnu.linkonce.this_module, is taken from a module the target ships: modpost's
// <mod>.mod.c defines __this_module as one struct module, so every shipped module's section
// has exactly the size the kernel was built with.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xxhash.h>

#include "core/kernel.h"
#include "loader/kernel/rules.h"
#include "loader/layout/layout.h"

namespace modforge::loader::kernel {

struct XxHash {
  std::size_t operator()(std::string_view s) const { return XXH3_64bits(s.data(), s.size()); }
};

struct Export {
  uint32_t crc = 0;
  bool has_crc = false;
  bool gpl_only = false;
  std::string ns;
};
using ExportTable = std::unordered_map<std::string, Export, XxHash>;

struct Target {
  Kernel version = Kernel::v6_12;
  std::string release;    // include/config/kernel.release
  std::string vermagic;   // VERMAGIC_STRING
  // config bits load_module and delete_module look at
  bool modversions = false, module_unload = false, force_load = false, force_unload = false;
  bool module_sig = false, sig_force = false, livepatch = false, allow_missing_ns = false;
  bool strict_module_rwx = false;
  // MODULES_LEN, the module area (MODULES_VADDR .. MODULES_END) x86-64 loads modules into:
  // MODULES_VADDR follows KERNEL_IMAGE_SIZE, 1 GiB under CONFIG_RANDOMIZE_BASE (Debian's:
  // a 1008 MiB area), 512 MiB without (1520 MiB).
  uint64_t modules_len = 0xff000000ull - 0xc0000000ull;
  // CONFIG_RETPOLINE (6.1) / CONFIG_MITIGATION_RETPOLINE (6.12): a module without the
  // retpoline modinfo tag is reported (the oracle's machine has spectre v2 mitigation on).
  bool retpoline = false;
  uint64_t this_module_size = 0;
  std::string this_module_size_from;  // the shipped module it was read from
  // struct module's init and exit pointers in it (0: not found), read from that module's
  // relocations: the kernel calls what the relocations wrote there, whatever the symbol.
  uint64_t init_offset = 0, exit_offset = 0;
  std::string modules_dir;            // lib/modules/<release>, when found
  std::string dot_config;             // the .config text (the layout rules read it)
  // What the layout reads of it, parsed once by load_target (absent: parsed per load).
  std::optional<layout::LayoutConfig> layout_config;
  ExportTable exports;                // vmlinux's exports
  // The keys module signatures are verified against (DER X.509): the certificates built into
  // the kernel image (vmlinuz), then those a user names (MOK-enrolled keys, `--key`).
  std::vector<std::string> trusted_certs;
  // trusted_certs parsed once (module_sig_verify.h make_keyring), set when the list is final;
  // used only while it was made from as many certificates as the list holds.
  std::shared_ptr<const struct Keyring> keyring;
  // The key id of the signer of the target's own modules (module_signer_id of the shipped
  // module this_module_size_from names), empty when they are unsigned.
  std::string shipped_signer;
  // The built-in modules (modules.builtin), which kmod's rmmod calls "builtin".
  std::unordered_set<std::string, XxHash> builtin_modules;

  const Rules& rules() const { return rules_for(version); }
};

// Reads a target from `tree` (see above).  `version` overrides the one the release implies.
// The shipped modules are read from `modules_dir` when given (lib/modules/<release>), else
// from where a system has them: the tree itself when it is lib/modules/<release>, else
// /lib/modules/<release>.  A target without vmlinux's symbols (no Module.symvers, and no
// System.map or only a placeholder one) is refused.  Throws Error("<path>: <cause>").
Target load_target(const std::string& tree, std::optional<Kernel> version = std::nullopt,
                   const std::string& modules_dir = "");

// The version a release string implies ("6.1.0-56-amd64" -> 6.1); nullopt if neither.
std::optional<Kernel> kernel_of_release(std::string_view release);

}  // namespace modforge::loader::kernel
