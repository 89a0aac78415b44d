// A decompressed module image set aside until its dependencies are checked: recompressed with
// zstd's fastest level, which a module image shrinks to about a quarter at ~0.4 GB/s and
// expands back at ~1 GB/s, where decoding the module's own .ko.xz again would run at ~0.1 GB/s
// and keeping every image whole would hold ~500 MB for Debian's 6.12 tree.  One per thread.
#pragma once
#include <memory>
#include <string>
#include <string_view>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace modforge::abi {

class ImageStash {
public:
  ImageStash();
  ~ImageStash();
  ImageStash(const ImageStash&) = delete;
  ImageStash& operator=(const ImageStash&) = delete;

  std::string pack(std::string_view image);
  std::string unpack(std::string_view packed);  // what pack() was given

private:
  ZSTD_CCtx_s* c_;
  ZSTD_DCtx_s* d_;
  static constexpr std::size_t kKeep = std::size_t(2) << 20;
  std::unique_ptr<char[]> buf_;  // pack's output before it is copied to its size (kept up to kKeep)
  std::size_t cap_ = 0;
};

}  // namespace modforge::abi
