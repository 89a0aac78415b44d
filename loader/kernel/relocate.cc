#include "loader/kernel/relocate.h"

#include <cerrno>
#include <algorithm>
#include <cstdio>

#include <llvm/BinaryFormat/ELF.h>

namespace modforge::loader::kernel {

using namespace llvm::ELF;

namespace {

constexpr uint64_t kShfRelaLivepatch = 0x00100000;

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
  return b;
}

struct Applier {
  const ModuleView& m;
  const RelocInput& in;
  const Rules& rules;
  Log& log;
  ModuleMemory& mem;

  int invalid(uint32_t type, uint64_t val) {
    logf(log, kErr, "module: x86/modules: " + std::string(rules.reloc_invalid_target) +
                        " relocation target, existing value is nonzero for type " +
                        std::to_string(static_cast<int>(type)) + ", loc (____ptrval____), val " + hex(val));
    return -ENOEXEC;
  }
  int overflow(uint32_t type, uint64_t val) {
    logf(log, kErr, "module: overflow in relocation type " + std::to_string(static_cast<int>(type)) + " val " + hex(val));
    logf(log, kErr, "module: `" + in.mod_name + "' likely not compiled with -mcmodel=kernel");
    return -ENOEXEC;
  }

  int apply_rela(unsigned relsec) {
    const Shdr& rs = m.image.sections()[relsec];
    const unsigned target = rs.sh_info;
    const uint64_t n = rs.sh_size / sizeof(Rela);
    for (uint64_t i = 0; i < n; ++i) {
      // The entries lie in the file copy; past the image the kernel reads garbage (zero here).
      const Rela r = m.image.record<Rela>(rs.sh_offset + i * sizeof(Rela)).value_or(Rela{});
      const uint32_t type = static_cast<uint32_t>(r.r_info & 0xffffffffu);
      const uint32_t symi = static_cast<uint32_t>(r.r_info >> 32);
      const uint64_t loc = in.sec_addrs[target] + r.r_offset;
      uint64_t val = (symi < in.sym_values.size() ? in.sym_values[symi] : 0) + uint64_t(r.r_addend);
      if (int e = rules.reloc_overflow_first ? apply_overflow_first(loc, type, val) : apply_target_first(loc, type, val))
        return e;
    }
    return 0;
  }

  int unknown(uint32_t type) {
    logf(log, kErr, "module: " + in.mod_name + ": Unknown rela relocation: " + std::to_string(type));
    return -ENOEXEC;
  }

  // 6.1: the target is checked first, the overflow after the write.
  int apply_target_first(uint64_t loc, uint32_t type, uint64_t val) {
    switch (type) {
      case R_X86_64_NONE:
        return 0;
      case R_X86_64_64:
      case R_X86_64_PC64:
        if (mem.read(loc, 8)) return invalid(type, val);
        if (type == R_X86_64_PC64) val -= loc;
        mem.write(loc, val, 8);
        return 0;
      case R_X86_64_32:
      case R_X86_64_32S:
      case R_X86_64_PC32:
      case R_X86_64_PLT32:
        if (mem.read(loc, 4)) return invalid(type, val);
        if (type == R_X86_64_PC32 || type == R_X86_64_PLT32) val -= loc;
        mem.write(loc, val, 4);
        if (type == R_X86_64_32 && val != uint32_t(val)) return overflow(type, val);
        if (type == R_X86_64_32S && int64_t(val) != int32_t(uint32_t(val))) return overflow(type, val);
        return 0;
      default:
        return unknown(type);
    }
  }

  // 6.12: the value (overflow) first, then the target.
  int apply_overflow_first(uint64_t loc, uint32_t type, uint64_t val) {
    unsigned size = 0;
    switch (type) {
      case R_X86_64_NONE:
        return 0;
      case R_X86_64_64:
        size = 8;
        break;
      case R_X86_64_32:
        if (val != uint32_t(val)) return overflow(type, val);
        size = 4;
        break;
      case R_X86_64_32S:
        if (int64_t(val) != int32_t(uint32_t(val))) return overflow(type, val);
        size = 4;
        break;
      case R_X86_64_PC32:
      case R_X86_64_PLT32:
        val -= loc;
        size = 4;
        break;
      case R_X86_64_PC64:
        val -= loc;
        size = 8;
        break;
      default:
        return unknown(type);
    }
    if (mem.read(loc, size)) return invalid(type, val);
    mem.write(loc, val, size);
    return 0;
  }

  // klp_apply_section_relocs(objname NULL): the name must read ".klp.rela.<obj>."; the
  // relocations for vmlinux need klp's symbol resolution, which is not emulated.
  int livepatch(unsigned relsec) {
    std::string_view name = m.image.section_name(relsec);
    constexpr std::string_view prefix = ".klp.rela.";
    if (name.substr(0, prefix.size()) != prefix || name.size() == prefix.size() || name[prefix.size()] == '.') {
      logf(log, kErr, "livepatch: section " + std::string(name) + " has an incorrectly formatted name");
      return -EINVAL;
    }
    return 0;
  }
};

}  // namespace

void place_sections(const ModuleView& m, unsigned pcpu, const std::vector<layout::SectionPlace>& places, RelocInput& in) {
  const auto& secs = m.image.sections();
  in.sec_flags.assign(secs.size(), 0);
  in.sec_addrs.assign(secs.size(), 0);
  for (std::size_t i = 0; i < secs.size(); ++i) in.sec_flags[i] = secs[i].sh_flags;
  if (secs.empty()) return;
  // rewrite_section_headers, layout_and_allocate, layout_symtab (CONFIG_KALLSYMS)
  in.sec_flags[m.idx_info] &= ~uint64_t(SHF_ALLOC);
  in.sec_flags[m.idx_vers] &= ~uint64_t(SHF_ALLOC);
  in.sec_flags[pcpu] &= ~uint64_t(SHF_ALLOC);
  if (m.idx_sym < secs.size()) in.sec_flags[m.idx_sym] |= SHF_ALLOC;
  if (m.idx_str < secs.size()) in.sec_flags[m.idx_str] |= SHF_ALLOC;
  const bool laid_out = places.size() == secs.size();
  uint64_t next = kModuleAddr;  // without the layout's places: one region, in section order
  for (std::size_t i = 1; i < secs.size(); ++i) {
    if (!(in.sec_flags[i] & SHF_ALLOC)) {
      in.sec_addrs[i] = kFileCopyAddr + secs[i].sh_offset;
    } else if (laid_out && places[i].region >= 0) {
      in.sec_addrs[i] = kModuleAddr + uint64_t(places[i].region) * kRegionStride + places[i].offset;
    } else {
      const uint64_t align = secs[i].sh_addralign ? secs[i].sh_addralign : 1;
      next = (align & (align - 1)) ? next : (next + align - 1) & ~(align - 1);
      in.sec_addrs[i] = next;
      next += secs[i].sh_size & 0xffffffffull;
    }
  }
}

int apply_relocations(const ModuleView& m, const RelocInput& in, const Rules& r, ModuleMemory& mem, Log& log) {
  Applier a{m, in, r, log, mem};
  const auto& secs = m.image.sections();
  const std::size_t shnum = secs.size();
  for (unsigned i = 1; i < shnum; ++i) {
    const unsigned info = secs[i].sh_info;
    if (info >= shnum || !(in.sec_flags[info] & SHF_ALLOC)) continue;
    int err = 0;
    if (secs[i].sh_flags & kShfRelaLivepatch) {
      err = a.livepatch(i);
    } else if (secs[i].sh_type == SHT_REL) {
      logf(log, kErr, "module " + in.mod_name + ": REL relocation unsupported");
      err = -ENOEXEC;
    } else if (secs[i].sh_type == SHT_RELA) {
      err = a.apply_rela(i);
    }
    if (err < 0) return err;
  }
  return 0;
}

}  // namespace modforge::loader::kernel
