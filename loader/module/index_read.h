// Reading kmod's binary index files (modules.*.bin), for modprobe and for checking what
// depmod wrote.  Every offset is bounds-checked and a child must lie before its parent (the
// writer's post-order), so hostile files end in an Error, never a crash or a loop.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modforge::loader {

struct IndexValue {
  uint32_t priority = 0;
  std::string_view value;
};

struct IndexEntry {
  std::string key;
  std::vector<IndexValue> values;  // in file order (by priority)
};

class IndexReader {
public:
  // `bytes` must outlive the reader; `name` names the file in errors.  Throws Error when the
  // header is wrong.
  IndexReader(std::string_view bytes, std::string name);

  // Every key with its values, keys in byte order.  Throws Error on a malformed node.
  std::vector<IndexEntry> entries() const;
  // The values stored under exactly `key` (empty when absent).  Throws Error as above.
  std::vector<IndexValue> lookup(std::string_view key) const;

private:
  struct Node {
    std::string_view prefix;
    unsigned char first = 0, last = 0;
    std::size_t children_at = 0;  // offset of the child offset array
    bool has_children = false;
    std::vector<IndexValue> values;
  };
  Node read_node(uint32_t ref, uint32_t parent_offset) const;
  uint32_t child(const Node& n, unsigned char c) const;
  void walk(uint32_t ref, uint32_t parent_offset, std::string& key, std::vector<IndexEntry>& out,
            unsigned depth) const;
  uint32_t u32(std::size_t at) const;
  [[noreturn]] void bad(const std::string& why) const;

  std::string_view bytes_;
  std::string name_;
  uint32_t root_ = 0;
};

}  // namespace modforge::loader
