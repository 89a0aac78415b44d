#include "loader/depmod/modread.h"

#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/decompress.h"
#include "core/error.h"
#include "loader/kmod/elf.h"
#include "loader/kmod/modinfo.h"

namespace modforge::loader::depmod {

namespace {

constexpr std::size_t kSymSize = 24;  // Elf64_Sym

uint64_t le(std::string_view b, std::size_t at, std::size_t n) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(b[at + i])} << (8 * i);
  return v;
}

// An uncompressed module read lazily: only the parts kmod's reader looks at (header,
// section headers and a few sections) are read, into a buffer of the file's size.
class LazyFile final : public kmod::ByteSource {
public:
  LazyFile(int fd, char* base, uint64_t size) : fd_(fd), base_(base), size_(size) {}
  uint64_t size() const override { return size_; }
  std::string_view at(uint64_t off, uint64_t len) override {
    if (off >= size_) return {};
    len = std::min<uint64_t>(len, size_ - off);
    const ssize_t r = read_up_to(fd_, base_ + off, len, static_cast<int64_t>(off));
    const std::size_t done = r < 0 ? 0 : static_cast<std::size_t>(r);
    if (done < len) std::memset(base_ + off + done, 0, len - done);  // the file shrank
    return {base_ + off, len};
  }

private:
  int fd_;
  char* base_;
  uint64_t size_;
};

// kmod_elf_resolve_crc: a CRC symbol defined in a section holds the CRC's offset there.
uint64_t resolve_crc(kmod::ModuleElf& elf, uint64_t value, uint16_t shndx) {
  if (shndx == 0 /*SHN_UNDEF*/ || shndx == 0xfff1 /*SHN_ABS*/) return value;
  const auto s = elf.header(shndx);
  if (!s || s->size < 4 || value > s->size - 4) return UINT64_MAX;
  return le(elf.bytes(s->offset + value, 4), 0, 4);
}

std::string_view cstr(std::string_view table, std::size_t off) {
  std::string_view s = table.substr(off);
  return s.substr(0, s.find('\0'));
}

// kmod_elf_get_symbols: the __crc_ symbols of .symtab, else __ksymtab_strings.
int read_exports(kmod::ModuleElf& elf, std::vector<ExportedSymbol>& out) {
  const auto strtab = elf.section(".strtab");
  const auto symtab = elf.section(".symtab");
  bool use_symtab = strtab && symtab && symtab->size() % kSymSize == 0;
  if (use_symtab) {
    const std::size_t n = symtab->size() / kSymSize;
    for (std::size_t i = 1; i < n && use_symtab; ++i)
      if (le(*symtab, i * kSymSize, 4) >= strtab->size()) use_symtab = false;
  }
  if (use_symtab) {
    const std::size_t n = symtab->size() / kSymSize;
    for (std::size_t i = 1; i < n; ++i) {
      const std::size_t at = i * kSymSize;
      const std::size_t name_off = le(*symtab, at, 4);
      if (strtab->compare(name_off, 6, "__crc_") != 0) continue;
      const std::string_view name = cstr(*strtab, name_off);
      const uint16_t shndx = static_cast<uint16_t>(le(*symtab, at + 6, 2));
      out.push_back({std::string(name.substr(6)), resolve_crc(elf, le(*symtab, at + 8, 8), shndx)});
    }
    if (!out.empty()) return 0;
  }
  auto strings = elf.section("__ksymtab_strings");
  if (!strings) return ENODATA;
  std::string_view s = *strings;
  if (s.empty()) return 0;
  while (s.size() > 1 && s[0] == '\0') s.remove_prefix(1);
  if (s.back() != '\0') return EINVAL;
  std::size_t last = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\0') {
      if (i > last) out.push_back({std::string(s.substr(last, i - last)), 0});
      last = i + 1;
    }
  return 0;
}

// kmod_module_get_info's .modinfo strings: the alias and softdep values.
void read_modinfo(kmod::ModuleElf& elf, ModuleData& d) {
  const auto info = elf.section(".modinfo");
  if (!info) return;
  for (const kmod::ModinfoEntry& e : kmod::modinfo_entries(*info))
    if (e.key == "alias")
      d.aliases.emplace_back(e.value);
    else if (e.key == "softdep")
      d.softdeps.emplace_back(e.value);
}

// kmod_elf_get_dependency_symbols.
void read_needed(kmod::ModuleElf& elf, std::vector<NeededSymbol>& out) {
  auto versions = elf.section("__versions");
  if (versions && versions->size() % kmod::kVersionEntrySize != 0) versions.reset();
  const auto strtab = elf.section(".strtab");
  const auto symtab = elf.section(".symtab");
  if (!strtab || !symtab || symtab->size() % kSymSize != 0) return;
  const std::vector<kmod::VersionEntry> vers = versions ? kmod::version_entries(*versions) : std::vector<kmod::VersionEntry>();
  const std::size_t nver = vers.size();
  std::vector<char> visited(nver, 0);
  const std::size_t n = symtab->size() / kSymSize;
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t at = i * kSymSize;
    if (le(*symtab, at + 6, 2) != 0) continue;  // defined
    const uint64_t name_off = le(*symtab, at, 4);
    if (name_off >= strtab->size()) continue;
    const std::string_view name = cstr(*strtab, name_off);
    if (name.empty()) continue;
    NeededSymbol s{std::string(name), 0, (static_cast<unsigned char>((*symtab)[at + 4]) >> 4) == 2 /*STB_WEAK*/};
    for (std::size_t v = 0; v < nver; ++v)
      if (vers[v].name == name) {
        s.crc = vers[v].crc;
        visited[v] = 1;
        break;
      }
    out.push_back(std::move(s));
  }
  for (std::size_t v = 0; v < nver; ++v)
    if (!visited[v]) out.push_back({std::string(vers[v].name), vers[v].crc, false});
}

}  // namespace

namespace {

// The whole file, read (not mapped) into `buf`.  0 or an errno value.
int read_file(const std::string& path, ReadBuffer& buf, std::string_view& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return e;
  }
  std::size_t size = static_cast<std::size_t>(st.st_size), done = 0;
  char* p = buf.get(size + 1);
  for (;;) {
    if (done == size) {  // the file may have grown
      p = buf.grow(size * 2 + 4096, done);
      size = size * 2 + 4095;
    }
    const ssize_t r = read_up_to(fd, p + done, size - done);
    if (r < 0) {
      const int e = errno;
      ::close(fd);
      return e;
    }
    done += static_cast<std::size_t>(r);
    if (done < size) break;  // the end of the file
  }
  ::close(fd);
  out = std::string_view(p, done);
  return 0;
}

// xz with liblzma into a reused buffer; false when the data is corrupt or truncated.
bool unxz(std::string_view in, ReadBuffer& buf, std::string_view& out) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) return false;
  std::size_t cap = std::max(buf.capacity(), in.size() * 8 + 4096);
  char* p = buf.get(cap);
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  std::size_t done = 0;
  lzma_ret r = LZMA_OK;
  while (r == LZMA_OK) {
    if (done == cap) {
      p = buf.grow(cap * 2, done);
      cap *= 2;
    }
    s.next_out = reinterpret_cast<uint8_t*>(p) + done;
    s.avail_out = cap - done;
    r = lzma_code(&s, LZMA_FINISH);
    done = cap - s.avail_out;
  }
  lzma_end(&s);
  out = std::string_view(p, done);
  return r == LZMA_STREAM_END;
}

}  // namespace

namespace {

// A module opened: an uncompressed one is left to be read lazily (fd set), a compressed one
// is read and decompressed whole (image).
struct Opened {
  int fd = -1;
  uint64_t size = 0;
  std::string_view image;
  std::string owned;
};

// 0 or an errno value.
int load_image(const std::string& path, ReadBuffers& buffers, Opened& o) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  char magic[6] = {};
  if (fstat(fd, &st) != 0 || read_up_to(fd, magic, sizeof magic, 0) < 0) {
    const int e = errno;
    ::close(fd);
    return e;
  }
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  // Debian's kmod 30 is built with xz and zstd only: a gzip file is read as it is.
  const Compression c = compression_of(std::string_view(magic, std::min<std::size_t>(size, sizeof magic)));
  if (c != Compression::xz && c != Compression::zstd) {
    o.fd = fd;
    o.size = size;
    return 0;
  }
  ::close(fd);
  std::string_view image;
  if (const int e = read_file(path, buffers.file, image)) return e;
  if (c == Compression::xz) {
    if (!unxz(image, buffers.image, o.image)) return EINVAL;
  } else {
    try {
      o.owned = decompress(image, path);
      o.image = o.owned;
    } catch (const Error&) {
      return EINVAL;
    }
  }
  o.size = o.image.size();
  return 0;
}

}  // namespace

namespace {

// The module's symbols and .modinfo strings from `src` (its image, as kmod maps it).
void read_elf(kmod::ByteSource& src, ModuleData& d) {
  kmod::ModuleElf elf;
  int err = elf.open(src);
  // Symbols are read as ELF64 little-endian: other files are refused (kmod would read them).
  if (err == 0 && (!elf.is64() || elf.msb())) err = EINVAL;
  if (err != 0) {
    d.symbols_error = err;
  } else {
    const int err2 = read_exports(elf, d.exports);
    if (err2 != 0 && err2 != ENODATA) d.symbols_error = err2;
    read_modinfo(elf, d);
    read_needed(elf, d.needed);
  }
}

}  // namespace

ModuleData read_module(const std::string& path, ReadBuffers& buffers) {
  ModuleData d;
  Opened o;
  d.symbols_error = load_image(path, buffers, o);
  if (d.symbols_error == 0 && o.size == 0) d.symbols_error = EINVAL;  // kmod cannot map an empty file
  if (d.symbols_error == 0) {
    std::optional<LazyFile> lazy;
    std::optional<kmod::MemorySource> memory;
    kmod::ByteSource& src = o.fd >= 0 ? static_cast<kmod::ByteSource&>(lazy.emplace(o.fd, buffers.file.get(o.size + 1), o.size))
                                      : memory.emplace(o.image);
    read_elf(src, d);
  }
  if (o.fd >= 0) ::close(o.fd);
  return d;
}

ModuleData read_module_image(std::string_view image) {
  ModuleData d;
  if (image.empty()) {
    d.symbols_error = EINVAL;  // kmod cannot map an empty file
    return d;
  }
  kmod::MemorySource src(image);
  read_elf(src, d);
  return d;
}

}  // namespace modforge::loader::depmod
