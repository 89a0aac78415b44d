#include "modpost/object_file.h"

#include <cerrno>
#include <cstring>
#include <vector>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELFTypes.h>

#include "core/fd_io.h"

namespace modforge::modpost {

namespace {

using Ehdr = llvm::object::ELF64LE::Ehdr;
using Shdr = llvm::object::ELF64LE::Shdr;

// grab_file(): open, fstat, mmap -- here a read, with the errno a failure of the real
// steps leaves: mmap refuses empty files (EINVAL) and anything but a regular file (ENODEV).
struct Grabbed {
  int err = 0;
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
};

// All `len` bytes at `off`, or false.
bool read_range(int fd, char* to, uint64_t off, uint64_t len) {
  return read_up_to(fd, to, len, static_cast<int64_t>(off)) == static_cast<ssize_t>(len);
}

// Reads the parts of an x86-64 object modpost looks at: everything but the DWARF sections
// and the relocations that apply to them, which are most of a kernel object and which the
// real tool never touches either.  The buffer has the file's size; what is not read is
// never written, so its pages cost nothing.  Anything unexpected: the whole file.
bool read_sparse(int fd, char* buf, std::size_t size) {
  if (size < sizeof(Ehdr) || !read_range(fd, buf, 0, sizeof(Ehdr))) return false;
  Ehdr h;
  std::memcpy(&h, buf, sizeof h);
  if (std::memcmp(h.e_ident, llvm::ELF::ElfMagic, 4) != 0 || h.e_ident[llvm::ELF::EI_CLASS] != llvm::ELF::ELFCLASS64 ||
      h.e_ident[llvm::ELF::EI_DATA] != llvm::ELF::ELFDATA2LSB || h.e_shentsize != sizeof(Shdr) || h.e_shnum == 0 ||
      h.e_shstrndx >= h.e_shnum || h.e_shoff > size || (size - h.e_shoff) / sizeof(Shdr) < h.e_shnum)
    return false;
  const uint64_t table = uint64_t{h.e_shnum} * sizeof(Shdr);
  if (!read_range(fd, buf + h.e_shoff, h.e_shoff, table)) return false;
  std::vector<Shdr> sh(h.e_shnum);
  std::memcpy(sh.data(), buf + h.e_shoff, table);
  auto fits = [&](const Shdr& s) {
    return s.sh_type == llvm::ELF::SHT_NOBITS || (s.sh_offset <= size && s.sh_size <= size - s.sh_offset);
  };
  for (const Shdr& s : sh)
    if (!fits(s)) return false;
  const Shdr& names = sh[h.e_shstrndx];
  if (!read_range(fd, buf + names.sh_offset, names.sh_offset, names.sh_size)) return false;
  const std::string_view strtab(buf + names.sh_offset, names.sh_size);
  auto is_debug = [&](const Shdr& s) {
    if (s.sh_name >= strtab.size()) return false;
    return strtab.compare(s.sh_name, 6, ".debug") == 0;
  };
  for (const Shdr& s : sh) {
    if (s.sh_type == llvm::ELF::SHT_NOBITS || s.sh_size == 0 || is_debug(s)) continue;
    if ((s.sh_type == llvm::ELF::SHT_RELA || s.sh_type == llvm::ELF::SHT_REL) && s.sh_info < sh.size() &&
        is_debug(sh[s.sh_info]))
      continue;
    if (!read_range(fd, buf + s.sh_offset, s.sh_offset, s.sh_size)) return false;
  }
  return true;
}

Grabbed grab(const std::string& path) {
  Grabbed g;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    g.err = errno;
    return g;
  }
  struct stat st;
  if (::fstat(fd, &st) < 0) g.err = errno;
  else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) g.err = ENODEV;
  else if (st.st_size == 0) g.err = EINVAL;
  else {
    g.size = static_cast<std::size_t>(st.st_size);
    g.data.reset(new char[g.size]);
    if (!read_sparse(fd, g.data.get(), g.size) && !read_range(fd, g.data.get(), 0, g.size)) {
      // a file shorter than fstat said: what could be read, the rest as zeros
      std::memset(g.data.get(), 0, g.size);
      if (read_up_to(fd, g.data.get(), g.size, 0) <= 0) g.err = EIO;
    }
  }
  ::close(fd);
  return g;
}

std::string dec(uint64_t v) { return std::to_string(v); }

template <typename T>
T read_at(std::string_view bytes, uint64_t off) {
  T v;
  std::memcpy(&v, bytes.data() + off, sizeof v);
  return v;
}

}  // namespace

std::optional<OpenObject> open_object(const Context& cx, Report& rep, const std::string& path) {
  Grabbed g = grab(path);
  if (g.err) {
    std::string msg = path + ": " + std::strerror(g.err);
    if (cx.opts.ignore_missing_files) {
      rep.raw(msg + " (ignored)\n");
      return std::nullopt;
    }
    rep.die(msg + "\n");
  }
  const std::string_view bytes(g.data.get(), g.size);
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
    return OpenObject{std::move(g.data), std::move(elf)};
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
