// The vmlinux inside an x86 kernel image (vmlinuz, a bzImage): the setup header
// (arch/x86/boot/header.S, Documentation/arch/x86/boot.rst) locates the compressed payload,
// which is arch/x86/boot/compressed/vmlinux.bin (vmlinux after objcopy -S: sections, no
// symbols), plus its relocations, compressed as CONFIG_KERNEL_<method> says, followed by
// the decompressed size (4 bytes, little-endian: scripts/Makefile.lib size_append).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace modforge {

// Whether the bytes start with a bzImage setup header (boot_flag 0xAA55, "HdrS").
bool is_bzimage(std::string_view bytes);

// What the setup header says (boot protocol >= 2.08: payload_offset and payload_length).
struct BzImageHeader {
  uint16_t protocol = 0;         // 0x206, e.g. 0x020f
  std::string_view version;      // the kernel_version string ("6.1.0-56-amd64 (debian-kernel@...) #1 SMP ...")
  std::string_view payload;      // the compressed vmlinux.bin (its size trailer included)
  std::string_view compression;  // "xz", "zstd", "gzip", "lzma", "bzip2", "lzo", "lz4" or "unknown"
};

// Throws Error("<name>: <cause>") when the bytes are not a bzImage, its protocol predates
// payload_offset (2.08) or the payload lies beyond the end of the file (truncated).
BzImageHeader read_bzimage_header(std::string_view bytes, const std::string& name);

// The vmlinux ELF bytes: a bzImage's payload decompressed (its first stream only: the size
// trailer follows it), or a copy of the bytes when they already are an ELF file (a vmlinux).
// The payload's xz, zstd, gzip or lzma stream is decoded with liblzma, libzstd or zlib.
// Throws Error("<name>: <cause>"): not a bzImage nor ELF, unsupported compression (bzip2,
// lzo, lz4), a corrupt or truncated stream, or output that disagrees with the size trailer.
std::string vmlinux_from_image(std::string_view bytes, const std::string& name);

}  // namespace modforge
