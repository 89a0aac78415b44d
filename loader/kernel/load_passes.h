// The passes load_module (load.cc) runs, grouped by the file that holds them; each file is
// named for the kernel file or function it follows (kernel/module/*.c).  A pass returns 0 or
// a negative errno; what the kernel prints goes to li.out.log.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loader/kernel/load_info.h"

namespace modforge::loader::kernel {

// signing.cc (signing.c module_sig_check): strips the signature; refuses an unsigned or
// malformed one under CONFIG_MODULE_SIG_FORCE.
int module_sig_check(LoadInfo& li);

// elf_validity.cc (main.c elf_validity_check; 6.12's elf_validity_cache_*, 6.1's
// setup_load_info): the ELF checks, then the section indices and info->name.
int elf_validity_check(LoadInfo& li);
// The names the rest of load_module prints and the __versions table it reads.
void setup_names(LoadInfo& li);

// version.cc (version.c): a symbol's CRC against __versions; try_to_force_load.
bool check_version(LoadInfo& li, std::string_view sym, bool has_crc, uint32_t crc);
int check_modstruct_version(LoadInfo& li);
int try_to_force_load(LoadInfo& li, const std::string& reason);

// modinfo_check.cc (main.c check_modinfo, module_augment_kernel_taints): vermagic,
// livepatch, and the taints the module's .modinfo and name bring.
int check_modinfo(LoadInfo& li);
void sig_taint(LoadInfo& li);
void module_augment_kernel_taints(LoadInfo& li);
// ndiswrapper, driverloader, lve; "module license taints kernel" when the kernel was not
// proprietary-tainted before (`prev`).
void special_names(LoadInfo& li, bool prev);

// allocate.cc (main.c layout_and_allocate, move_module, add_unformed_module;
// strict_rwx.c): the checks around the allocation, and the module's memory.
int check_exists(LoadInfo& li);
int enforce_rwx(LoadInfo& li);
int allocate(LoadInfo& li);      // layout_sections' places, and room for them in the module area
void move_module(LoadInfo& li);  // then the memory they fill

// exports.cc (main.c find_module_sections, find_symbol, verify_exported_symbols,
// check_export_symbol_versions).
void find_module_sections(LoadInfo& li);
int check_export_crcs(LoadInfo& li);
int verify_exported_symbols(LoadInfo& li);
// Where a resolved symbol came from: vmlinux (owner == nullptr) or a loaded module.
struct Found {
  const LoadedModule* owner = nullptr;
  bool has_crc = false;
  uint32_t crc = 0;
  bool gpl_only = false;
  std::string ns;
};
std::optional<Found> find_symbol(const LoadInfo& li, std::string_view name, bool gplok);

// symbols.cc (main.c simplify_symbols): each symbol's value; an unresolved one refuses.
int simplify_symbols(LoadInfo& li);

// coming.cc (main.c post_relocation, prepare_coming_module, parse_args, do_init_module).
void post_relocation(LoadInfo& li);
void prepare_coming_module(LoadInfo& li);
int parse_args(LoadInfo& li, std::string_view params);
int do_init_module(LoadInfo& li);
void list_module(LoadInfo& li);  // MODULE_STATE_LIVE, in /proc/modules with its references

}  // namespace modforge::loader::kernel
