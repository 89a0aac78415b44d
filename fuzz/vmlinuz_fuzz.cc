// The kernel image readers on arbitrary bytes: core/bzimage.h's setup header and payload
// decompression (xz, zstd, gzip, lzma; the size trailer), then, on whatever ELF comes out
// (or the input itself when it is one), loader/kernel/vmlinux_image.h's exports (PC-relative
// __ksymtab entries into __ksymtab_strings, __kcrctab) and built-in certificates (OpenSSL's
// d2i_X509 on every candidate run).  Every input ends in a result or a modforge::Error.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bzimage.h"
#include "core/elf.h"
#include "core/error.h"
#include "loader/kernel/vmlinux_image.h"

using namespace modforge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  try {
    if (is_bzimage(in)) (void)read_bzimage_header(in, "fuzz");
    const std::string bytes = vmlinux_from_image(in, "fuzz");
    const elf::ElfFile f = elf::ElfFile::from_bytes(bytes, "fuzz");
    std::size_t n = 0;
    for (const loader::kernel::VmlinuxExport& e : loader::kernel::vmlinux_exports(f)) n += e.name.size() + e.ns.size();
    for (const std::string& c : loader::kernel::vmlinux_builtin_certs(f)) n += c.size();
    (void)n;
  } catch (const Error&) {
  }
  return 0;
}
