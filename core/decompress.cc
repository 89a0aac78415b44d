#include "core/decompress.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>

#include "core/error.h"

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

}  // namespace modforge
