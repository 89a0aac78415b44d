// Compressed kernel modules (.ko.xz, .ko.zst, .ko.gz): recognised by their magic bytes,
// decompressed in memory with liblzma, libzstd or zlib.
#pragma once
#include <string>
#include <string_view>

namespace modforge {

enum class Compression { none, xz, zstd, gzip };

// What the leading magic bytes say.
Compression compression_of(std::string_view bytes);

// The decompressed bytes (a copy of `bytes` when they are not compressed).  Throws
// Error("<name>: <cause>") when the data is corrupt or truncated.
std::string decompress(std::string_view bytes, const std::string& name);

}  // namespace modforge
