// What the running kernel itself holds that a module load is checked against, read from the
// kernel image a user has (/boot/vmlinuz-<release>, or a vmlinux):
//  - vmlinux's exports, as kernel/module/main.c finds them: struct kernel_symbol entries
//    (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS: three PC-relative ints, value, name, namespace)
//    in __ksymtab and __ksymtab_gpl, their names and namespaces in __ksymtab_strings, and
//    their CRCs in __kcrctab / __kcrctab_gpl, one u32 per entry of the matching ksymtab
//    (the linker sorts both by the symbol's name: SORT(___ksymtab+*) and
//    SORT(___kcrctab+*) in include/asm-generic/vmlinux.lds.h, the same in 6.1 and 6.12);
//  - the built-in certificates (certs/system_certificates.S: system_certificate_list, the
//    module signing key's certificate then CONFIG_SYSTEM_TRUSTED_KEYS, and right after it
//    system_certificate_list_size and module_cert_size, in .init.rodata), which the
//    builtin_trusted_keys keyring is loaded from.
// The vmlinux in a bzImage is stripped (objcopy -S): no symbol table, so everything is
// found from the sections alone.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/elf.h"
#include "loader/kernel/target.h"

namespace modforge::loader::kernel {

// One export; the names are views into the vmlinux's bytes.
struct VmlinuxExport {
  std::string_view name, ns;  // ns: "" when the export has no namespace
  uint32_t crc = 0;
  bool has_crc = false;       // false without __kcrctab (CONFIG_MODVERSIONS off)
  bool gpl_only = false;      // from __ksymtab_gpl
};

// Every export, __ksymtab's then __ksymtab_gpl's, each in its table's order.  Throws
// Error("<path>: <cause>") when the sections are missing or malformed (an entry size other
// than 12, a name outside __ksymtab_strings, a CRC table of another length).
std::vector<VmlinuxExport> vmlinux_exports(const elf::ElfFile& vmlinux);

// The DER X.509 certificates of system_certificate_list (empty when the kernel has none, or
// it is not found): a run of certificates that OpenSSL parses, at an 8-byte aligned address
// of an allocated data section, followed (8-byte aligned) by its length in bytes
// (system_certificate_list_size) and the length of its first certificates (module_cert_size).
std::vector<std::string> vmlinux_builtin_certs(const elf::ElfFile& vmlinux);

// What the emulated kernel takes from a kernel image.
struct VmlinuxImage {
  std::string version;                     // the bzImage's kernel_version string (empty for a vmlinux)
  ExportTable exports;
  std::vector<std::string> builtin_certs;  // DER, in the kernel's order
};

// Reads a vmlinuz (bzImage, decompressed in memory) or an ELF vmlinux.  Throws
// Error("<path>: <cause>").  What a file yields is cached across processes (in
// $MODFORGE_CACHE_DIR, else $XDG_CACHE_HOME/modforge, else ~/.cache/modforge, under
// vmlinuz/, named for the file's device, inode, size and mtime): every emulated kmod
// command loads its target anew, and the decompression takes 0.1-0.5 s.
VmlinuxImage read_vmlinux_image(const std::string& path);
// The same, never cached.
VmlinuxImage read_vmlinux_image_uncached(const std::string& path);

}  // namespace modforge::loader::kernel
