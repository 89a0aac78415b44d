#include "modpost/object_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELFTypes.h>

namespace modforge::modpost {

namespace {

using Ehdr = llvm::object::ELF64LE::Ehdr;
using Shdr = llvm::object::ELF64LE::Shdr;

// grab_file(): open, fstat, mmap.  The errno a failure leaves is what the real tool
// prints: mmap refuses empty files (EINVAL) and anything but a regular file (ENODEV).
int grab_errno(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  int err = 0;
  if (::fstat(fd, &st) < 0) err = errno;
  else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) err = ENODEV;
  else if (st.st_size == 0) err = EINVAL;
  ::close(fd);
  return err;
}

std::string dec(uint64_t v) { return std::to_string(v); }

template <typename T>
T read_at(std::string_view bytes, uint64_t off) {
  T v;
  std::memcpy(&v, bytes.data() + off, sizeof v);
  return v;
}

}  // namespace

std::optional<OpenObject> open_object(Context& cx, const std::string& path) {
  Report& rep = cx.report;
  if (int err = grab_errno(path)) {
    std::string msg = path + ": " + std::strerror(err);
    if (cx.opts.ignore_missing_files) {
      rep.raw(msg + " (ignored)\n");
      return std::nullopt;
    }
    rep.die(msg + "\n");
  }
  Input input;
  try {
    input = Input::from_path(path);
  } catch (const Error& e) {
    rep.die(std::string(e.what()) + "\n");
  }
  const std::string_view bytes = input.bytes();
  if (bytes.size() < sizeof(Ehdr)) return std::nullopt;  // "assume this is an empty .o file"
  const Ehdr hdr = read_at<Ehdr>(bytes, 0);
  if (std::memcmp(hdr.e_ident, llvm::ELF::ElfMagic, 4) != 0) return std::nullopt;

  const uint8_t data = hdr.e_ident[llvm::ELF::EI_DATA];
  if (cx.rules.checks_byte_order && data != llvm::ELF::ELFDATA2LSB && data != llvm::ELF::ELFDATA2MSB)
    rep.fatal("target endian is unknown\n");
  // Debian runs one modpost binary per ELF class and byte order; ours reads the one the
  // kernels we reproduce are built as.
  if (hdr.e_ident[llvm::ELF::EI_CLASS] != llvm::ELF::ELFCLASS64 || data != llvm::ELF::ELFDATA2LSB)
    rep.fatal(path + ": not a 64-bit little-endian ELF object (only x86-64 is supported)\n");
  if (hdr.e_type != llvm::ELF::ET_REL) rep.fatal(path + ": not relocatable object.");
  if (hdr.e_shoff > bytes.size())
    rep.fatal("section header offset=" + dec(hdr.e_shoff) + " in file '" + path + "' is bigger than filesize=" +
              dec(bytes.size()) + "\n");

  // The section headers, as the real tool indexes them (beyond the file: our error).
  auto table_fits = [&](uint64_t count) {
    return hdr.e_shentsize == sizeof(Shdr) && count <= (bytes.size() - hdr.e_shoff) / sizeof(Shdr);
  };
  if (hdr.e_shnum == 0 && !table_fits(1))
    rep.fatal(path + ": section header table lies outside the file\n");
  uint64_t nsec = hdr.e_shnum;
  if (nsec == 0) nsec = read_at<Shdr>(bytes, hdr.e_shoff).sh_size;
  if (!table_fits(nsec)) rep.fatal(path + ": section header table lies outside the file\n");
  auto shdr = [&](uint64_t i) { return read_at<Shdr>(bytes, hdr.e_shoff + i * sizeof(Shdr)); };
  uint64_t shstrndx = hdr.e_shstrndx;
  if (shstrndx == llvm::ELF::SHN_XINDEX) shstrndx = shdr(0).sh_link;
  if (shstrndx >= nsec) rep.fatal(path + ": section name string table index " + dec(shstrndx) + " is out of range\n");
  const Shdr strsec = shdr(shstrndx);
  if (strsec.sh_offset > bytes.size() || strsec.sh_size > bytes.size() - strsec.sh_offset)
    rep.fatal(path + ": section name string table lies outside the file\n");
  const std::string_view secstrings = bytes.substr(strsec.sh_offset, strsec.sh_size);

  bool have_symtab = false;
  uint64_t symtab_idx = ~0ull, shndx_idx = ~0ull;
  for (uint64_t i = 1; i < nsec; ++i) {
    const Shdr s = shdr(i);
    const bool nobits = s.sh_type == llvm::ELF::SHT_NOBITS;
    if (!nobits && s.sh_offset > bytes.size())
      rep.fatal(path + " is truncated. sechdrs[i].sh_offset=" + dec(s.sh_offset) + " > sizeof(*hrd)=" +
                dec(sizeof(Ehdr)) + "\n");
    std::string_view name;
    if (s.sh_name < secstrings.size()) {
      name = secstrings.substr(s.sh_name);
      name = name.substr(0, name.find('\0'));
    }
    if (name == ".modinfo" && nobits) rep.fatal(path + " has NOBITS .modinfo\n");
    if (s.sh_type == llvm::ELF::SHT_SYMTAB) {
      have_symtab = true;
      symtab_idx = i;
    }
    if (s.sh_type == llvm::ELF::SHT_SYMTAB_SHNDX) shndx_idx = i;
  }
  if (!have_symtab) rep.fatal(path + " has no symtab?\n");
  if (shndx_idx != ~0ull && shdr(shndx_idx).sh_link != symtab_idx)
    rep.fatal(path + ": SYMTAB_SHNDX has bad sh_link: " + dec(shdr(shndx_idx).sh_link) + "!=" + dec(symtab_idx) + "\n");

  try {
    elf::ElfFile elf = elf::ElfFile::from_bytes(bytes, path);
    return OpenObject{std::move(input), std::move(elf)};
  } catch (const Error& e) {
    rep.fatal(std::string(e.what()) + "\n");
  }
}

std::string_view symbol_data(const elf::ElfFile& elf, const elf::Symbol& sym) {
  const auto secs = elf.sections();
  if (sym.section_index == 0 || sym.section_index >= secs.size()) return {};
  const std::string_view c = secs[sym.section_index].contents;
  if (sym.value >= c.size()) return {};
  return c.substr(sym.value);
}

std::string_view symbol_cstring(const elf::ElfFile& elf, const elf::Symbol& sym) {
  std::string_view d = symbol_data(elf, sym);
  return d.substr(0, d.find('\0'));
}

}  // namespace modforge::modpost
