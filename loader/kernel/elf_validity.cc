// elf_validity_check() of kernel/module/main.c: 6.1's checks followed by setup_load_info,
// and 6.12's split into elf_validity_ehdr and elf_validity_cache_* (whose order and extra
// checks differ).  Both leave info->index.* and info->name set, in ModuleView.
#include <cerrno>
#include <cstring>
#include <string>

#include <llvm/BinaryFormat/ELF.h>

#include "loader/kernel/load_passes.h"

namespace modforge::loader::kernel {

using namespace llvm::ELF;

namespace {

// The ELF header checks both versions share (elf_validity_ehdr and the table bounds).
int ehdr_checks(const Image& im, Log& log) {
  if (!im.has_header()) {
    logf(log, kErr, "Invalid ELF header len " + std::to_string(im.len()));
    return -ENOEXEC;
  }
  const Ehdr& h = im.header();
  if (std::memcmp(h.e_ident, "\177ELF", 4) != 0) {
    logf(log, kErr, "Invalid ELF header magic: != \177ELF");
    return -ENOEXEC;
  }
  if (h.e_type != ET_REL) {
    logf(log, kErr, "Invalid ELF header type: " + std::to_string(h.e_type) + " != 1");
    return -ENOEXEC;
  }
  if (h.e_machine != EM_X86_64) {
    logf(log, kErr, "Invalid architecture in ELF header: " + std::to_string(h.e_machine));
    return -ENOEXEC;
  }
  if (h.e_shentsize != sizeof(Shdr)) {
    logf(log, kErr, "Invalid ELF section header size");
    return -ENOEXEC;
  }
  if (h.e_shoff >= im.len() || uint64_t(h.e_shnum) * sizeof(Shdr) > im.len() - h.e_shoff) {
    logf(log, kErr, "Invalid ELF section header overflow");
    return -ENOEXEC;
  }
  return 0;
}
bool offset_ok(const Image& im, const Shdr& s) {
  const uint64_t end = s.sh_offset + s.sh_size;
  return !(end < s.sh_offset || end > im.len());
}
std::string shstrndx_msg(const Ehdr& h) {
  return "Invalid ELF section name index: " + std::to_string(h.e_shstrndx) + " || e_shstrndx (" +
         std::to_string(h.e_shstrndx) + ") >= e_shnum (" + std::to_string(h.e_shnum) + ")";
}
std::string sh_link_msg(uint32_t link, unsigned shnum) {
  const std::string l = std::to_string(static_cast<int>(link));
  return "Invalid ELF sh_link!=SHN_UNDEF(" + l + ") or (sh_link(" + l + ") >= hdr->e_shnum(" + std::to_string(shnum) + ")";
}
// Both versions: the section name table is not empty and ends in a NUL.
int check_name_table(LoadInfo& li, const Shdr& str) {
  if (str.sh_size == 0) {
    li.log(kErr, "empty section name table");
    return -ENOEXEC;
  }
  if (li.m.image.range(str.sh_offset + str.sh_size - 1, 1) != std::string_view("\0", 1)) {
    li.log(kErr, "ELF Spec violation: section name table isn't null terminated");
    return -ENOEXEC;
  }
  return 0;
}
// 6.1 elf_validity_check.
int elf_validity_61(LoadInfo& li) {
  if (int e = ehdr_checks(li.m.image, li.out.log)) return e;
  li.m.image.read_section_headers();
  const Ehdr& h = li.m.image.header();
  const auto& s = li.m.image.sections();
  if (h.e_shstrndx == SHN_UNDEF || h.e_shstrndx >= h.e_shnum) {
    li.log(kErr, shstrndx_msg(h));
    return -ENOEXEC;
  }
  const Shdr& str = s[h.e_shstrndx];
  if (!offset_ok(li.m.image, str)) {
    li.log(kErr, "Invalid ELF section hdr(type " + std::to_string(str.sh_type) + ")");
    return -ENOEXEC;
  }
  if (int e = check_name_table(li, str)) return e;
  if (s[0].sh_type != SHT_NULL || s[0].sh_size != 0 || s[0].sh_addr != 0) {
    li.log(kErr, "ELF Spec violation: section 0 type(" + std::to_string(static_cast<int>(s[0].sh_type)) +
                     ")!=SH_NULL or non-zero len or addr");
    return -ENOEXEC;
  }
  for (unsigned i = 1; i < s.size(); ++i) {
    const Shdr& sh = s[i];
    if (sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS) continue;
    if (sh.sh_type == SHT_SYMTAB && (sh.sh_link == SHN_UNDEF || sh.sh_link >= h.e_shnum)) {
      li.log(kErr, sh_link_msg(sh.sh_link, h.e_shnum));
      return -ENOEXEC;
    }
    if (!offset_ok(li.m.image, sh)) {
      li.log(kErr, "Invalid ELF section in module (section " + std::to_string(i) + " type " + std::to_string(sh.sh_type) + ")");
      return -ENOEXEC;
    }
    if ((sh.sh_flags & SHF_ALLOC) && sh.sh_name >= str.sh_size) {
      li.log(kErr, "Invalid ELF section name in module (section " + std::to_string(i) + " type " + std::to_string(sh.sh_type) + ")");
      return -ENOEXEC;
    }
  }
  return 0;
}
// 6.1 setup_load_info: the first symbol table, .modinfo and this_module as find_sec finds them.
int setup_load_info_61(LoadInfo& li) {
  const auto& s = li.m.image.sections();
  li.m.idx_info = li.m.find_sec(".modinfo");
  if (li.m.idx_info)
    if (auto n = li.m.modinfo("name")) { li.m.name = std::string(*n); li.m.has_name = true; }
  for (unsigned i = 1; i < s.size(); ++i)
    if (s[i].sh_type == SHT_SYMTAB) { li.m.idx_sym = i; li.m.idx_str = s[i].sh_link; break; }
  if (!li.m.idx_sym) {
    li.log(kWarn, li.name_or_missing() + ": module has no symbols (stripped?)");
    return -ENOEXEC;
  }
  li.m.idx_mod = li.m.find_sec(".gnu.linkonce.this_module");
  if (!li.m.idx_mod) {
    li.log(kWarn, li.name_or_missing() + ": No module found in object");
    return -ENOEXEC;
  }
  return 0;
}
// 6.12 elf_validity_check with elf_validity_cache_copy.
int elf_validity_612(LoadInfo& li) {
  if (int e = ehdr_checks(li.m.image, li.out.log)) return e;
  li.m.image.read_section_headers();
  const Ehdr& h = li.m.image.header();
  const auto& s = li.m.image.sections();
  if (s.empty() || s[0].sh_type != SHT_NULL || s[0].sh_size != 0 || s[0].sh_addr != 0) {
    // e_shnum == 0: the kernel reads a section 0 that lies at e_shoff (inside the image).
    Shdr s0 = s.empty() ? li.m.image.record<Shdr>(h.e_shoff).value_or(Shdr{}) : s[0];
    if (!s.empty() || s0.sh_type != SHT_NULL || s0.sh_size != 0 || s0.sh_addr != 0) {
      li.log(kErr, "ELF Spec violation: section 0 type(" + std::to_string(static_cast<int>(s0.sh_type)) +
                       ")!=SH_NULL or non-zero len or addr");
      return -ENOEXEC;
    }
  }
  for (unsigned i = 1; i < s.size(); ++i) {
    const Shdr& sh = s[i];
    if (sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS) continue;
    if (!offset_ok(li.m.image, sh)) {
      li.log(kErr, "Invalid ELF section in module (section " + std::to_string(i) + " type " + std::to_string(sh.sh_type) + ")");
      return -ENOEXEC;
    }
  }
  if (h.e_shstrndx == SHN_UNDEF || h.e_shstrndx >= h.e_shnum) {
    li.log(kErr, shstrndx_msg(h));
    return -ENOEXEC;
  }
  const Shdr& str = s[h.e_shstrndx];
  if (str.sh_type != SHT_STRTAB) {
    li.log(kErr, "Invalid ELF section name table type: " + std::to_string(str.sh_type));
    return -ENOEXEC;
  }
  if (int e = check_name_table(li, str)) return e;
  for (unsigned i = 0; i < s.size(); ++i) {
    if (s[i].sh_type == SHT_NULL) continue;
    if (s[i].sh_name >= str.sh_size) {
      li.log(kErr, "Invalid ELF section name in module (section " + std::to_string(i) + " type " + std::to_string(s[i].sh_type) + ")");
      return -ENOEXEC;
    }
  }
  int info = li.m.find_any_unique_sec(".modinfo");
  if (info < 0) {
    li.log(kErr, "Only one .modinfo section must exist.");
    return -ENOEXEC;
  }
  if (info > 0) {
    li.m.idx_info = static_cast<unsigned>(info);
    if (auto n = li.m.modinfo("name")) { li.m.name = std::string(*n); li.m.has_name = true; }
  }
  int mod = li.m.find_any_unique_sec(".gnu.linkonce.this_module");
  if (mod <= 0) {
    li.log(kErr, "module " + li.name_or_missing() + ": Exactly one .gnu.linkonce.this_module section must exist.");
    return -ENOEXEC;
  }
  const Shdr& ms = s[static_cast<unsigned>(mod)];
  if (ms.sh_type == SHT_NOBITS) {
    li.log(kErr, "module " + li.name_or_missing() + ": .gnu.linkonce.this_module section must have a size set");
    return -ENOEXEC;
  }
  if (!(ms.sh_flags & SHF_ALLOC)) {
    li.log(kErr, "module " + li.name_or_missing() + ": .gnu.linkonce.this_module must occupy memory during process execution");
    return -ENOEXEC;
  }
  if (ms.sh_size != li.target.this_module_size) {
    li.log(kErr, "module " + li.name_or_missing() + ": .gnu.linkonce.this_module section size must match the kernel's built struct module size at run time");
    return -ENOEXEC;
  }
  li.m.idx_mod = static_cast<unsigned>(mod);
  unsigned nsym = 0, sym = 0;
  for (unsigned i = 1; i < s.size(); ++i)
    if (s[i].sh_type == SHT_SYMTAB) { ++nsym; sym = i; }
  if (nsym != 1) {
    li.log(kWarn, li.name_or_missing() + ": module has no symbols (stripped?)");
    return -ENOEXEC;
  }
  li.m.idx_sym = sym;
  const uint32_t stri = s[sym].sh_link;
  if (stri == SHN_UNDEF || stri >= h.e_shnum) {
    li.log(kErr, sh_link_msg(stri, h.e_shnum));
    return -ENOEXEC;
  }
  if (s[stri].sh_type != SHT_STRTAB) {
    li.log(kErr, "Invalid ELF symbol string table type: " + std::to_string(s[stri].sh_type));
    return -ENOEXEC;
  }
  li.m.idx_str = stri;
  return 0;
}
}  // namespace

int elf_validity_check(LoadInfo& li) {
  if (li.rules.split_elf_validity) {
    if (int e = elf_validity_612(li)) return e;
  } else {
    if (int e = elf_validity_61(li)) return e;
    if (int e = setup_load_info_61(li)) return e;
  }
  // info->name falls back to struct module's name; __versions is ignored under
  // MODULE_INIT_IGNORE_MODVERSIONS.
  if (!li.m.has_name) li.m.name = li.m.struct_name();
  li.out.name = li.m.name;
  li.mod.name = li.m.struct_name();
  li.m.idx_vers = (li.flags & kIgnoreModversions) ? 0 : li.m.find_sec("__versions");
  return 0;
}

}  // namespace modforge::loader::kernel
