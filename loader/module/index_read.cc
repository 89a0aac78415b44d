#include "loader/module/index_read.h"

#include "core/error.h"
#include "loader/module/index_write.h"

namespace modforge::loader {

namespace {
constexpr unsigned kMaxDepth = 4096;  // keys are short; deeper means a crafted file
}

IndexReader::IndexReader(std::string_view bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {
  if (bytes_.size() < 12) bad("file too short for the index header");
  if (u32(0) != kIndexMagic) bad("bad magic");
  if (u32(4) != kIndexVersion) bad("unsupported index version");
  root_ = u32(8);
}

void IndexReader::bad(const std::string& why) const { throw Error(name_ + ": " + why); }

uint32_t IndexReader::u32(std::size_t at) const {
  if (at > bytes_.size() || bytes_.size() - at < 4) bad("offset out of range");
  const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + at);
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

IndexReader::Node IndexReader::read_node(uint32_t ref, uint32_t parent_offset) const {
  const std::size_t off = ref & kIndexNodeMask;
  if (off < 12 || off > bytes_.size()) bad("node offset out of range");
  if (parent_offset != 0 && off >= parent_offset) bad("node does not precede its parent");
  Node n;
  std::size_t at = off;
  if (ref & kIndexNodePrefix) {
    const std::size_t end = bytes_.find('\0', at);
    if (end == std::string_view::npos) bad("unterminated node prefix");
    n.prefix = bytes_.substr(at, end - at);
    at = end + 1;
  }
  if (ref & kIndexNodeChilds) {
    if (at + 2 > bytes_.size()) bad("truncated child range");
    n.first = static_cast<unsigned char>(bytes_[at]);
    n.last = static_cast<unsigned char>(bytes_[at + 1]);
    if (n.first == 0 || n.first > n.last || n.last >= 128) bad("bad child range");
    n.children_at = at + 2;
    n.has_children = true;
    at = n.children_at + 4u * (n.last - n.first + 1u);
    if (at > bytes_.size()) bad("truncated child array");
  }
  if (ref & kIndexNodeValues) {
    const uint32_t count = u32(at);
    at += 4;
    if (count > bytes_.size() / 5) bad("value count out of range");
    n.values.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      IndexValue v;
      v.priority = u32(at);
      at += 4;
      const std::size_t end = bytes_.find('\0', at);
      if (end == std::string_view::npos) bad("unterminated value");
      v.value = bytes_.substr(at, end - at);
      at = end + 1;
      n.values.push_back(v);
    }
  }
  return n;
}

uint32_t IndexReader::child(const Node& n, unsigned char c) const {
  if (!n.has_children || c < n.first || c > n.last) return 0;
  return u32(n.children_at + 4u * (c - n.first));
}

void IndexReader::walk(uint32_t ref, uint32_t parent_offset, std::string& key, std::vector<IndexEntry>& out,
                       unsigned depth) const {
  if (depth > kMaxDepth) bad("index too deep");
  const Node n = read_node(ref, parent_offset);
  const std::size_t keep = key.size();
  key.append(n.prefix);
  if (!n.values.empty()) out.push_back({key, n.values});
  if (n.has_children)
    for (unsigned c = n.first; c <= n.last; ++c) {
      const uint32_t r = child(n, static_cast<unsigned char>(c));
      if (r == 0) continue;
      key.push_back(static_cast<char>(c));
      walk(r, ref & kIndexNodeMask, key, out, depth + 1);
      key.pop_back();
    }
  key.resize(keep);
}

std::vector<IndexEntry> IndexReader::entries() const {
  std::vector<IndexEntry> out;
  std::string key;
  walk(root_, 0, key, out, 0);
  return out;
}

std::vector<IndexValue> IndexReader::lookup(std::string_view key) const {
  uint32_t ref = root_, parent = 0;
  std::size_t i = 0;
  for (unsigned depth = 0; depth <= kMaxDepth; ++depth) {
    const Node n = read_node(ref, parent);
    if (key.substr(i, n.prefix.size()) != n.prefix) return {};
    i += n.prefix.size();
    if (i == key.size()) return n.values;
    const uint32_t r = child(n, static_cast<unsigned char>(key[i]));
    if (r == 0) return {};
    parent = ref & kIndexNodeMask;
    ref = r;
    ++i;
  }
  bad("index too deep");
}

}  // namespace modforge::loader
