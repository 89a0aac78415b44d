// kmod's binary indexes (modules.dep.bin, modules.alias.bin, modules.symbols.bin,
// modules.builtin.bin, modules.builtin.alias.bin): the trie format of libkmod-index.c,
// searched the way libkmod searches it (including the order in which a wildcard search
// returns its values), for modinfo and for checking what depmod wrote.  Every read is
// bounds-checked and a child must lie before its parent (the writer's post-order), so a
// hostile file ends in "not found" or an Error, never a crash or a loop (fuzz/loader_index).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/input.h"

namespace modforge::loader::kmod {

struct IndexValue {
  uint32_t priority = 0;
  std::string_view value;
};

struct IndexEntry {
  std::string key;
  std::vector<IndexValue> values;  // in file order
};

class Index {
public:
  // libkmod's index_file_open: nullopt when the file cannot be read or does not start with
  // the index magic and major version.
  static std::optional<Index> open(const std::string& path);
  // Over `bytes`, which must outlive the index; `name` names it in errors.  Throws Error
  // when the header is wrong.
  Index(std::string_view bytes, std::string name);

  // index_search: the first value (by priority) stored under exactly `key`.
  std::optional<std::string> search(std::string_view key) const;
  // index_searchwild: the values of every stored pattern that matches `key` with fnmatch(),
  // sorted by priority.
  std::vector<std::string> search_wild(std::string_view key) const;

  // Every key with its values, keys in byte order; throws Error on a malformed node.
  std::vector<IndexEntry> entries() const;
  // The values stored under exactly `key` in file order (empty when absent); throws Error
  // on a malformed node.
  std::vector<IndexValue> lookup(std::string_view key) const;

private:
  Index() = default;
  struct Node;
  std::string_view bytes() const { return owned_ ? data_.bytes() : view_; }
  bool read_header();
  bool read_node(uint32_t ref, Node& node) const;
  bool read_child(const Node& parent, int ch, Node& child) const;
  void wild_all(const Node& node, std::size_t j, std::string& buf, const char* subkey,
                std::vector<std::pair<uint32_t, std::string>>& out, unsigned depth) const;
  void wild_node(std::string& buf, const char* key, std::vector<std::pair<uint32_t, std::string>>& out) const;
  void walk(const Node& node, std::string& key, std::vector<IndexEntry>& out, unsigned depth) const;
  [[noreturn]] void bad(const std::string& why) const;

  bool owned_ = false;
  Input data_;            // the file, when opened by path
  std::string_view view_; // or bytes given by the caller
  std::string name_;
  uint32_t root_ = 0;
};

}  // namespace modforge::loader::kmod
