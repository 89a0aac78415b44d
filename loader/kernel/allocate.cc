// The checks around the module's allocation and the allocation itself: main.c
// layout_and_allocate and move_module (6.1: arch/x86/kernel/module.c module_alloc; 6.12:
// module_memory_alloc, mm/execmem.c), add_unformed_module's name check, strict_rwx.c
// module_enforce_rwx_sections.
#include <cerrno>
#include <string>
#include <string_view>
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

namespace {

constexpr uint64_t kPage = 4096;
uint64_t page_align(uint64_t x) { return (x + kPage - 1) & ~(kPage - 1); }

// KASLR's module load offset (x86 execmem_arch_setup; 6.1 get_module_load_offset): the
// area starts at MODULES_VADDR + 1 to 1024 pages, drawn once a boot.
constexpr uint64_t kKaslrLeast = kPage, kKaslrMost = 1024 * kPage, kKaslrAssumed = 512 * kPage;

// What the module area already holds: each loaded module's memory (its /proc/modules size,
// with its init memory while it is Loading) and a guard page after it.
uint64_t area_held(const State& st) {
  uint64_t held = 0;
  for (const LoadedModule& o : st.modules)
    held += page_align(o.core_size + (o.state == ModState::coming ? o.init_size : 0)) + kPage;
  return held;
}

// Why a failed allocation prints what the emulator does not print, or "".
std::string_view vmalloc_failure(const Rules& r, uint64_t bytes) {
  if (!bytes) return "vmalloc's WARN on a zero-sized module allocation";
  return r.alloc_vmalloc_warns ? "vmalloc's warnings when the module area has no room" : "";
}

}  // namespace

// layout_and_allocate: layout_sections and layout_symtab (li.layout), then move_module's
// allocations (ModuleSizes::allocations, in its order), each a vmalloc area of the
// page-aligned size and a guard page in [MODULES_VADDR + KASLR's offset, MODULES_END).
// The first that does not fit fails the load with ENOMEM (those made before are freed).
// Approximated: the room is MODULES_LEN less the offset (random: taken as its mean, and
// the outcome marked unmodelled when the offset decides it), less what area_held counts,
// as one hole (vmalloc's first fit can miss room that unloads left scattered; the lazily
// freed areas are purged before it gives up, as counted); loaded modules count one guard
// page each (6.12 has one per memory type); the area's other users (BPF JIT, kprobes,
// ftrace trampolines) hold nothing in a boot that only loads modules; and the pages
// themselves are taken as available (vmalloc also refuses more than the machine's RAM:
// the oracle's 2 GiB exceed the area).
int allocate(LoadInfo& li) {
  li.layout = layout_of(li.m, li.target, li.livepatch);
  const uint64_t len = li.target.modules_len;
  uint64_t used = area_held(li.state);
  for (const uint32_t size : li.layout.sizes.allocations) {
    const uint64_t bytes = page_align(size);
    // 6.1 module_alloc: `if (PAGE_ALIGN(size) > MODULES_LEN) return NULL;`
    if (li.rules.alloc_checks_modules_len && bytes > len) return -ENOMEM;
    used += bytes + kPage;
    if (used + kKaslrLeast <= len && used + kKaslrMost > len && li.out.unmodelled.empty())
      li.out.unmodelled = "KASLR's module load offset decides whether the module area has room";
    if (bytes && used + kKaslrAssumed <= len) continue;
    if (const std::string_view why = vmalloc_failure(li.rules, bytes); !why.empty() && li.out.unmodelled.empty())
      li.out.unmodelled = why;
    if (!li.rules.alloc_failure_line.empty()) li.log(kWarn, std::string(li.rules.alloc_failure_line));
    return -ENOMEM;
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

// The sections copied to their places in the memory allocate() laid out.
void move_module(LoadInfo& li) {
  place_sections(li.m, li.m.find_sec(".data..percpu"), li.layout.places, li.reloc);
  li.memory.emplace(li.m.image, li.reloc.sec_addrs, li.reloc.sec_flags, kFileCopyAddr, zero_areas(li));
}

}  // namespace modforge::loader::kernel
