// The module's memory as move_module leaves it and load_module then changes it: each
// allocated section's bytes (NOBITS ones zero) at the address the kernel's layout gives it,
// zeros between the sections of a region, and the temporary copy of the file (where the
// sections that lost SHF_ALLOC stay).  Relocations and code patching write over it, so a
// later reader sees what the machine would, including a write that ran past its section.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader/kernel/image.h"

namespace modforge::loader::kernel {

class ModuleMemory {
public:
  // `addrs`/`flags`: each section's address and flags after layout (RelocInput).
  // `zero_areas`: whole regions whose bytes past their sections stay zero (no kallsyms
  // tables are put there), [begin, end) each.
  ModuleMemory(const Image& im, const std::vector<uint64_t>& addrs, const std::vector<uint64_t>& flags,
               uint64_t file_copy_addr, const std::vector<std::pair<uint64_t, uint64_t>>& zero_areas = {});
  ModuleMemory(const ModuleMemory&) = delete;  // its ranges may view their own copies
  ModuleMemory& operator=(const ModuleMemory&) = delete;

  uint64_t read(uint64_t addr, unsigned size);  // little-endian, size <= 8
  void write(uint64_t addr, uint64_t v, unsigned size);
  void write_bytes(uint64_t addr, std::string_view bytes);
  // Whether every byte of [addr, addr + size) is one the emulator knows: in a section, in
  // the gap between two sections of one region, or in the file copy.  Elsewhere (vmlinux,
  // other modules, the kallsyms tables after the sections, unmapped space) it does not.
  bool known(uint64_t addr, uint64_t size) const;

private:
  struct Range {
    uint64_t addr, size;
    unsigned sec;  // 0: the file copy
    // Its bytes: a view of the image until the first write, then of `own` (a copy made
    // then).  Set at the first access, as the kernel's copy holds the image's bytes.
    std::string_view bytes;
    std::string own;
    bool loaded = false, owned = false;
  };
  Range* find(uint64_t a);
  std::string_view load(Range& r);
  char* writable(Range& r);  // its bytes, copied out of the image first
  bool in_one_range(Range* r, uint64_t addr, unsigned size);
  uint8_t byte(uint64_t a);

  const Image& im_;
  std::vector<Range> ranges_;                   // by address (not moved once built: `bytes` may view `own`)
  std::size_t hint_ = 0;                        // the range find() last started from
  std::vector<std::pair<uint64_t, uint64_t>> spans_;  // [first section, last section end) per region
  std::unordered_map<uint64_t, uint8_t> sparse_;  // written bytes outside any range
};

}  // namespace modforge::loader::kernel
