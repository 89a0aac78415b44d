// kmod's binary index (modules.dep.bin, modules.alias.bin, ...): a path-compressed trie of
// ASCII keys, each key carrying values ordered by priority, written the way kmod's depmod
// writes it (post-order, big-endian offsets with flag bits, child arrays spanning the
// first..last child character) so that the files are byte-identical.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace modforge::loader::kmod {

inline constexpr uint32_t kIndexMagic = 0xB007F457;
inline constexpr uint32_t kIndexVersion = 0x00020001;
inline constexpr uint32_t kIndexNodePrefix = 0x80000000;
inline constexpr uint32_t kIndexNodeValues = 0x40000000;
inline constexpr uint32_t kIndexNodeChilds = 0x20000000;
inline constexpr uint32_t kIndexNodeMask = 0x0FFFFFFF;

class IndexWriter {
public:
  // With track_duplicates, insert() reports a (key, value) pair seen before, as kmod's
  // index_insert does for depmod -w.
  explicit IndexWriter(bool track_duplicates = false) : track_(track_duplicates) {}

  // Throws Error (kmod's FATAL text) for a byte outside 7-bit ASCII.  Values of one key
  // end up ordered by priority; among equal priorities the later insertion comes first.
  bool insert(std::string_view key, std::string_view value, uint32_t priority);

  // The whole file.
  std::string serialize() const;

  std::size_t size() const { return entries_.size(); }

private:
  struct Entry {
    uint32_t key_off, key_len, value_off, value_len, priority, seq;
  };
  std::string_view key(const Entry& e) const { return {store_.data() + e.key_off, e.key_len}; }
  std::string_view value(const Entry& e) const { return {store_.data() + e.value_off, e.value_len}; }
  uint32_t write_node(std::string& out, const std::vector<uint32_t>& order, std::size_t lo, std::size_t hi,
                      std::size_t depth, bool root) const;

  bool track_;
  std::string store_;  // keys and values, back to back
  std::vector<Entry> entries_;
  std::unordered_set<std::string> seen_;
};

}  // namespace modforge::loader::kmod
