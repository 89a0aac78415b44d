// libFuzzer target for kmod's binary index (loader/module/index_read.h, index_write.h):
// arbitrary bytes through IndexReader (every key and value, then a look-up of each key);
// what it reads is written again with IndexWriter and must read back to the same entries.
// Reading may refuse the input with modforge::Error; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "loader/module/index_read.h"
#include "loader/module/index_write.h"

using modforge::loader::IndexEntry;
using modforge::loader::IndexReader;
using modforge::loader::IndexWriter;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<IndexEntry> entries;
  try {
    IndexReader r(bytes, "fuzz");
    entries = r.entries();
    for (const IndexEntry& e : entries) (void)r.lookup(e.key);
    (void)r.lookup("symbol:x");
  } catch (const modforge::Error&) {
    return 0;
  }
  IndexWriter w;
  try {
    for (const IndexEntry& e : entries)
      for (auto v = e.values.rbegin(); v != e.values.rend(); ++v) w.insert(e.key, v->value, v->priority);
  } catch (const modforge::Error&) {
    return 0;  // a non-ASCII key or value: the writer refuses it as kmod's depmod does
  }
  const std::string again = w.serialize();
  IndexReader r2(again, "rewritten");
  const std::vector<IndexEntry> back = r2.entries();
  // Keys may repeat in a crafted file (two paths spelling the same key); a rewritten index
  // has each key once, so only the total count of values must match.
  std::size_t n1 = 0, n2 = 0;
  for (const IndexEntry& e : entries) n1 += e.values.size();
  for (const IndexEntry& e : back) n2 += e.values.size();
  if (n1 != n2) std::abort();
  return 0;
}
