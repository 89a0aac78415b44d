#include "loader/modinfo/module_image.h"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/Object/ELF.h>

#include "core/decompress.h"
#include "core/error.h"

namespace modforge::loader::modinfo {

namespace {

// libkmod reads as many bytes as its longest magic (xz's 6) before choosing a loader; a
// shorter file is EINVAL whatever it holds.
constexpr std::size_t kMagicMax = 6;
// A plain file up to kSmall bytes is read at once; a larger one as its first kHead and last
// kTail bytes (where the section headers, their names and the signature lie), and .modinfo.
constexpr std::size_t kHead = 4096, kTail = 16384, kSmall = kHead + kTail;

}  // namespace

ModuleImage::~ModuleImage() {
  if (fd_ >= 0) ::close(fd_);
}

int ModuleImage::open(const std::string& path) {
  if (fd_ >= 0) ::close(fd_);
  pieces_.clear();
  whole_ = head_ = end_ = {};
  size_ = 0;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return errno;
  struct stat st;
  if (::fstat(fd_, &st) != 0) return errno;
  std::size_t got = 0;
  if (S_ISREG(st.st_mode)) {
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    const std::size_t want = size <= kSmall ? size : kHead;
    char* buf = raw_.get(std::max(want, kMagicMax));
    // What pread gives (it may be less if the file shrank since fstat).
    const ssize_t r = read_up_to(fd_, buf, want, 0);
    if (r < 0) return errno;
    got = static_cast<std::size_t>(r);
    if (got < kMagicMax) return EINVAL;
    const std::string_view first(buf, got);
    const Compression c = compression_of(first);
    if (c != Compression::xz && c != Compression::zstd) {
      if (got < want || want == size) {
        whole_ = first;
        size_ = got;
      } else {
        head_ = first;
        size_ = size;
        const std::size_t tlen = static_cast<std::size_t>(std::min<uint64_t>(kTail, size - kHead));
        char* t = tail_.get(tlen);
        const ssize_t n = read_up_to(fd_, t, tlen, int64_t(size - tlen));
        if (n < 0) return errno;
        if (std::size_t(n) < tlen) return EIO;
        end_ = std::string_view(t, tlen);
      }
      return 0;
    }
    try {
      whole_ = decoder_.decode_file(fd_, size, path);
    } catch (const Error&) {
      // libkmod's xz and zstd loaders fail with EINVAL on data they cannot decode.
      return EINVAL;
    }
    size_ = whole_.size();
    return 0;
  } else {
    // Not a regular file: whatever read() gives up to its end.
    raw_.get(1 << 16);
    for (;;) {
      if (got == raw_.capacity()) raw_.grow(raw_.capacity() * 2, got);
      const ssize_t r = read_up_to(fd_, raw_.data() + got, raw_.capacity() - got);
      if (r < 0) return errno;
      got += static_cast<std::size_t>(r);
      if (got < raw_.capacity()) break;  // the end of the file
    }
    if (got < kMagicMax) return EINVAL;
  }
  const std::string_view raw(raw_.data(), got);
  const Compression c = compression_of(raw);
  if (c == Compression::xz || c == Compression::zstd) {
    try {
      whole_ = decoder_.decode(raw, path);
    } catch (const Error&) {
      // libkmod's xz and zstd loaders fail with EINVAL on data they cannot decode.
      return EINVAL;
    }
  } else {
    whole_ = raw;
  }
  size_ = whole_.size();
  return 0;
}

std::string_view ModuleImage::at(uint64_t off, uint64_t len) {
  if (!whole_.empty() || size_ == 0) return whole_.substr(off, len);
  if (off + len <= head_.size()) return head_.substr(off, len);
  const uint64_t tail_start = size_ - end_.size();
  if (off >= tail_start) return end_.substr(off - tail_start, len);
  std::string& piece = pieces_.emplace_back(len, '\0');
  if (read_up_to(fd_, piece.data(), len, int64_t(off)) != ssize_t(len)) piece.clear();
  return piece;
}

namespace {

// kmod_elf_new's checks, then its walk over the section headers (each one read only if it
// lies in the file; the first section of that name whose bytes lie in the file wins).
template <class ELFT>
int find_section(ModuleImage& image, std::string_view name, std::string_view& found) {
  using Ehdr = typename ELFT::Ehdr;
  using Shdr = typename ELFT::Shdr;
  const uint64_t size = image.size();
  if (size <= sizeof(Ehdr)) return EINVAL;
  const std::string_view ehdr = image.at(0, sizeof(Ehdr));
  auto file = llvm::object::ELFFile<ELFT>::create(llvm::StringRef(ehdr.data(), ehdr.size()));
  if (!file) {
    llvm::consumeError(file.takeError());
    return EINVAL;
  }
  const Ehdr& h = file->getHeader();
  const uint64_t count = h.e_shnum;
  if (h.e_shentsize != sizeof(Shdr)) return EINVAL;
  if (sizeof(Ehdr) + sizeof(Shdr) * count >= size) return EINVAL;

  // The part of the section header table that lies in the file, read at once.
  const uint64_t shoff = h.e_shoff;
  const std::string_view table =
      shoff < size ? image.at(shoff, std::min<uint64_t>(size - shoff, sizeof(Shdr) * count)) : std::string_view();
  auto header = [&](uint64_t i) -> const Shdr* {
    if ((i + 1) * sizeof(Shdr) > table.size()) return nullptr;
    return reinterpret_cast<const Shdr*>(table.data() + i * sizeof(Shdr));
  };
  // Whether the section's bytes lie inside the file.
  auto inside = [&](const Shdr* s) {
    const uint64_t off = s->sh_offset, len = s->sh_size;
    return off <= size && len <= size - off;
  };

  const uint64_t strndx = h.e_shstrndx;
  if (strndx == 0 || strndx >= count) return EINVAL;
  const Shdr* strs = header(strndx);
  if (strs == nullptr || !inside(strs)) return EINVAL;
  const std::string_view names = image.at(strs->sh_offset, strs->sh_size);
  if (names.empty() || names.back() != '\0') return EINVAL;

  for (uint64_t i = 1; i < count; ++i) {
    const Shdr* s = header(i);
    if (s == nullptr || !inside(s)) continue;
    const uint64_t nameoff = s->sh_name;
    if (nameoff >= names.size()) continue;
    const char* n = names.data() + nameoff;  // NUL-terminated: the table ends with a NUL
    if (std::strlen(n) != name.size() || std::memcmp(n, name.data(), name.size()) != 0) continue;
    found = image.at(s->sh_offset, s->sh_size);
    return 0;
  }
  return ENOENT;
}

}  // namespace

int elf_section_strings(ModuleImage& image, std::string_view section, std::vector<std::string_view>& out) {
  out.clear();
  // elf_identify
  constexpr std::size_t kIdent = 16;
  if (image.size() <= kIdent) return ENOEXEC;
  const std::string_view ident = image.at(0, kIdent);
  if (ident.substr(0, 4) != std::string_view("\x7f" "ELF", 4)) return ENOEXEC;
  const unsigned char cls = static_cast<unsigned char>(ident[4]);
  const unsigned char data = static_cast<unsigned char>(ident[5]);
  if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) return EINVAL;
  std::string_view s;
  int err;
  if (cls == 2)
    err = data == 1 ? find_section<llvm::object::ELF64LE>(image, section, s)
                    : find_section<llvm::object::ELF64BE>(image, section, s);
  else
    err = data == 1 ? find_section<llvm::object::ELF32LE>(image, section, s)
                    : find_section<llvm::object::ELF32BE>(image, section, s);
  if (err != 0) return err;

  // kmod_elf_get_strings: leading NULs skipped, a section of at most one byte is empty.
  while (!s.empty() && s.front() == '\0' && s.size() > 1) s.remove_prefix(1);
  if (s.size() <= 1) return 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t end = s.find('\0', i);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(i, end - i));
    i = end;
    while (i < s.size() && s[i] == '\0') ++i;
  }
  return 0;
}

std::string_view signature_region(ModuleImage& image) {
  // The fixed end: struct module_signature (12 bytes) and the 28-byte magic; before them the
  // signer, key id and signature whose lengths the structure gives.
  constexpr uint64_t kFixed = 12 + 28;
  const uint64_t size = image.size();
  if (size < kFixed) return image.at(0, size);
  const std::string_view t = image.at(size - kFixed, kFixed);
  if (t.size() != kFixed) return t;
  auto byte = [&](std::size_t i) { return uint64_t{static_cast<unsigned char>(t[i])}; };
  const uint64_t want = kFixed + byte(3) + byte(4) + ((byte(8) << 24) | (byte(9) << 16) | (byte(10) << 8) | byte(11));
  const uint64_t n = std::min(size, want);
  return image.at(size - n, n);
}

}  // namespace modforge::loader::modinfo
