#include "core/bzimage.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace modforge {
namespace {

// Offsets in the setup header (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel Header").
constexpr std::size_t kSetupSects = 0x1f1, kBootFlag = 0x1fe, kHeader = 0x202, kVersion = 0x206,
                      kKernelVersion = 0x20e, kPayloadOffset = 0x248, kPayloadLength = 0x24c, kHeaderEnd = 0x250;

// Far above any kernel (Debian's decompress to 55-66 MB), low enough that a corrupt size
// trailer cannot ask for the machine.
constexpr uint64_t kMaxVmlinux = uint64_t{1} << 30;
// Kernels compress 4-8 times; a trailer far beyond that is corrupt (and would be allocated).
constexpr uint64_t kMaxRatio = 64;
// liblzma's dictionary: the kernel's xz uses 32 MiB (scripts/xz_wrap.sh), lzma -9 64 MiB.
constexpr uint64_t kLzmaMemLimit = uint64_t{256} << 20;

uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}
uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<uint32_t>(le16(b, at)) | static_cast<uint32_t>(le16(b, at + 2)) << 16;
}

bool is_elf(std::string_view b) { return b.substr(0, 4) == std::string_view("\x7f" "ELF", 4); }

// The compressors arch/x86/boot/compressed/Makefile can use, by their magic bytes.
std::string_view compression_name(std::string_view p) {
  if (p.starts_with(std::string_view("\xFD" "7zXZ\0", 6))) return "xz";
  if (p.starts_with("\x28\xB5\x2F\xFD")) return "zstd";
  if (p.starts_with("\x1F\x8B")) return "gzip";
  if (p.starts_with(std::string_view("\x5D\0\0", 3))) return "lzma";
  if (p.starts_with("BZh")) return "bzip2";
  if (p.starts_with("\x89LZO")) return "lzo";
  if (p.starts_with("\x02\x21\x4C\x18")) return "lz4";
  return "unknown";
}

// The decoder's output: the size trailer's bytes plus one (so that output longer than the
// trailer says is seen and refused), allocated once.
class Output {
public:
  explicit Output(uint64_t expected) { buf_.resize(static_cast<std::size_t>(expected) + 1); }
  char* room() { return buf_.data() + done_; }
  std::size_t room_size() const { return buf_.size() - done_; }
  void wrote(std::size_t n) { done_ += n; }
  std::size_t done() const { return done_; }
  std::string take() {
    buf_.resize(done_);
    return std::move(buf_);
  }

private:
  std::string buf_;
  std::size_t done_ = 0;
};

std::string lzma_cause(lzma_ret r) {
  switch (r) {
    case LZMA_MEMLIMIT_ERROR: return "needs more than " + std::to_string(kLzmaMemLimit >> 20) + " MiB to decode";
    case LZMA_FORMAT_ERROR: return "not a valid stream header";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "corrupt data";
    case LZMA_BUF_ERROR: return "truncated data";
    default: return "lzma error " + std::to_string(r);
  }
}

// xz (--check=crc32 --x86 --lzma2) or the legacy .lzma format: liblzma, first stream only
// (no LZMA_CONCATENATED: the size trailer follows the stream).
void unlzma(std::string_view in, bool xz, Output& out, const std::string& what) {
  lzma_stream s = LZMA_STREAM_INIT;
  lzma_ret r = xz ? lzma_stream_decoder(&s, kLzmaMemLimit, 0) : lzma_alone_decoder(&s, kLzmaMemLimit);
  if (r != LZMA_OK) throw Error(what + ": cannot start the decoder (" + lzma_cause(r) + ")");
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  for (;;) {
    char* to = out.room();
    std::size_t room = out.room_size();
    if (room == 0) break;
    s.next_out = reinterpret_cast<uint8_t*>(to);
    s.avail_out = room;
    r = lzma_code(&s, LZMA_FINISH);
    out.wrote(room - s.avail_out);
    if (r != LZMA_OK) break;
  }
  lzma_end(&s);
  if (r != LZMA_STREAM_END && out.room_size() != 0) throw Error(what + ": " + lzma_cause(r));
}

// zstd -22 --ultra: the first frame only, decoded in one call straight into the output
// (streaming would first fill a window buffer of its own: 128 MiB for -22).
void unzstd(std::string_view in, Output& out, const std::string& what) {
  const std::size_t frame = ZSTD_findFrameCompressedSize(in.data(), in.size());
  if (ZSTD_isError(frame)) {
    const bool cut = ZSTD_getErrorCode(frame) == ZSTD_error_srcSize_wrong;
    throw Error(what + ": " + (cut ? std::string("truncated data") : ZSTD_getErrorName(frame)));
  }
  ZSTD_DCtx* d = ZSTD_createDCtx();
  if (!d) throw Error(what + ": cannot start the decoder");
  const std::size_t r = ZSTD_decompressDCtx(d, out.room(), out.room_size(), in.data(), frame);
  ZSTD_freeDCtx(d);
  if (ZSTD_isError(r)) {
    // too long for the trailer's size: reported as such by the caller
    if (ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall) return out.wrote(out.room_size());
    throw Error(what + ": " + ZSTD_getErrorName(r));
  }
  out.wrote(r);
}

// gzip -n -9: zlib stops at the end of the first member.
void ungzip(std::string_view in, Output& out, const std::string& what) {
  z_stream s{};
  if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) throw Error(what + ": cannot start the decoder");
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  int r = Z_OK;
  std::string cause;
  for (;;) {
    char* to = out.room();
    std::size_t room = std::min<std::size_t>(out.room_size(), UINT32_MAX);
    if (room == 0) break;
    s.next_out = reinterpret_cast<Bytef*>(to);
    s.avail_out = static_cast<uInt>(room);
    r = inflate(&s, Z_NO_FLUSH);
    out.wrote(room - s.avail_out);
    if (r != Z_OK) break;
  }
  if (s.msg) cause = s.msg;
  inflateEnd(&s);
  if (r == Z_STREAM_END || out.room_size() == 0) return;
  if (r == Z_BUF_ERROR) throw Error(what + ": truncated data");
  throw Error(what + ": corrupt data" + (cause.empty() ? "" : " (" + cause + ")"));
}

}  // namespace

bool is_bzimage(std::string_view b) {
  return b.size() >= kHeaderEnd && le16(b, kBootFlag) == 0xAA55 && b.substr(kHeader, 4) == "HdrS";
}

BzImageHeader read_bzimage_header(std::string_view b, const std::string& name) {
  if (!is_bzimage(b)) {
    if (b.size() < kHeaderEnd && b.size() >= kHeader + 4 && b.substr(kHeader, 4) == "HdrS")
      throw Error(name + ": truncated bzImage (" + std::to_string(b.size()) + " bytes, its setup header ends at " +
                  std::to_string(kHeaderEnd) + ")");
    throw Error(name + ": not a bzImage (no boot_flag 0xAA55 and \"HdrS\" setup header)");
  }
  BzImageHeader h;
  h.protocol = le16(b, kVersion);
  if (h.protocol < 0x0208) {
    char v[16];
    std::snprintf(v, sizeof v, "%u.%02x", h.protocol >> 8, h.protocol & 0xff);
    throw Error(name + ": bzImage boot protocol " + v + " has no payload_offset (2.08 and later)");
  }
  if (uint16_t kv = le16(b, kKernelVersion); kv != 0 && kv + 0x200u < b.size()) {
    std::string_view s = b.substr(kv + 0x200u, 256);
    h.version = s.substr(0, s.find('\0'));
  }
  // setup_sects 0 means 4 (boot protocols before 2.?? always had 4).
  const uint64_t sects = static_cast<uint8_t>(b[kSetupSects]) ? static_cast<uint8_t>(b[kSetupSects]) : 4;
  const uint64_t start = (sects + 1) * 512 + le32(b, kPayloadOffset), length = le32(b, kPayloadLength);
  if (start + length > b.size())
    throw Error(name + ": truncated bzImage: its payload (" + std::to_string(length) + " bytes at " + std::to_string(start) +
                ") ends past the file's " + std::to_string(b.size()) + " bytes");
  if (length < 4) throw Error(name + ": bzImage payload of " + std::to_string(length) + " bytes (no size trailer)");
  h.payload = b.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length));
  h.compression = compression_name(h.payload);
  return h;
}

std::string vmlinux_from_image(std::string_view b, const std::string& name) {
  if (is_elf(b) && !is_bzimage(b)) return std::string(b);
  if (!is_bzimage(b) && !(b.size() > kHeader + 4 && b.substr(kHeader, 4) == "HdrS"))
    throw Error(name + ": neither a bzImage (no \"HdrS\" setup header) nor an ELF vmlinux");
  BzImageHeader h = read_bzimage_header(b, name);
  const std::string_view stream = h.payload.substr(0, h.payload.size() - 4);
  const uint64_t expected = le32(h.payload, h.payload.size() - 4);
  const std::string what = name + ": bzImage payload (" + std::string(h.compression) + ")";
  if (expected > kMaxVmlinux || expected > uint64_t{stream.size()} * kMaxRatio + (1 << 20))
    throw Error(what + ": size trailer says " + std::to_string(expected) + " bytes, implausible for " +
                std::to_string(stream.size()) + " compressed bytes");
  Output out(expected);
  if (h.compression == "xz" || h.compression == "lzma") unlzma(stream, h.compression == "xz", out, what);
  else if (h.compression == "zstd") unzstd(stream, out, what);
  else if (h.compression == "gzip") ungzip(stream, out, what);
  else if (h.compression == "unknown")
    throw Error(name + ": unsupported compression of the bzImage payload (unknown magic bytes)");
  else
    throw Error(name + ": unsupported compression of the bzImage payload (" + std::string(h.compression) +
                "; xz, zstd, gzip and lzma are read)");
  if (out.done() != expected)
    throw Error(what + ": decompresses to " + (out.done() > expected ? "more than " : "") +
                std::to_string(std::min<uint64_t>(out.done(), expected)) + " bytes, its size trailer says " +
                std::to_string(expected));
  std::string elf = out.take();
  if (!is_elf(elf)) throw Error(what + ": decompressed, it is not an ELF file (vmlinux.bin)");
  return elf;
}

}  // namespace modforge
