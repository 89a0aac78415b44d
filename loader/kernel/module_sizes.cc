#include "loader/kernel/module_sizes.h"

#include <cstring>
#include <string>

#include <llvm/BinaryFormat/ELF.h>

#include "core/elf.h"
#include "core/error.h"
#include "loader/kernel/image.h"
#include "loader/layout/layout.h"

namespace modforge::loader::kernel {

namespace {
ModuleLayout layout_from(std::string_view image, const Target& t, bool ignore_modversions) {
  elf::ElfFile f = elf::ElfFile::from_bytes(image, "module");
  LoadFlags lf;
  lf.ignore_modversions = ignore_modversions;
  return module_layout(f, layout_config_from(t.dot_config, t.version), lf);
}

// A copy of `image` with the fields LLVM checks and the kernel ignores set as a
// kbuild-built module has them, so that the layout rules can read it:
//  - e_ident's class, data, version and OS ABI;
//  - the symbol table's sh_entsize (the kernel divides by sizeof(Elf64_Sym)) and a size
//    that is not a multiple of it (the kernel reads size / 24 symbols);
//  - a string table that is empty or not NUL-terminated (the kernel reads names at
//    sh_offset + st_name whatever its size): extended to the last NUL of the image.
// Only the symbol and string tables' own sizes change, and those two sections are laid
// out in init memory, so the core size (what /proc/modules prints) is the kernel's.
std::string kernel_view_copy(std::string_view image) {
  std::string copy(image);
  copy[4] = 2;  // ELFCLASS64
  copy[5] = 1;  // ELFDATA2LSB
  copy[6] = 1;  // EV_CURRENT
  copy[7] = 0;  // ELFOSABI_NONE
  Image im(copy);
  if (!im.has_header()) return copy;
  im.read_section_headers();
  const auto& secs = im.sections();
  const uint64_t shoff = im.header().e_shoff;
  auto write = [&](std::size_t i, const Shdr& s) {
    const uint64_t at = shoff + i * sizeof(Shdr);
    if (at + sizeof(Shdr) <= copy.size()) std::memcpy(copy.data() + at, &s, sizeof(Shdr));
  };
  for (std::size_t i = 0; i < secs.size(); ++i) {
    if (secs[i].sh_type != llvm::ELF::SHT_SYMTAB) continue;
    Shdr sym = secs[i];
    sym.sh_entsize = sizeof(Sym);
    sym.sh_size -= sym.sh_size % sizeof(Sym);
    write(i, sym);
    if (sym.sh_link == 0 || sym.sh_link >= secs.size()) continue;
    Shdr str = secs[sym.sh_link];
    if (str.sh_type != llvm::ELF::SHT_STRTAB || str.sh_offset >= copy.size()) continue;
    const uint64_t end = str.sh_offset + str.sh_size;
    if (str.sh_size && end <= copy.size() && copy[end - 1] == '\0') continue;
    std::size_t nul = copy.rfind('\0');
    if (nul == std::string::npos || nul < str.sh_offset) continue;
    str.sh_size = nul + 1 - str.sh_offset;
    write(sym.sh_link, str);
  }
  return copy;
}
}  // namespace

ModuleLayout layout_of(std::string_view image, const Target& t, bool ignore_modversions) {
  try {
    return layout_from(image, t, ignore_modversions);
  } catch (const Error&) {
  }
  if (image.size() < sizeof(Ehdr)) return {};
  std::string copy = kernel_view_copy(image);
  try {
    return layout_from(copy, t, ignore_modversions);
  } catch (const Error&) {
    return {};
  }
}

Sizes sizes_of(std::string_view image, const Target& t, bool ignore_modversions) {
  const ModuleSizes s = layout_of(image, t, ignore_modversions).sizes;
  return {s.core, s.init};
}

}  // namespace modforge::loader::kernel
