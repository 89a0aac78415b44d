// A module file as libkmod 30 (Debian's build: zstd and xz, no zlib) opens it for modinfo:
// the decompressed bytes, read on demand by kmod's ELF reader (loader/kmod/elf.h).
// Failures are errno values because modinfo prints strerror() of them.
#pragma once
#include "core/fd_io.h"
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/decompress.h"
#include "loader/kmod/elf.h"

namespace modforge::loader::modinfo {

// Kept by one worker from file to file so that its buffers and decoder are reused.  A
// compressed module is decoded whole (its section headers and signature are at the end of one
// xz/zstd stream); of a plain one only the pieces modinfo looks at are read: the first page,
// the last few pages (section headers, section names, signature) and .modinfo.
class ModuleImage final : public kmod::ByteSource {
public:
  // 0 or an errno: the open/read error, EINVAL for a file shorter than the longest magic
  // or a corrupt xz stream.  .ko.gz data is taken as it is (this kmod has no zlib).
  int open(const std::string& path);
  uint64_t size() const override { return size_; }
  // Bytes [off, off + len) of the image, which must lie inside size(); valid until the next
  // open().  Empty when the file could not be read there.
  std::string_view at(uint64_t off, uint64_t len) override;

private:

  // Storage kept between files and not zero-filled when it grows (growing keeps the bytes).
  Decoder decoder_;
  ReadBuffer raw_;    // the first page of a plain file (all of one that is not a regular file)
  ReadBuffer tail_;   // the last bytes of a plain file
  std::deque<std::string> pieces_;   // other ranges of a plain file, read on demand
  std::string_view whole_, head_, end_;
  int fd_ = -1;
  uint64_t size_ = 0;

public:
  ModuleImage() = default;
  ModuleImage(const ModuleImage&) = delete;
  ModuleImage& operator=(const ModuleImage&) = delete;
  ~ModuleImage() override;
};

// The end of the image that read_signature() needs to see.
std::string_view signature_region(ModuleImage& image);

}  // namespace modforge::loader::modinfo
