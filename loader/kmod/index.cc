#include "loader/kmod/index.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include "core/error.h"
#include "loader/kmod/index_write.h"

namespace modforge::loader::kmod {

namespace {
// Keys are at most PATH_MAX long, so no real trie is deeper; a deeper one is crafted.
constexpr unsigned kMaxDepth = 4096;

uint32_t be32(const char* p) {
  const auto* q = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{q[0]} << 24) | (uint32_t{q[1]} << 16) | (uint32_t{q[2]} << 8) | uint32_t{q[3]};
}
}  // namespace

struct Index::Node {
  uint32_t offset = 0;
  std::string_view prefix;
  unsigned first = 128, last = 0;  // no children: first > last
  const char* children = nullptr;  // big-endian u32 offsets, last - first + 1 of them
  std::vector<IndexValue> values;  // in file order

  uint32_t child(int ch) const {
    if (ch < static_cast<int>(first) || ch > static_cast<int>(last)) return 0;
    return be32(children + 4 * (ch - first));
  }
};

std::optional<Index> Index::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<Index> f(Index{});
  try {
    f->data_ = Input::from_fd(fd, path);
  } catch (const Error&) {
    ::close(fd);
    return std::nullopt;
  }
  ::close(fd);
  f->owned_ = true;
  f->name_ = path;
  if (!f->read_header()) return std::nullopt;
  return f;
}

Index::Index(std::string_view bytes, std::string name) : view_(bytes), name_(std::move(name)) {
  if (bytes.size() < 12) bad("file too short for the index header");
  if (!read_header()) bad("bad magic or unsupported index version");
}

void Index::bad(const std::string& why) const { throw Error(name_ + ": " + why); }

bool Index::read_header() {
  const std::string_view b = bytes();
  if (b.size() < 12) return false;
  if (be32(b.data()) != kIndexMagic || (be32(b.data() + 4) >> 16) != (kIndexVersion >> 16)) return false;
  root_ = be32(b.data() + 8);
  return true;
}

// A node the way libkmod's index_read reads it; false where its stdio reader would hit EOF.
bool Index::read_node(uint32_t ref, Node& node) const {
  const std::string_view b = bytes();
  std::size_t p = ref & kIndexNodeMask;
  if (p == 0 || p > b.size()) return false;  // a node without flags may end the file
  auto u32 = [&](uint32_t& v) {
    if (b.size() - p < 4) return false;
    v = be32(b.data() + p);
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
  node.offset = static_cast<uint32_t>(p);
  if ((ref & kIndexNodePrefix) && !chars(node.prefix)) return false;
  if (ref & kIndexNodeChilds) {
    if (b.size() - p < 2) return false;
    const unsigned first = static_cast<unsigned char>(b[p]), last = static_cast<unsigned char>(b[p + 1]);
    p += 2;
    if (first > last) return false;
    const std::size_t n = last - first + 1;
    if (b.size() - p < 4 * n) return false;
    node.first = first;
    node.last = last;
    node.children = b.data() + p;
    p += 4 * n;
  }
  if (ref & kIndexNodeValues) {
    uint32_t count;
    if (!u32(count)) return false;
    while (count--) {
      IndexValue v;
      if (!u32(v.priority) || !chars(v.value)) return false;
      node.values.push_back(v);
    }
  }
  return true;
}

// Child `ch` of `parent`: false when absent or unreadable, or when it does not lie before
// its parent (never so in a file kmod or IndexWriter wrote; a cycle in a crafted one).
bool Index::read_child(const Node& parent, int ch, Node& child) const {
  const uint32_t ref = parent.child(ch);
  if ((ref & kIndexNodeMask) >= parent.offset) return false;
  return read_node(ref, child);
}

namespace {
// add_value: insert before the first value of equal or higher priority.
void add_value(std::vector<std::pair<uint32_t, std::string>>& out, uint32_t priority, std::string_view v) {
  auto it = out.begin();
  while (it != out.end() && it->first < priority) ++it;
  out.emplace(it, priority, std::string(v));
}
// The list a node's values make once each is inserted with add_value.
std::vector<std::pair<uint32_t, std::string>> sorted_values(const std::vector<IndexValue>& vals) {
  std::vector<std::pair<uint32_t, std::string>> list;
  for (const IndexValue& v : vals) add_value(list, v.priority, v.value);
  return list;
}
}  // namespace

std::optional<std::string> Index::search(std::string_view key_view) const {
  const std::string key(key_view);
  std::size_t i = 0;
  Node node;
  for (bool ok = read_node(root_, node); ok;) {
    for (std::size_t j = 0; j < node.prefix.size(); ++j)
      if (node.prefix[j] != key.c_str()[i + j]) return std::nullopt;
    i += node.prefix.size();
    if (key.c_str()[i] == '\0') {
      if (node.values.empty()) return std::nullopt;
      return sorted_values(node.values).front().second;
    }
    Node next;
    ok = read_child(node, static_cast<unsigned char>(key[i]), next);
    node = std::move(next);
    ++i;
  }
  return std::nullopt;
}

void Index::wild_all(const Node& node, std::size_t j, std::string& buf, const char* subkey,
                     std::vector<std::pair<uint32_t, std::string>>& out, unsigned depth) const {
  if (depth > kMaxDepth) return;
  const std::size_t pushed = node.prefix.size() - j;
  buf.append(node.prefix.substr(j));
  for (unsigned ch = node.first; ch <= node.last; ++ch) {
    Node child;
    if (!read_child(node, static_cast<int>(ch), child)) continue;
    buf.push_back(static_cast<char>(ch));
    wild_all(child, 0, buf, subkey, out, depth + 1);
    buf.pop_back();
  }
  if (!node.values.empty() && fnmatch(buf.c_str(), subkey, 0) == 0)
    for (const auto& [pr, v] : sorted_values(node.values)) add_value(out, pr, v);
  buf.resize(buf.size() - pushed);
}

void Index::wild_node(std::string& buf, const char* key, std::vector<std::pair<uint32_t, std::string>>& out) const {
  std::size_t i = 0;
  Node node;
  for (bool ok = read_node(root_, node); ok;) {
    for (std::size_t j = 0; j < node.prefix.size(); ++j) {
      const char ch = node.prefix[j];
      if (ch == '*' || ch == '?' || ch == '[') {
        wild_all(node, j, buf, key + i + j, out, 0);
        return;
      }
      if (ch != key[i + j]) return;
    }
    i += node.prefix.size();
    for (char w : {'*', '?', '['}) {
      Node child;
      if (!read_child(node, w, child)) continue;
      buf.push_back(w);
      wild_all(child, 0, buf, key + i, out, 0);
      buf.pop_back();
    }
    if (key[i] == '\0') {
      for (const auto& [pr, v] : sorted_values(node.values)) add_value(out, pr, v);
      return;
    }
    Node next;
    ok = read_child(node, static_cast<unsigned char>(key[i]), next);
    node = std::move(next);
    ++i;
  }
}

std::vector<std::string> Index::search_wild(std::string_view key) const {
  const std::string k(key);
  std::string buf;
  std::vector<std::pair<uint32_t, std::string>> out;
  wild_node(buf, k.c_str(), out);
  std::vector<std::string> values;
  values.reserve(out.size());
  for (auto& [pr, v] : out) values.push_back(std::move(v));
  return values;
}

void Index::walk(const Node& node, std::string& key, std::vector<IndexEntry>& out, unsigned depth) const {
  if (depth > kMaxDepth) bad("index too deep");
  const std::size_t keep = key.size();
  key.append(node.prefix);
  if (!node.values.empty()) out.push_back({key, node.values});
  for (unsigned c = node.first; c <= node.last; ++c) {
    if (node.child(static_cast<int>(c)) == 0) continue;
    Node child;
    if (!read_child(node, static_cast<int>(c), child)) bad("malformed node or node not before its parent");
    key.push_back(static_cast<char>(c));
    walk(child, key, out, depth + 1);
    key.pop_back();
  }
  key.resize(keep);
}

std::vector<IndexEntry> Index::entries() const {
  Node root;
  if (!read_node(root_, root)) bad("malformed root node");
  std::vector<IndexEntry> out;
  std::string key;
  walk(root, key, out, 0);
  return out;
}

std::vector<IndexValue> Index::lookup(std::string_view key) const {
  Node node;
  if (!read_node(root_, node)) bad("malformed root node");
  std::size_t i = 0;
  for (;;) {
    if (key.substr(i, node.prefix.size()) != node.prefix) return {};
    i += node.prefix.size();
    if (i == key.size()) return node.values;
    const unsigned char c = static_cast<unsigned char>(key[i]);
    if (node.child(c) == 0) return {};
    Node next;
    if (!read_child(node, c, next)) bad("malformed node or node not before its parent");
    node = std::move(next);
    ++i;
  }
}

}  // namespace modforge::loader::kmod
