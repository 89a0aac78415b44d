// The checks around the module's allocation and the allocation itself: main.c
// layout_and_allocate and move_module, add_unformed_module's name check, strict_rwx.c
// module_enforce_rwx_sections.
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include <llvm/BinaryFormat/ELF.h>

#include "loader/kernel/load_passes.h"
#include "loader/kernel/module_sizes.h"

namespace modforge::loader::kernel {

using namespace llvm::ELF;

// module_patient_check_exists / add_unformed_module: a module of that name is live
// (EEXIST) or on its way in or out (EBUSY).
int check_exists(LoadInfo& li) {
  for (const LoadedModule& o : li.state.modules)
    if (o.name == li.mod.name) return o.state == ModState::live ? -EEXIST : -EBUSY;
  return 0;
}
int enforce_rwx(LoadInfo& li) {
  if (!li.target.strict_module_rwx) return 0;
  const auto& s = li.m.image.sections();
  for (unsigned i = 0; i < s.size(); ++i) {
    // info and versions lost SHF_ALLOC in rewrite_section_headers; flags are otherwise as read.
    if ((s[i].sh_flags & (SHF_WRITE | SHF_EXECINSTR)) == (SHF_WRITE | SHF_EXECINSTR)) {
      li.log(kErr, li.mod.name + ": section " + std::string(li.m.image.section_name(i)) + " (index " +
                       std::to_string(i) + ") has invalid WRITE|EXEC flags");
      return -ENOEXEC;
    }
  }
  return 0;
}
// move_module(): the module area (MODULES_LEN, 1.5 GiB on x86-64) cannot hold the
// allocated sections: module_alloc fails.
int allocate(LoadInfo& li) {
  constexpr uint64_t kModulesLen = 0xff000000ull - 0xa0000000ull;
  uint64_t total = 0;
  const auto& s = li.m.image.sections();
  for (unsigned i = 1; i < s.size(); ++i) {
    if (!(s[i].sh_flags & SHF_ALLOC) || i == li.m.idx_info || i == li.m.idx_vers) continue;
    if (s[i].sh_size > kModulesLen) return -ENOMEM;
    total += s[i].sh_size;
    if (total > kModulesLen) return -ENOMEM;
  }
  return 0;
}
namespace {

// The memory types move_module zeroed past their sections (Rules::zeroed_memory_types),
// [begin, end) each.
std::vector<std::pair<uint64_t, uint64_t>> zero_areas(const LoadInfo& li) {
  std::vector<std::pair<uint64_t, uint64_t>> z;
  if (li.layout.places.empty()) return z;
  for (int type : li.rules.zeroed_memory_types)
    if (const uint32_t size = li.layout.sizes.mem[type]) {
      const uint64_t base = kModuleAddr + uint64_t(type) * kRegionStride;
      z.push_back({base, base + size});
    }
  return z;
}

}  // namespace

void move_module(LoadInfo& li) {
  li.layout = layout_of(li.m, li.target, li.livepatch);
  place_sections(li.m, li.m.find_sec(".data..percpu"), li.layout.places, li.reloc);
  li.memory.emplace(li.m.image, li.reloc.sec_addrs, li.reloc.sec_flags, kFileCopyAddr, zero_areas(li));
}

}  // namespace modforge::loader::kernel
