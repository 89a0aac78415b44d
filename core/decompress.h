// Compressed kernel modules (.ko.xz, .ko.zst, .ko.gz): recognised by their magic bytes,
// decompressed in memory with liblzma, libzstd or zlib.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace modforge {

enum class Compression { none, xz, zstd, gzip };

// What the leading magic bytes say.
Compression compression_of(std::string_view bytes);

// The decompressed bytes (a copy of `bytes` when they are not compressed).  Throws
// Error("<name>: <cause>") when the data is corrupt or truncated.
std::string decompress(std::string_view bytes, const std::string& name);

// For many files in a row: one decoder state and one output buffer kept from call to call,
// so no file pays for fresh zeroed pages, a zero fill, a guessed-then-doubled buffer or a new
// dictionary.  One Decoder per thread.
class Decoder {
public:
  Decoder();
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  // The decompressed bytes (`bytes` itself when not compressed), valid until the next call.
  // Throws Error("<name>: <cause>") as decompress() does.
  std::string_view decode(std::string_view bytes, const std::string& name);
  // The same for the open file `fd` of `size` bytes, read from its start: an xz file in
  // pieces (its compressed bytes are never all in memory), others whole.  Throws Error on a
  // read error too.
  std::string_view decode_file(int fd, std::uint64_t size, const std::string& name);

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace modforge
