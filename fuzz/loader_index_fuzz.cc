// libFuzzer target for kmod's binary index (loader/kmod/index.h, index_write.h), the reader
// modinfo uses: arbitrary bytes through Index (every key and value, a look-up of each key,
// and libkmod's exact and wildcard searches as modinfo makes them); what it reads is
// written again with IndexWriter and must read back to the same entries.  Reading may
// refuse the input with modforge::Error; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "loader/kmod/index.h"
#include "loader/kmod/index_write.h"

using modforge::loader::kmod::Index;
using modforge::loader::kmod::IndexEntry;
using modforge::loader::kmod::IndexWriter;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<IndexEntry> entries;
  try {
    Index r(bytes, "fuzz");
    // The searches modinfo makes never throw, whatever the file holds.
    (void)r.search("symbol:x");
    (void)r.search_wild("pci:v00008086d*");
    (void)r.search_wild("usb:v1234p5678d0100dc00dsc00dp00ic03isc01ip02in00");
    entries = r.entries();
    std::size_t wild = 0;
    for (const IndexEntry& e : entries) {
      (void)r.lookup(e.key);
      (void)r.search(e.key);
      if (wild++ < 8) (void)r.search_wild(e.key);  // each one walks the whole trie
    }
  } catch (const modforge::Error&) {
    return 0;
  }
  IndexWriter w;
  try {
    for (const IndexEntry& e : entries) {
      // A key or value of a C string cannot hold a NUL; a crafted child character 0 or a
      // value can (nothing that writes indexes could have written it).
      if (e.key.find('\0') != std::string::npos) return 0;
      for (auto v = e.values.rbegin(); v != e.values.rend(); ++v) w.insert(e.key, v->value, v->priority);
    }
  } catch (const modforge::Error&) {
    return 0;  // a non-ASCII key or value: the writer refuses it as kmod's depmod does
  }
  const std::string again = w.serialize();
  Index r2(again, "rewritten");
  const std::vector<IndexEntry> back = r2.entries();
  // Keys may repeat in a crafted file (two paths spelling the same key); a rewritten index
  // has each key once, so only the total count of values must match.
  std::size_t n1 = 0, n2 = 0;
  for (const IndexEntry& e : entries) n1 += e.values.size();
  for (const IndexEntry& e : back) n2 += e.values.size();
  if (n1 != n2) std::abort();
  return 0;
}
