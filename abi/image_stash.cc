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
  const std::size_t bound = ZSTD_compressBound(image.size());
  if (bound > cap_) {
    buf_.reset(new char[bound]);  // not zero-filled
    cap_ = bound;
  }
  const std::size_t n = ZSTD_compressCCtx(c_, buf_.get(), cap_, image.data(), image.size(), 1);
  if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
  std::string out(buf_.get(), n);
  if (cap_ > kKeep) {  // one huge module does not pin its size for the rest of the run
    buf_.reset();
    cap_ = 0;
  }
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
