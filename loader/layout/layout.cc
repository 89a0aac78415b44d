#include "loader/layout/layout.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/Error.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "loader/layout/layout_rules.h"

namespace modforge::loader::layout {

namespace ELF = llvm::ELF;

namespace {

constexpr uint64_t SHF_RO_AFTER_INIT = 0x00200000;  // include/linux/module.h (kernel-only flag)
constexpr uint32_t ELF_SYM_SIZE = 24;               // sizeof(Elf64_Sym)
constexpr uint32_t MOD_KALLSYMS_SIZE = 32;          // struct mod_kallsyms on x86-64
constexpr uint32_t MOD_KALLSYMS_ALIGN = 8;

// The kernel's ALIGN() on an unsigned int: the alignment is cast to the size's type and
// applied as a mask, so a huge or non-power-of-two sh_addralign gives what the kernel gets.
uint32_t kalign(uint32_t x, uint64_t a) {
  const uint32_t m = static_cast<uint32_t>(a) - 1;
  return (x + m) & ~m;
}
uint32_t sec_align(uint64_t addralign) { return addralign ? static_cast<uint32_t>(addralign) : 1; }

// The section header fields the layout reads and rewrites (flags and the placement the
// kernel keeps in sh_entsize).
struct Shdr {
  std::string_view name;
  uint32_t type = 0;
  uint64_t flags = 0, size = 0, addralign = 0;
  bool placed = false;   // sh_entsize != ~0UL
  bool init = false;     // placed in the init part
  SectionPlace where;    // region and offset once placed
};

// The state load_module has reached when layout_sections runs.
struct Sections {
  std::vector<Shdr> sh;
  unsigned pcpu = 0, sym = 0, str = 0;
  bool livepatch = false;
};

// find_sec(): the first section of that name that is still SHF_ALLOC ("Alloc bit cleared
// means ignore it").
template <class S>
unsigned find_sec(const std::vector<S>& sh, std::string_view name) {
  for (unsigned i = 1; i < sh.size(); ++i)
    if ((sh[i].flags & ELF::SHF_ALLOC) && sh[i].name == name) return i;
  return 0;
}

bool has_modinfo_tag(std::string_view info, std::string_view tag) {
  while (!info.empty()) {
    std::size_t end = info.find('\0');
    std::string_view s = info.substr(0, end);
    if (s.size() > tag.size() && s.substr(0, tag.size()) == tag && s[tag.size()] == '=') return true;
    if (end == std::string_view::npos) break;
    info.remove_prefix(end + 1);
  }
  return false;
}

// What load_module does to the section headers before layout_sections.
Sections prepare(const LayoutInput& in, const LayoutConfig& cfg) {
  Sections li;
  li.sh.reserve(in.sections.size());
  for (const LayoutSection& s : in.sections) li.sh.push_back({s.name, s.type, s.flags, s.size, s.addralign});
  const std::size_t n = li.sh.size();
  li.sym = in.sym < n ? in.sym : 0;
  li.str = in.str < n ? in.str : 0;
  const unsigned info = in.info < n ? in.info : 0, vers = in.vers < n ? in.vers : 0;
  if (cfg.smp) li.pcpu = find_sec(li.sh, ".data..percpu");
  li.livepatch = cfg.livepatch && in.livepatch;

  // rewrite_section_headers: modinfo and versions are read, not kept.  Index 0 stands
  // for "none", whose flags the kernel clears harmlessly.
  if (n) {
    li.sh[vers].flags &= ~uint64_t(ELF::SHF_ALLOC);
    li.sh[info].flags &= ~uint64_t(ELF::SHF_ALLOC);
  }
  // layout_and_allocate: no x86 module_frob_arch_sections; per-cpu data goes elsewhere;
  // two sections become read-only after init.
  if (n) li.sh[li.pcpu].flags &= ~uint64_t(ELF::SHF_ALLOC);
  for (std::string_view name : {".data..ro_after_init", "__jump_table"})
    if (unsigned i = find_sec(li.sh, name)) li.sh[i].flags |= SHF_RO_AFTER_INIT;
  return li;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool init_layout_section(std::string_view name, const LayoutConfig& cfg) {
  if (!cfg.module_unload && starts_with(name, ".exit")) return true;
  return starts_with(name, ".init");
}

// layout_sections' classes, in order: text, read-only, ro-after-init, writable, the rest
// (ARCH_SHF_SMALL is 0 on x86, so the last takes any allocated section not yet placed).
struct Mask {
  uint64_t need, refuse;
};
constexpr std::array<Mask, 5> MASKS{{
    {ELF::SHF_EXECINSTR | ELF::SHF_ALLOC, 0},
    {ELF::SHF_ALLOC, ELF::SHF_WRITE},
    {SHF_RO_AFTER_INIT | ELF::SHF_ALLOC, 0},
    {ELF::SHF_WRITE | ELF::SHF_ALLOC, 0},
    {ELF::SHF_ALLOC, 0},
}};

bool takes(const Shdr& s, const Mask& m) { return (s.flags & m.need) == m.need && !(s.flags & m.refuse) && !s.placed; }

// module_get_offset: place the section at the aligned end of region `region`'s `size`.
void place(uint32_t& size, Shdr& s, int region) {
  uint32_t off = kalign(size, sec_align(s.addralign));
  size = off + static_cast<uint32_t>(s.size);
  s.where = {region, off};
}

struct SymtabCount {
  uint32_t nsrc = 0, ndst = 0, strtab = 0;
};

// layout_symtab's count of the symbols kept in core for kallsyms (is_core_symbol).
SymtabCount count_core_symbols(const LayoutInput& in, const Sections& li, const LayoutConfig& cfg) {
  SymtabCount c;
  const Shdr& symsect = li.sh[li.sym];
  c.nsrc = static_cast<uint32_t>(symsect.size / ELF_SYM_SIZE);
  const bool unplaced_is_init = layout_rules(cfg.version).unplaced_is_init;
  const std::size_t shnum = li.sh.size();
  const std::size_t n = std::min<std::size_t>(c.nsrc, in.symbols.size());
  for (std::size_t i = 0; i < n; ++i) {
    const LayoutSymbol& s = in.symbols[i];
    bool keep = i == 0 || li.livepatch;
    if (!keep && s.shndx != ELF::SHN_UNDEF && s.shndx < shnum && s.named) {
      if (cfg.kallsyms_all && s.shndx == li.pcpu) {
        keep = true;
      } else {
        const Shdr& sec = li.sh[s.shndx];
        // 6.1 tests INIT_OFFSET_MASK, 6.12 the init mem types: both mean "placed in init".
        bool in_init = sec.init || (unplaced_is_init && !sec.placed);
        keep = (sec.flags & ELF::SHF_ALLOC) && (cfg.kallsyms_all || (sec.flags & ELF::SHF_EXECINSTR)) && !in_init;
      }
    }
    if (keep) {
      c.strtab += s.name_bytes;
      ++c.ndst;
    }
  }
  return c;
}

uint32_t page_align(uint32_t x, const LayoutConfig& cfg) { return kalign(x, cfg.page_size); }

// How far x is from the nearest page boundary it could cross (0 when on one).
uint32_t page_margin(uint32_t x, const LayoutConfig& cfg) {
  uint32_t r = x % cfg.page_size;
  return std::min(r, cfg.page_size - r) % cfg.page_size;
}

// 6.1: core_layout and init_layout.
ModuleSizes sizes_core_and_init(const LayoutInput& in, Sections& li, const LayoutConfig& cfg) {
  uint32_t core = 0, data_own = 0, init = 0, margin = UINT32_MAX;
  // data_layout is core_layout unless data lives in vmalloc.
  uint32_t& data = cfg.data_in_vmalloc ? data_own : core;
  auto strict = [&](uint32_t x) { return cfg.strict_module_rwx ? page_align(x, cfg) : x; };
  uint32_t last_aligned = 0;  // an alignment of an unchanged size tells nothing
  auto strict_core = [&](uint32_t x) {
    if (cfg.strict_module_rwx && x != last_aligned) margin = std::min(margin, page_margin(x, cfg));
    return last_aligned = strict(x);
  };

  for (unsigned m = 0; m < MASKS.size(); ++m) {
    for (auto& s : li.sh) {
      if (!takes(s, MASKS[m]) || init_layout_section(s.name, cfg)) continue;
      place(m ? data : core, s, m && cfg.data_in_vmalloc ? 2 : 0);
      s.placed = true;
    }
    if (m == 0) core = strict_core(core);
    if (m == 1 || m == 2 || m == 4) data = strict_core(data);
  }
  for (unsigned m = 0; m < MASKS.size(); ++m) {
    for (auto& s : li.sh) {
      if (!takes(s, MASKS[m]) || !init_layout_section(s.name, cfg)) continue;
      place(init, s, 1);
      s.placed = s.init = true;
    }
    if (m == 0 || m == 1 || m == 4) init = strict(init);
  }

  if (cfg.kallsyms && li.sym) {
    Shdr& symsect = li.sh[li.sym];
    symsect.flags |= ELF::SHF_ALLOC;
    place(init, symsect, 1);
    symsect.placed = symsect.init = true;
    SymtabCount c = count_core_symbols(in, li, cfg);
    data = kalign(data, sec_align(symsect.addralign)) + c.ndst * ELF_SYM_SIZE;
    data += c.strtab;
    data += c.ndst;  // typetab
    data = strict_core(data);
    Shdr& strsect = li.sh[li.str];
    strsect.flags |= ELF::SHF_ALLOC;
    place(init, strsect, 1);
    init = kalign(init, MOD_KALLSYMS_ALIGN) + MOD_KALLSYMS_SIZE + c.nsrc;
    init = strict(init);
  }

  ModuleSizes r;
  r.allocations.push_back(core);
  if (init) r.allocations.push_back(init);
  r.coresize = core;
  r.core = uint64_t(core) + (cfg.data_in_vmalloc ? data_own : 0);
  r.init = init;
  r.core_margin = margin;
  return r;
}

enum MemType { MOD_TEXT, MOD_DATA, MOD_RODATA, MOD_RO_AFTER_INIT, MOD_INIT_TEXT, MOD_INIT_DATA, MOD_INIT_RODATA };
constexpr int MOD_INVALID = -1;

// 6.12: the memory types.
ModuleSizes sizes_memory_types(const LayoutInput& in, Sections& li, const LayoutConfig& cfg) {
  std::array<uint32_t, 7> mem{};
  static constexpr std::array<int, 5> core_type{MOD_TEXT, MOD_RODATA, MOD_RO_AFTER_INIT, MOD_DATA, MOD_DATA};
  static constexpr std::array<int, 5> init_type{MOD_INIT_TEXT, MOD_INIT_RODATA, MOD_INVALID, MOD_INIT_DATA, MOD_INIT_DATA};
  for (bool is_init : {false, true})
    for (unsigned m = 0; m < MASKS.size(); ++m) {
      int type = is_init ? init_type[m] : core_type[m];
      for (auto& s : li.sh) {
        if (!takes(s, MASKS[m]) || is_init != init_layout_section(s.name, cfg)) continue;
        if (type == MOD_INVALID) continue;  // WARN_ON_ONCE: left unplaced
        place(mem[type], s, type);
        s.placed = true;
        s.init = is_init;
      }
    }

  if (cfg.kallsyms && li.sym) {
    Shdr& symsect = li.sh[li.sym];
    symsect.flags |= ELF::SHF_ALLOC;
    place(mem[MOD_INIT_DATA], symsect, MOD_INIT_DATA);
    symsect.placed = symsect.init = true;
    SymtabCount c = count_core_symbols(in, li, cfg);
    uint32_t& data = mem[MOD_DATA];
    data = kalign(data, sec_align(symsect.addralign)) + c.ndst * ELF_SYM_SIZE;
    data += c.strtab;
    data += c.ndst;  // typetab
    Shdr& strsect = li.sh[li.str];
    strsect.flags |= ELF::SHF_ALLOC;
    place(mem[MOD_INIT_DATA], strsect, MOD_INIT_DATA);
    uint32_t& idata = mem[MOD_INIT_DATA];
    idata = kalign(idata, MOD_KALLSYMS_ALIGN) + MOD_KALLSYMS_SIZE + c.nsrc;
  }

  // move_module -> module_memory_alloc: each non-empty type is page-aligned.
  ModuleSizes r;
  for (int t = 0; t < int(mem.size()); ++t) {
    if (!mem[t]) continue;
    if (t < MOD_INIT_TEXT) r.core_margin = std::min(r.core_margin, page_margin(mem[t], cfg));
    mem[t] = page_align(mem[t], cfg);
    r.allocations.push_back(mem[t]);
  }

  r.mem = mem;
  uint32_t core_data = mem[MOD_DATA] + mem[MOD_RODATA] + mem[MOD_RO_AFTER_INIT];
  r.core = uint64_t(mem[MOD_TEXT]) + core_data;
  r.coresize = cfg.data_in_vmalloc ? mem[MOD_TEXT] : r.core;
  r.init = uint64_t(mem[MOD_INIT_TEXT]) + mem[MOD_INIT_DATA] + mem[MOD_INIT_RODATA];
  return r;
}

std::optional<bool> config_value(const std::string& text, std::string_view option) {
  std::istringstream in(text);
  std::string line;
  std::string set = std::string(option) + "=";
  std::string unset = "# " + std::string(option) + " is not set";
  while (std::getline(in, line)) {
    if (line.rfind(set, 0) == 0) {
      std::string v = line.substr(set.size());
      return v == "y" || v == "m";
    }
    if (line == unset) return false;
  }
  return std::nullopt;
}

}  // namespace

LayoutConfig layout_config_from(const std::string& text, Kernel version) {
  LayoutConfig c;
  c.version = version;
  auto on = [&](std::string_view opt) { return config_value(text, opt).value_or(false); };
  c.strict_module_rwx = on("CONFIG_STRICT_MODULE_RWX");
  c.kallsyms = on("CONFIG_KALLSYMS");
  c.kallsyms_all = c.kallsyms && on("CONFIG_KALLSYMS_ALL");
  c.module_unload = on("CONFIG_MODULE_UNLOAD");
  c.livepatch = on("CONFIG_LIVEPATCH");
  c.smp = on("CONFIG_SMP");
  c.data_in_vmalloc = on("CONFIG_ARCH_WANTS_MODULES_DATA_IN_VMALLOC");
  // x86-64's page size is fixed at 4 KiB.
  c.page_size = 4096;
  return c;
}

uint32_t name_bytes(std::string_view image, uint64_t at) {
  if (at >= image.size()) return 1;
  std::size_t nul = image.find('\0', at);
  return static_cast<uint32_t>((nul == std::string_view::npos ? image.size() : nul) - at) + 1;
}

LayoutInput layout_input(const elf::ElfFile& f, const LayoutConfig& cfg, const LoadFlags& flags) {
  LayoutInput in;
  auto secs = f.sections();
  in.sections.reserve(secs.size());
  for (const auto& s : secs) in.sections.push_back({s.name, s.type, s.flags, s.size, s.addralign});
  const std::size_t n = secs.size();

  // setup_load_info: the symbol table (ElfFile accepts at most one) and its strings.
  for (unsigned i = 1; i < n && !in.sym; ++i)
    if (secs[i].type == ELF::SHT_SYMTAB) in.sym = i;
  if (in.sym) in.str = secs[in.sym].link < n ? secs[in.sym].link : 0;
  const bool any_flags = layout_rules(cfg.version).modinfo_any_flags;
  for (unsigned i = 1; i < n && !in.info; ++i)
    if (secs[i].name == ".modinfo" && (any_flags || (secs[i].flags & ELF::SHF_ALLOC))) in.info = i;
  in.vers = flags.ignore_modversions ? 0 : find_sec(in.sections, "__versions");
  in.livepatch = in.info && has_modinfo_tag(secs[in.info].contents, "livepatch");

  // The symbols as stored (LLVM's raw records: st_shndx unresolved, st_name as a number).
  if (!in.sym) return in;
  auto obj = llvm::object::ELFFile<llvm::object::ELF64LE>::create(llvm::StringRef(f.bytes().data(), f.bytes().size()));
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return in;
  }
  auto shdrs = obj->sections();
  if (!shdrs || in.sym >= shdrs->size()) {
    if (!shdrs) llvm::consumeError(shdrs.takeError());
    return in;
  }
  auto syms = obj->symbols(&(*shdrs)[in.sym]);
  if (!syms) {
    llvm::consumeError(syms.takeError());
    return in;
  }
  const uint64_t str_offset = in.str ? secs[in.str].offset : 0;
  in.symbols.reserve(syms->size());
  for (const auto& s : *syms)
    in.symbols.push_back({s.st_shndx, s.st_name != 0, name_bytes(f.bytes(), str_offset + s.st_name)});
  return in;
}

ModuleLayout module_layout(const LayoutInput& in, const LayoutConfig& cfg) {
  Sections li = prepare(in, cfg);
  ModuleLayout r;
  if (li.sh.empty()) return r;
  switch (layout_rules(cfg.version).memory) {
    case LayoutRules::Memory::core_and_init: r.sizes = sizes_core_and_init(in, li, cfg); break;
    case LayoutRules::Memory::memory_types: r.sizes = sizes_memory_types(in, li, cfg); break;
  }
  r.places.reserve(li.sh.size());
  for (const Shdr& s : li.sh) r.places.push_back(s.where);
  return r;
}

ModuleSizes module_sizes(const elf::ElfFile& f, const LayoutConfig& cfg, const LoadFlags& flags) {
  return module_layout(layout_input(f, cfg, flags), cfg).sizes;
}

}  // namespace modforge::loader::layout
