// Reading kmod's binary indexes (modules.dep.bin, modules.alias.bin, modules.symbols.bin,
// modules.builtin.bin, modules.builtin.alias.bin): the trie format of libkmod-index.c,
// searched the way libkmod searches it, including the order in which a wildcard search
// returns its values.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/input.h"

namespace modforge::loader::modinfo {

class IndexFile {
public:
  // nullopt when the file is missing or does not start with the index magic and version.
  static std::optional<IndexFile> open(const std::string& path);

  // The first value stored under exactly `key` (index_search).
  std::optional<std::string> search(std::string_view key) const;
  // The values of every stored pattern that matches `key` with fnmatch(), sorted by
  // priority as index_searchwild returns them.
  std::vector<std::string> search_wild(std::string_view key) const;

private:
  struct Node;
  bool read_node(uint32_t offset, Node& node) const;
  void wild_all(const Node& node, std::size_t j, std::string& buf, const char* subkey,
                std::vector<std::pair<uint32_t, std::string>>& out) const;
  void wild_node(uint32_t offset, std::string& buf, const char* key,
                 std::vector<std::pair<uint32_t, std::string>>& out) const;

  Input data_;
  uint32_t root_ = 0;
};

}  // namespace modforge::loader::modinfo
