#include "loader/modinfo/module_image.h"

#include <cerrno>
#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
