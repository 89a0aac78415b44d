#include "abi/image_stash.h"

#include <zstd.h>

#include "core/error.h"

namespace modforge::abi {

ImageStash::ImageStash() : c_(ZSTD_createCCtx()), d_(ZSTD_createDCtx()) {
  if (!c_ || !d_) throw Error("zstd: cannot allocate a context");
}

ImageStash::~ImageStash() {
  ZSTD_freeCCtx(c_);
  ZSTD_freeDCtx(d_);
}

std::string ImageStash::pack(std::string_view image) {
  std::string out(ZSTD_compressBound(image.size()), '\0');
  const std::size_t n = ZSTD_compressCCtx(c_, out.data(), out.size(), image.data(), image.size(), 1);
  if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  out.shrink_to_fit();
  return out;
}

std::string ImageStash::unpack(std::string_view packed) {
  const unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) throw Error("zstd: a stashed image is unreadable");
  std::string out(static_cast<std::size_t>(size), '\0');
  const std::size_t n = ZSTD_decompressDCtx(d_, out.data(), out.size(), packed.data(), packed.size());
  if (ZSTD_isError(n) || n != out.size()) throw Error("zstd: a stashed image is unreadable");
  return out;
}

}  // namespace modforge::abi
