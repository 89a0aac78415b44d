#include "loader/kmod/index_write.h"

#include <algorithm>
#include <cstdio>

#include "core/error.h"

namespace modforge::loader::kmod {

namespace {

void check_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 128) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "'%c'=0x%x", static_cast<char>(c), static_cast<unsigned>(c));
      throw Error("Module index: bad character " + std::string(buf) +
                  " - only 7-bit ASCII is supported:\n" + std::string(s) + "\n");
    }
}

void put32(std::string& out, uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
  out.append(b, 4);
}

void set32(std::string& out, std::size_t at, uint32_t v) {
  out[at] = static_cast<char>(v >> 24);
  out[at + 1] = static_cast<char>(v >> 16);
  out[at + 2] = static_cast<char>(v >> 8);
  out[at + 3] = static_cast<char>(v);
}

}  // namespace

bool IndexWriter::insert(std::string_view key, std::string_view value, uint32_t priority) {
  check_ascii(key);
  check_ascii(value);
  bool duplicate = false;
  if (track_) {
    std::string kv;
    kv.reserve(key.size() + value.size() + 1);
    kv.append(key).push_back('\0');
    kv.append(value);
    duplicate = !seen_.insert(std::move(kv)).second;
  }
  Entry e;
  e.key_off = static_cast<uint32_t>(store_.size());
  e.key_len = static_cast<uint32_t>(key.size());
  store_.append(key);
  e.value_off = static_cast<uint32_t>(store_.size());
  e.value_len = static_cast<uint32_t>(value.size());
  store_.append(value);
  e.priority = priority;
  e.seq = static_cast<uint32_t>(entries_.size());
  entries_.push_back(e);
  return duplicate;
}

// The trie kmod builds by successive insertions is the canonical path-compressed trie of
// the key set (every node but the root holds values or has two children or more), so it
// is built here directly from the sorted keys.  [lo, hi) share the first `depth` bytes.
uint32_t IndexWriter::write_node(std::string& out, const std::vector<uint32_t>& order, std::size_t lo,
                                 std::size_t hi, std::size_t depth, bool root) const {
  const std::string_view first = key(entries_[order[lo]]);
  const std::string_view last = key(entries_[order[hi - 1]]);
  std::size_t pos = depth;
  if (!root)
    while (pos < first.size() && pos < last.size() && first[pos] == last[pos]) ++pos;

  // Keys ending here sort first in the range.
  std::size_t vend = lo;
  while (vend < hi && key(entries_[order[vend]]).size() == pos) ++vend;

  std::vector<uint32_t> child_offs;
  unsigned char cfirst = 0, clast = 0;
  if (vend < hi) {
    cfirst = static_cast<unsigned char>(key(entries_[order[vend]])[pos]);
    clast = static_cast<unsigned char>(key(entries_[order[hi - 1]])[pos]);
    child_offs.assign(clast - cfirst + 1u, 0);
    std::size_t i = vend;
    while (i < hi) {
      const unsigned char c = static_cast<unsigned char>(key(entries_[order[i]])[pos]);
      std::size_t j = i + 1;
      while (j < hi && static_cast<unsigned char>(key(entries_[order[j]])[pos]) == c) ++j;
      child_offs[c - cfirst] = write_node(out, order, i, j, pos + 1, false);
      i = j;
    }
  }

  uint32_t offset = static_cast<uint32_t>(out.size());
  if (pos > depth) {
    out.append(first.substr(depth, pos - depth)).push_back('\0');
    offset |= kIndexNodePrefix;
  }
  if (!child_offs.empty()) {
    out.push_back(static_cast<char>(cfirst));
    out.push_back(static_cast<char>(clast));
    for (uint32_t c : child_offs) put32(out, c);
    offset |= kIndexNodeChilds;
  }
  if (vend > lo) {
    put32(out, static_cast<uint32_t>(vend - lo));
    for (std::size_t i = lo; i < vend; ++i) {
      const Entry& e = entries_[order[i]];
      put32(out, e.priority);
      out.append(value(e)).push_back('\0');
    }
    offset |= kIndexNodeValues;
  }
  return offset;
}

std::string IndexWriter::serialize() const {
  std::string out;
  out.reserve(store_.size() + entries_.size() * 16 + 64);
  put32(out, kIndexMagic);
  put32(out, kIndexVersion);
  put32(out, 0);
  if (entries_.empty()) {
    set32(out, 8, static_cast<uint32_t>(out.size()));
    return out;
  }
  std::vector<uint32_t> order(entries_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
    const Entry& x = entries_[a];
    const Entry& y = entries_[b];
    const int c = key(x).compare(key(y));
    if (c != 0) return c < 0;
    if (x.priority != y.priority) return x.priority < y.priority;
    return x.seq > y.seq;
  });
  const uint32_t root = write_node(out, order, 0, order.size(), 0, true);
  set32(out, 8, root);
  return out;
}

}  // namespace modforge::loader::kmod
