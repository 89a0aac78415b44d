#include "core/decompress.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <unistd.h>

#include "core/error.h"
#include "core/fd_io.h"

namespace modforge {
namespace {

constexpr std::string_view kXz("\xFD" "7zXZ\0", 6), kZstd("\x28\xB5\x2F\xFD", 4), kGzip("\x1F\x8B", 2);

std::string unxz(std::string_view in, const std::string& name) {
  lzma_stream s = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) throw Error(name + ": xz: cannot start decoder");
  std::string out(in.size() * 4 + 4096, '\0');
  s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  s.avail_in = in.size();
  lzma_ret r = LZMA_OK;
  size_t done = 0;
  while (r == LZMA_OK) {
    if (done == out.size()) out.resize(out.size() * 2);
    s.next_out = reinterpret_cast<uint8_t*>(out.data()) + done;
    s.avail_out = out.size() - done;
    r = lzma_code(&s, LZMA_FINISH);
    done = out.size() - s.avail_out;
  }
  lzma_end(&s);
  if (r != LZMA_STREAM_END) throw Error(name + ": xz: corrupt or truncated data (lzma error " + std::to_string(r) + ")");
  out.resize(done);
  return out;
}

std::string unzstd(std::string_view in, const std::string& name) {
  ZSTD_DStream* d = ZSTD_createDStream();
  if (!d) throw Error(name + ": zstd: cannot start decoder");
  std::string out;
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  size_t last = 1;
  while (ib.pos < ib.size) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(d, &ob, &ib);
    if (ZSTD_isError(last)) {
      std::string why = ZSTD_getErrorName(last);
      ZSTD_freeDStream(d);
      throw Error(name + ": zstd: " + why);
    }
    out.append(chunk.data(), ob.pos);
    if (ob.pos == 0 && last != 0 && ib.pos == ib.size) break;
  }
  // flush what the decoder still holds
  while (last != 0) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(d, &ob, &ib);
    if (ZSTD_isError(last) || ob.pos == 0) break;
    out.append(chunk.data(), ob.pos);
  }
  ZSTD_freeDStream(d);
  if (last != 0) throw Error(name + ": zstd: truncated data");
  return out;
}

std::string ungzip(std::string_view in, const std::string& name) {
  z_stream s{};
  if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) throw Error(name + ": gzip: cannot start decoder");
  std::string out(in.size() * 4 + 4096, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size());
  int r = Z_OK;
  while (r == Z_OK) {
    if (s.total_out == out.size()) out.resize(out.size() * 2);
    s.next_out = reinterpret_cast<Bytef*>(out.data()) + s.total_out;
    s.avail_out = static_cast<uInt>(out.size() - s.total_out);
    r = inflate(&s, Z_NO_FLUSH);
  }
  size_t done = s.total_out;
  inflateEnd(&s);
  if (r != Z_STREAM_END) throw Error(name + ": gzip: corrupt or truncated data");
  out.resize(done);
  return out;
}

}  // namespace

Compression compression_of(std::string_view bytes) {
  if (bytes.starts_with(kXz)) return Compression::xz;
  if (bytes.starts_with(kZstd)) return Compression::zstd;
  if (bytes.starts_with(kGzip)) return Compression::gzip;
  return Compression::none;
}

std::string decompress(std::string_view bytes, const std::string& name) {
  switch (compression_of(bytes)) {
    case Compression::xz: return unxz(bytes, name);
    case Compression::zstd: return unzstd(bytes, name);
    case Compression::gzip: return ungzip(bytes, name);
    case Compression::none: break;
  }
  return std::string(bytes);
}

// A buffer that keeps its pages between files; only the largest files are given back, so
// that one huge module does not pin its size for the rest of the run.
struct Decoder::State {
  static constexpr std::size_t kKeep = std::size_t(8) << 20;
  std::unique_ptr<char[]> buf;
  std::size_t cap = 0;
  lzma_stream xz = LZMA_STREAM_INIT;
  ZSTD_DCtx* zstd = nullptr;
  std::string other;

  ~State() {
    lzma_end(&xz);
    if (zstd) ZSTD_freeDCtx(zstd);
  }
  // Room for at least `want` bytes, the first `keep` of them kept.
  void reserve(std::size_t want, std::size_t keep) {
    if (want <= cap) return;
    // Exactly what is asked for the first time (a size hint); doubling when it runs out.
    std::size_t n = keep == 0 ? std::max(want, std::size_t(1) << 20) : std::max(want, cap * 2);
    std::unique_ptr<char[]> grown(new char[n]);  // not zero-filled
    if (keep) std::memcpy(grown.get(), buf.get(), keep);
    buf = std::move(grown);
    cap = n;
  }
  void trim() {
    if (cap > kKeep) {
      buf.reset();
      cap = 0;
    }
  }

  // The decompressed size the stream's index records (the last stream's, when several are
  // concatenated), so that the buffer is sized once rather than grown by copying; a guess
  // when the index cannot be read (the decoder then finds the real error).
  static std::size_t xz_size_hint(std::string_view in, std::size_t guess) {
    // Stream padding (multiples of four NUL bytes) may follow the footer.
    std::size_t end = in.size();
    while (end >= 4 && in.substr(end - 4, 4) == std::string_view("\0\0\0\0", 4)) end -= 4;
    if (end < 2 * LZMA_STREAM_HEADER_SIZE) return guess;
    lzma_stream_flags footer;
    if (lzma_stream_footer_decode(&footer, reinterpret_cast<const uint8_t*>(in.data()) + end - LZMA_STREAM_HEADER_SIZE) != LZMA_OK)
      return guess;
    if (footer.backward_size > end - LZMA_STREAM_HEADER_SIZE) return guess;
    const std::size_t index_at = end - LZMA_STREAM_HEADER_SIZE - footer.backward_size;
    lzma_index* index = nullptr;
    uint64_t memlimit = UINT64_MAX;
    std::size_t pos = index_at;
    if (lzma_index_buffer_decode(&index, &memlimit, nullptr, reinterpret_cast<const uint8_t*>(in.data()), &pos,
                                 end - LZMA_STREAM_HEADER_SIZE) != LZMA_OK)
      return guess;
    const uint64_t size = lzma_index_uncompressed_size(index);
    lzma_index_end(index, nullptr);
    // One byte more than the data, so that the decoder's end is seen without growing.
    return size < (uint64_t{1} << 40) ? static_cast<std::size_t>(size) + 1 : guess;
  }

  std::string_view unxz(std::string_view in, const std::string& name) {
    if (lzma_stream_decoder(&xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) throw Error(name + ": xz: cannot start decoder");
    reserve(xz_size_hint(in, in.size() * 4), 0);
    xz.next_in = reinterpret_cast<const uint8_t*>(in.data());
    xz.avail_in = in.size();
    lzma_ret r = LZMA_OK;
    std::size_t done = 0;
    while (r == LZMA_OK) {
      if (done == cap) reserve(cap + 1, done);
      xz.next_out = reinterpret_cast<uint8_t*>(buf.get()) + done;
      xz.avail_out = cap - done;
      r = lzma_code(&xz, LZMA_FINISH);
      done = cap - xz.avail_out;
    }
    if (r != LZMA_STREAM_END) throw Error(name + ": xz: corrupt or truncated data (lzma error " + std::to_string(r) + ")");
    return {buf.get(), done};
  }

  std::string input, tail;  // decode_file's reusable buffers

  // Reads up to `len` bytes at `off`; fewer only at the end of the file.
  static std::size_t read_at(int fd, char* to, std::size_t len, uint64_t off, const std::string& name) {
    const ssize_t got = read_up_to(fd, to, len, static_cast<int64_t>(off));
    if (got < 0) throw Error(name + ": " + std::strerror(errno));
    return static_cast<std::size_t>(got);
  }

  std::string_view unxz_file(int fd, uint64_t size, const std::string& name) {
    // The index and footer are within the last bytes of a module's single-block stream.
    constexpr std::size_t kTail = 4096, kChunk = 1 << 16;
    tail.resize(static_cast<std::size_t>(std::min<uint64_t>(size, kTail)));
    tail.resize(read_at(fd, tail.data(), tail.size(), size - tail.size(), name));
    if (lzma_stream_decoder(&xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) throw Error(name + ": xz: cannot start decoder");
    reserve(xz_size_hint(tail, static_cast<std::size_t>(size) * 4), 0);
    input.resize(kChunk);
    uint64_t off = 0;
    bool eof = false;
    xz.avail_in = 0;
    lzma_ret r = LZMA_OK;
    std::size_t done = 0;
    while (r == LZMA_OK) {
      if (xz.avail_in == 0 && !eof) {
        const std::size_t n = read_at(fd, input.data(), kChunk, off, name);
        off += n;
        eof = n < kChunk;
        xz.next_in = reinterpret_cast<const uint8_t*>(input.data());
        xz.avail_in = n;
      }
      if (done == cap) reserve(cap + 1, done);
      xz.next_out = reinterpret_cast<uint8_t*>(buf.get()) + done;
      xz.avail_out = cap - done;
      r = lzma_code(&xz, eof ? LZMA_FINISH : LZMA_RUN);
      done = cap - xz.avail_out;
    }
    if (r != LZMA_STREAM_END) throw Error(name + ": xz: corrupt or truncated data (lzma error " + std::to_string(r) + ")");
    return {buf.get(), done};
  }

  std::string_view unzstd(std::string_view in, const std::string& name) {
    if (!zstd && !(zstd = ZSTD_createDCtx())) throw Error(name + ": zstd: cannot start decoder");
    ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only);
    reserve(in.size() * 4, 0);
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    std::size_t done = 0, last = 1;
    for (;;) {
      if (done == cap) reserve(cap + 1, done);
      ZSTD_outBuffer ob{buf.get() + done, cap - done, 0};
      last = ZSTD_decompressStream(zstd, &ob, &ib);
      if (ZSTD_isError(last)) throw Error(name + ": zstd: " + ZSTD_getErrorName(last));
      done += ob.pos;
      if (last == 0 && ib.pos == ib.size) break;
      // Nothing more to read and room left unused: the decoder wants input it will not get.
      if (ib.pos == ib.size && ob.pos < ob.size) break;
    }
    if (last != 0) throw Error(name + ": zstd: truncated data");
    return {buf.get(), done};
  }
};

std::string_view Decoder::decode_file(int fd, std::uint64_t size, const std::string& name) {
  state_->trim();
  char magic[6];
  const std::size_t got = State::read_at(fd, magic, sizeof magic, 0, name);
  if (compression_of(std::string_view(magic, got)) == Compression::xz) return state_->unxz_file(fd, size, name);
  std::string& whole = state_->input;
  whole.resize(static_cast<std::size_t>(size));
  whole.resize(State::read_at(fd, whole.data(), whole.size(), 0, name));
  return decode(whole, name);
}

Decoder::Decoder() : state_(std::make_unique<State>()) {}
Decoder::~Decoder() = default;

std::string_view Decoder::decode(std::string_view bytes, const std::string& name) {
  state_->trim();
  switch (compression_of(bytes)) {
    case Compression::xz: return state_->unxz(bytes, name);
    case Compression::zstd: return state_->unzstd(bytes, name);
    case Compression::gzip: return state_->other = ungzip(bytes, name);
    case Compression::none: break;
  }
  return bytes;
}

}  // namespace modforge
