#include "loader/modinfo/index_file.h"

#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include "core/error.h"

namespace modforge::loader::modinfo {

namespace {
constexpr uint32_t kMagic = 0xB007F457, kVersionMajor = 2;
constexpr uint32_t kFlagPrefix = 0x80000000, kFlagValues = 0x40000000, kFlagChilds = 0x20000000,
                   kOffsetMask = 0x0FFFFFFF;
}  // namespace

struct IndexFile::Node {
  std::string_view prefix;
  unsigned first = 128, last = 0;  // no children: first > last
  const unsigned char* children = nullptr;  // big-endian u32 offsets, last - first + 1 of them
  std::vector<std::pair<uint32_t, std::string_view>> values;  // in file order

  uint32_t child(const IndexFile& f, int ch) const {
    if (ch < static_cast<int>(first) || ch > static_cast<int>(last)) return 0;
    const unsigned char* p = children + 4 * (ch - first);
    (void)f;
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  }
};

std::optional<IndexFile> IndexFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  IndexFile f;
  try {
    f.data_ = Input::from_fd(fd, path);
  } catch (const Error&) {
    ::close(fd);
    return std::nullopt;
  }
  ::close(fd);
  std::string_view b = f.data_.bytes();
  if (b.size() < 12) return std::nullopt;
  auto u32 = [&](std::size_t off) {
    const auto* p = reinterpret_cast<const unsigned char*>(b.data() + off);
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  };
  if (u32(0) != kMagic || (u32(4) >> 16) != kVersionMajor) return std::nullopt;
  f.root_ = u32(8);
  return f;
}

// A node the way index_read reads it; false where the stdio reader would hit EOF.
bool IndexFile::read_node(uint32_t offset, Node& node) const {
  const std::string_view b = data_.bytes();
  std::size_t p = offset & kOffsetMask;
  if (p == 0 || p >= b.size()) return false;
  auto u32 = [&](uint32_t& v) {
    if (b.size() - p < 4) return false;
    const auto* q = reinterpret_cast<const unsigned char*>(b.data() + p);
    v = (uint32_t{q[0]} << 24) | (uint32_t{q[1]} << 16) | (uint32_t{q[2]} << 8) | q[3];
    p += 4;
    return true;
  };
  auto chars = [&](std::string_view& s) {
    const std::size_t end = b.find('\0', p);
    if (end == std::string_view::npos) return false;
    s = b.substr(p, end - p);
    p = end + 1;
    return true;
  };
  node = Node();
  if (offset & kFlagPrefix) {
    if (!chars(node.prefix)) return false;
  }
  if (offset & kFlagChilds) {
    if (b.size() - p < 2) return false;
    const unsigned first = static_cast<unsigned char>(b[p]), last = static_cast<unsigned char>(b[p + 1]);
    p += 2;
    if (first > last) return false;
    const std::size_t n = last - first + 1;
    if (b.size() - p < 4 * n) return false;
    node.first = first;
    node.last = last;
    node.children = reinterpret_cast<const unsigned char*>(b.data() + p);
    p += 4 * n;
  }
  if (offset & kFlagValues) {
    uint32_t count;
    if (!u32(count)) return false;
    while (count--) {
      uint32_t priority;
      std::string_view v;
      if (!u32(priority) || !chars(v)) return false;
      node.values.emplace_back(priority, v);
    }
  }
  return true;
}

namespace {
// add_value: insert before the first value of equal or higher priority.
void add_value(std::vector<std::pair<uint32_t, std::string>>& out, uint32_t priority, std::string_view v) {
  auto it = out.begin();
  while (it != out.end() && it->first < priority) ++it;
  out.emplace(it, priority, std::string(v));
}
// The list a node's values make once each is inserted with add_value.
std::vector<std::pair<uint32_t, std::string>> sorted_values(const std::vector<std::pair<uint32_t, std::string_view>>& vals) {
  std::vector<std::pair<uint32_t, std::string>> list;
  for (const auto& [pr, v] : vals) add_value(list, pr, v);
  return list;
}
}  // namespace

std::optional<std::string> IndexFile::search(std::string_view key_view) const {
  const std::string key(key_view);
  uint32_t offset = root_;
  std::size_t i = 0;
  Node node;
  while (read_node(offset, node)) {
    for (std::size_t j = 0; j < node.prefix.size(); ++j)
      if (node.prefix[j] != key.c_str()[i + j]) return std::nullopt;
    i += node.prefix.size();
    if (key.c_str()[i] == '\0') {
      if (node.values.empty()) return std::nullopt;
      return sorted_values(node.values).front().second;
    }
    offset = node.child(*this, static_cast<unsigned char>(key[i]));
    ++i;
  }
  return std::nullopt;
}

void IndexFile::wild_all(const Node& node, std::size_t j, std::string& buf, const char* subkey,
                         std::vector<std::pair<uint32_t, std::string>>& out) const {
  const std::size_t pushed = node.prefix.size() - j;
  buf.append(node.prefix.substr(j));
  for (unsigned ch = node.first; ch <= node.last; ++ch) {
    Node child;
    if (!read_node(node.child(*this, static_cast<int>(ch)), child)) continue;
    buf.push_back(static_cast<char>(ch));
    wild_all(child, 0, buf, subkey, out);
    buf.pop_back();
  }
  if (!node.values.empty() && fnmatch(buf.c_str(), subkey, 0) == 0)
    for (const auto& [pr, v] : sorted_values(node.values)) add_value(out, pr, v);
  buf.resize(buf.size() - pushed);
}

void IndexFile::wild_node(uint32_t offset, std::string& buf, const char* key,
                          std::vector<std::pair<uint32_t, std::string>>& out) const {
  std::size_t i = 0;
  Node node;
  while (read_node(offset, node)) {
    for (std::size_t j = 0; j < node.prefix.size(); ++j) {
      const char ch = node.prefix[j];
      if (ch == '*' || ch == '?' || ch == '[') {
        wild_all(node, j, buf, key + i + j, out);
        return;
      }
      if (ch != key[i + j]) return;
    }
    i += node.prefix.size();
    for (char w : {'*', '?', '['}) {
      Node child;
      if (!read_node(node.child(*this, w), child)) continue;
      buf.push_back(w);
      wild_all(child, 0, buf, key + i, out);
      buf.pop_back();
    }
    if (key[i] == '\0') {
      for (const auto& [pr, v] : sorted_values(node.values)) add_value(out, pr, v);
      return;
    }
    offset = node.child(*this, static_cast<unsigned char>(key[i]));
    ++i;
  }
}

std::vector<std::string> IndexFile::search_wild(std::string_view key) const {
  const std::string k(key);
  std::string buf;
  std::vector<std::pair<uint32_t, std::string>> out;
  wild_node(root_, buf, k.c_str(), out);
  std::vector<std::string> values;
  values.reserve(out.size());
  for (auto& [pr, v] : out) values.push_back(std::move(v));
  return values;
}

}  // namespace modforge::loader::modinfo
