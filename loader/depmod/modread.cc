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

#include <llvm/Object/ELF.h>

#include "core/decompress.h"
#include "core/error.h"

namespace modforge::loader::depmod {

namespace {

using Elf = llvm::object::ELFFile<llvm::object::ELF64LE>;
using Shdr = Elf::Elf_Shdr;

constexpr std::size_t kSymSize = 24;      // Elf64_Sym
constexpr std::size_t kVersionSize = 64;  // struct modversion_info on 64-bit

uint64_t le(std::string_view b, std::size_t at, std::size_t n) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(b[at + i])} << (8 * i);
  return v;
}

// The sections as libkmod's kmod_elf sees them: a section is usable when its bytes lie in
// the file; lookups by name take the first match from index 1 on.
// Fills [off, off + len) of the image when it is read lazily from a file: only the parts
// depmod looks at (header, section headers and a few sections) are read from a .ko.
struct Fetcher {
  int fd = -1;  // -1: the image is all in memory
  char* base = nullptr;
  std::size_t size = 0;
  void operator()(uint64_t off, uint64_t len) const {
    if (fd < 0 || off >= size) return;
    len = std::min<uint64_t>(len, size - off);
    std::size_t done = 0;
    while (done < len) {
      const ssize_t r = ::pread(fd, base + off + done, len - done, static_cast<off_t>(off + done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      done += static_cast<std::size_t>(r);
    }
    if (done < len) std::memset(base + off + done, 0, len - done);  // the file shrank
  }
};

// The sections as libkmod's kmod_elf sees them: a section is usable when its bytes lie in
// the file; lookups by name take the first match from index 1 on.
class ModElf {
public:
  ModElf(std::string_view image, const Fetcher& fetch) : image_(image), fetch_(fetch) {}

  // 0, or the errno kmod_elf_new would leave.
  int open() {
    fetch_(0, 64);
    if (image_.size() <= 16 || std::memcmp(image_.data(), "\x7f" "ELF", 4) != 0) return ENOEXEC;
    if (image_[4] != 2 || image_[5] != 1) return EINVAL;  // only ELF64 little-endian here
    auto f = Elf::create(llvm::StringRef(image_.data(), image_.size()));
    if (!f) {
      llvm::consumeError(f.takeError());
      return EINVAL;
    }
    elf_.emplace(std::move(*f));
    const auto& h = elf_->getHeader();
    uint64_t count = h.e_shnum;
    if (count == 0 && h.e_shoff != 0) {  // extended numbering: the count is in section 0
      fetch_(h.e_shoff, sizeof(Shdr));
      if (h.e_shoff <= image_.size() && image_.size() - h.e_shoff >= sizeof(Shdr))
        count = le(image_, h.e_shoff + offsetof(Shdr, sh_size), 8);
    }
    if (h.e_shoff < image_.size()) fetch_(h.e_shoff, std::min<uint64_t>(count, image_.size()) * sizeof(Shdr));
    auto secs = elf_->sections();
    if (!secs) {
      llvm::consumeError(secs.takeError());
      return EINVAL;
    }
    sections_ = *secs;
    loaded_.assign(sections_.size(), 0);
    const uint32_t strndx = h.e_shstrndx;
    if (strndx >= sections_.size() || !in_file(sections_[strndx])) return EINVAL;
    names_ = contents(strndx);
    return 0;
  }

  std::optional<std::string_view> section(std::string_view name) const {
    for (std::size_t i = 1; i < sections_.size(); ++i) {
      const Shdr& s = sections_[i];
      if (!in_file(s) || s.sh_name >= names_.size()) continue;
      const std::string_view n = names_.substr(s.sh_name);
      if (n.substr(0, n.find('\0')) == name) return contents(i);
    }
    return std::nullopt;
  }

  // kmod_elf_resolve_crc: a CRC symbol defined in a section holds the CRC's offset there.
  uint64_t resolve_crc(uint64_t value, uint16_t shndx) const {
    if (shndx == 0 /*SHN_UNDEF*/ || shndx == 0xfff1 /*SHN_ABS*/) return value;
    if (shndx >= sections_.size() || !in_file(sections_[shndx])) return UINT64_MAX;
    const Shdr& s = sections_[shndx];
    if (s.sh_size < 4 || value > s.sh_size - 4) return UINT64_MAX;
    fetch_(s.sh_offset + value, 4);
    return le(image_, s.sh_offset + value, 4);
  }

private:
  bool in_file(const Shdr& s) const {
    return s.sh_offset <= image_.size() && s.sh_size <= image_.size() - s.sh_offset;
  }
  std::string_view contents(std::size_t i) const {
    const Shdr& s = sections_[i];
    if (!loaded_[i] && s.sh_type != 8 /*SHT_NOBITS*/) fetch_(s.sh_offset, s.sh_size);
    loaded_[i] = 1;
    return image_.substr(s.sh_offset, s.sh_size);
  }

  std::string_view image_;
  const Fetcher& fetch_;
  std::optional<Elf> elf_;
  llvm::ArrayRef<Shdr> sections_;
  mutable std::vector<char> loaded_;
  std::string_view names_;
};

std::string_view cstr(std::string_view table, std::size_t off) {
  std::string_view s = table.substr(off);
  return s.substr(0, s.find('\0'));
}

// kmod_elf_get_symbols: the __crc_ symbols of .symtab, else __ksymtab_strings.
int read_exports(const ModElf& elf, std::vector<ExportedSymbol>& out) {
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
      out.push_back({std::string(name.substr(6)), elf.resolve_crc(le(*symtab, at + 8, 8), shndx)});
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

// kmod_module_get_info's .modinfo strings (kmod_elf_get_modinfo_strings).
void read_modinfo(const ModElf& elf, ModuleData& d) {
  const auto info = elf.section(".modinfo");
  if (!info) return;
  std::string_view rest = *info;
  while (!rest.empty()) {
    if (rest[0] == '\0') {
      rest.remove_prefix(1);
      continue;
    }
    const std::size_t end = rest.find('\0');
    const std::string_view s = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    const std::size_t eq = s.find('=');
    const std::string_view k = s.substr(0, eq);
    const std::string_view v = eq == std::string_view::npos ? std::string_view() : s.substr(eq + 1);
    if (k == "alias")
      d.aliases.emplace_back(v);
    else if (k == "softdep")
      d.softdeps.emplace_back(v);
  }
}

// kmod_elf_get_dependency_symbols.
void read_needed(const ModElf& elf, std::vector<NeededSymbol>& out) {
  auto versions = elf.section("__versions");
  if (versions && versions->size() % kVersionSize != 0) versions.reset();
  const auto strtab = elf.section(".strtab");
  const auto symtab = elf.section(".symtab");
  if (!strtab || !symtab || symtab->size() % kSymSize != 0) return;
  const std::size_t nver = versions ? versions->size() / kVersionSize : 0;
  std::vector<char> visited(nver, 0);
  std::vector<std::string_view> vnames(nver);
  for (std::size_t i = 0; i < nver; ++i) vnames[i] = cstr(versions->substr(i * kVersionSize + 8, kVersionSize - 8), 0);
  auto version_name = [&](std::size_t i) { return vnames[i]; };
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
      if (version_name(v) == name) {
        s.crc = le(*versions, v * kVersionSize, 8);
        visited[v] = 1;
        break;
      }
    out.push_back(std::move(s));
  }
  for (std::size_t v = 0; v < nver; ++v)
    if (!visited[v]) out.push_back({std::string(version_name(v)), le(*versions, v * kVersionSize, 8), false});
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

// Opens `path`: an uncompressed module is left to be read lazily (fetch.fd set), a
// compressed one is read and decompressed whole.  0 or an errno value.
int load_image(const std::string& path, ReadBuffers& buffers, std::string& owned, std::string_view& image,
               Fetcher& fetch) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  char magic[6] = {};
  if (fstat(fd, &st) != 0 || ::pread(fd, magic, sizeof magic, 0) < 0) {
    const int e = errno;
    ::close(fd);
    return e;
  }
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  // Debian's kmod 30 is built with xz and zstd only: a gzip file is read as it is.
  const Compression c = compression_of(std::string_view(magic, std::min<std::size_t>(size, sizeof magic)));
  if (c != Compression::xz && c != Compression::zstd) {
    fetch.fd = fd;
    fetch.base = buffers.file.get(size + 1);
    fetch.size = size;
    image = std::string_view(fetch.base, size);
    return 0;
  }
  ::close(fd);
  if (const int e = read_file(path, buffers.file, image)) return e;
  if (c == Compression::xz) return unxz(image, buffers.image, image) ? 0 : EINVAL;
  try {
    owned = decompress(image, path);
    image = owned;
  } catch (const Error&) {
    return EINVAL;
  }
  return 0;
}

}  // namespace

ModuleData read_module(const std::string& path, ReadBuffers& buffers) {
  ModuleData d;
  std::string_view image;
  std::string owned;
  Fetcher fetch;
  d.symbols_error = load_image(path, buffers, owned, image, fetch);
  if (d.symbols_error == 0 && image.empty()) d.symbols_error = EINVAL;  // kmod cannot map an empty file
  if (d.symbols_error == 0) {
    ModElf elf(image, fetch);
    if (const int err = elf.open()) {
      d.symbols_error = err;
    } else {
      const int err2 = read_exports(elf, d.exports);
      if (err2 != 0 && err2 != ENODATA) d.symbols_error = err2;
      read_modinfo(elf, d);
      read_needed(elf, d.needed);
    }
  }
  if (fetch.fd >= 0) ::close(fetch.fd);
  return d;
}

}  // namespace modforge::loader::depmod
