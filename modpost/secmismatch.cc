#include "modpost/secmismatch.h"

#include <llvm/BinaryFormat/ELF.h>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "modpost/object.h"
#include "modpost/secmismatch_rules.h"

namespace modforge::modpost {

namespace ELF = llvm::ELF;

uint32_t export_symbol_section(const elf::ElfFile& elf) {
  uint32_t found = 0;
  for (const elf::Section& s : elf.sections())
    if (s.name == ".export_symbol") found = s.index;
  return found;
}

namespace {

std::string hex(uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  char buf[16];
  int n = 0;
  do {
    buf[n++] = digits[v & 15];
    v >>= 4;
  } while (v);
  std::string s;
  while (n) s += buf[--n];
  return s;
}

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s += p;
  return s;
}

// The string table .symtab names, to tell an empty name at st_name 0 from one elsewhere.
const char* symbol_strtab(const elf::ElfFile& elf) {
  for (const elf::Section& s : elf.sections())
    if (s.type == ELF::SHT_SYMTAB && s.link < elf.sections().size()) return elf.sections()[s.link].contents.data();
  return nullptr;
}

class Walk {
public:
  Walk(const elf::ElfFile& elf, std::string_view modname, Kernel kernel, const SecRefOptions& opts, Report& report,
       const ExportRelocHook& on_export, const SymbolSearch* search, std::span<const std::string_view> names)
      : elf_(elf),
        modname_(modname),
        rules_(secmismatch_rules(kernel)),
        opts_(opts),
        report_(report),
        on_export_(on_export),
        search_(search),
        strtab_(symbol_strtab(elf)),
        export_secndx_(rules_.export_section_hook && opts.module_enabled ? export_symbol_section(elf) : 0),
        names_(names) {
    if (names_.size() != elf.symbols().size()) {
      own_names_.reserve(elf.symbols().size());
      for (const elf::Symbol& s : elf.symbols()) own_names_.push_back(remove_dot(s.name));
      names_ = own_names_;
    }
  }

  void run() {
    for (const elf::Section& sec : elf_.sections()) {
      check_section(sec);
      if (sec.type == ELF::SHT_RELA || sec.type == ELF::SHT_REL) walk_relocations(sec);
    }
  }

private:
  // Sections of type PROGBITS without SHF_ALLOC: usually a .S file's ".section" without "a".
  void check_section(const elf::Section& sec) {
    if (sec.type != ELF::SHT_PROGBITS || (sec.flags & ELF::SHF_ALLOC) || match_any(sec.name, rules_.section_white_list))
      return;
    report_.warn(cat({modname_, " (", sec.name,
                      "): unexpected non-allocatable section.\n"
                      "Did you forget to use \"ax\"/\"aw\" in a .S file?\n"
                      "Note that for example <linux/init.h> contains\n"
                      "section definitions for use in .S files.\n\n"}));
  }

  void walk_relocations(const elf::Section& relsec) {
    const uint32_t fsecndx = relsec.info;
    const std::string_view fromsec = section_name(elf_, fsecndx);
    if (match_any(fromsec, rules_.section_white_list)) return;
    elf_.relocations(relsec, relocs_);
    if (relsec.type == ELF::SHT_REL && rules_.rel_is_fatal && !relocs_.empty())
      report_.fatal("Please add code to calculate addend for this architecture\n");
    const bool to_hook = export_secndx_ == fsecndx && rules_.export_section_hook && opts_.module_enabled;

    // Checks whose fromsec matches this section, and the verdict per target section.
    applicable_.clear();
    for (const MismatchCheck& c : rules_.checks)
      if (match_any(fromsec, c.fromsec)) applicable_.push_back(&c);
    if (applicable_.empty() && !to_hook) return;
    verdict_.assign(elf_.sections().size(), kUnknown);

    for (const elf::Relocation& r : relocs_) {
      if (r.symbol >= elf_.symbols().size())
        throw Error(cat({elf_.path(), ": relocation section ", relsec.name, " refers to symbol ",
                         std::to_string(r.symbol), ", past the symbol table"}),
                    1);
      const elf::Symbol& sym = elf_.symbols()[r.symbol];
      if (rules_.skip_special_targets && has_special_section(elf_, sym)) continue;
      const uint32_t tsecndx = symbol_section(elf_, sym);
      const std::string_view tosec = section_name(elf_, tsecndx);
      if (to_hook) {
        if (on_export_) on_export_(r.offset, tosec, sym);
        continue;
      }
      const MismatchCheck* check = check_for(tsecndx, tosec);
      if (!check) continue;
      if (rules_.generation == Generation::linear_scan)
        report_61(*check, r, sym, fromsec, tosec);
      else
        report_612(*check, r, sym, fsecndx, fromsec, tosec);
    }
  }

  // section_mismatch(): the first applicable check that fires for this target section.
  const MismatchCheck* check_for(uint32_t tsecndx, std::string_view tosec) {
    if (tosec.empty()) return nullptr;  // undefined and absolute targets
    int16_t& v = verdict_[tsecndx];      // tosec is non-empty, so tsecndx is a real section
    if (v == kUnknown) {
      v = kNone;
      for (size_t i = 0; i < applicable_.size(); ++i) {
        const MismatchCheck& c = *applicable_[i];
        if ((!c.bad_tosec.empty() && match_any(tosec, c.bad_tosec)) ||
            (!c.good_tosec.empty() && !match_any(tosec, c.good_tosec))) {
          v = static_cast<int16_t>(i);
          break;
        }
      }
    }
    return v == kNone ? nullptr : applicable_[v];
  }

  bool whitelisted(std::string_view fromsec, std::string_view fromsym, std::string_view tosec,
                   std::string_view tosym) const {
    for (const WhitelistEntry& w : rules_.whitelist) {
      if (w.unless_extra_warn && opts_.extra_warn) continue;
      if ((w.fromsec.empty() || match_any(fromsec, w.fromsec)) && (w.tosec.empty() || match_any(tosec, w.tosec)) &&
          (w.fromsym.empty() || match_any(fromsym, w.fromsym)) && (w.tosym.empty() || match_any(tosym, w.tosym)))
        return true;
    }
    return false;
  }

  std::string_view name(const elf::Symbol& s) const { return names_[s.index]; }

  // ---- 6.1: linear symbol scans and a text per kind ----

  // find_elf_symbol2(): the last named symbol at or below addr in a section of that name.
  const elf::Symbol* from_symbol_61(uint64_t addr, std::string_view fromsec) const {
    const elf::Symbol* near = nullptr;
    uint64_t distance = ~uint64_t{0};
    for (const elf::Symbol& s : elf_.symbols()) {
      if (has_special_section(elf_, s)) continue;
      if (section_name(elf_, symbol_section(elf_, s)) != fromsec) continue;
      if (!is_named_symbol_61(s.name)) continue;
      if (s.value <= addr && addr - s.value <= distance) {
        distance = addr - s.value;
        near = &s;
      }
    }
    return near;
  }

  // find_elf_symbol(): the relocation's own symbol when it has a name (st_name != 0),
  // else a named symbol of its section within 20 bytes of the addend.  The real code
  // does this arithmetic in 32-bit signed integers; so does this.
  const elf::Symbol* to_symbol_61(int32_t addr, const elf::Symbol& relsym) const {
    const bool has_st_name = strtab_ ? relsym.name.data() != strtab_ : !relsym.name.empty();
    if (has_st_name) return &relsym;
    const uint32_t sec = symbol_section(elf_, relsym);
    const uint64_t wide = static_cast<uint64_t>(static_cast<int64_t>(addr));
    const elf::Symbol* near = nullptr;
    int32_t distance = 20;
    for (const elf::Symbol& s : elf_.symbols()) {
      if (symbol_section(elf_, s) != sec || s.type == ELF::STT_SECTION || !is_named_symbol_61(s.name)) continue;
      if (s.value == wide) return &s;
      auto d = static_cast<int32_t>(static_cast<uint32_t>(s.value - wide));
      if (d < 0) d = static_cast<int32_t>(static_cast<uint32_t>(wide - s.value));
      if (d < distance) {
        distance = d;
        near = &s;
      }
    }
    return distance < 20 ? near : nullptr;
  }

  bool is_executable_61(uint32_t secndx) {
    if (secndx >= elf_.sections().size()) report_.fatal("section_index is outside elf->num_sections!\n");
    return (elf_.sections()[secndx].flags & ELF::SHF_EXECINSTR) != 0;
  }

  void report_61(const MismatchCheck& check, const elf::Relocation& r, const elf::Symbol& sym,
                 std::string_view fromsec, std::string_view tosec) {
    const elf::Symbol* from = from_symbol_61(r.offset, fromsec);
    const elf::Symbol* to = to_symbol_61(static_cast<int32_t>(r.addend), sym);
    const std::string_view fromsym = from ? name(*from) : "(unknown)";
    const std::string_view tosym = to ? name(*to) : "(unknown)";

    if (check.kind == MismatchKind::extable_to_non_text) {
      extable_61(check, r, sym, fromsec, tosec, from, fromsym, to, tosym);
      return;
    }
    if (whitelisted(fromsec, fromsym, tosec, tosym)) return;
    ++report_.section_mismatches;
    if (check.kind == MismatchKind::export_to_init_exit)
      report_.warn(cat({modname_, ": EXPORT_SYMBOL used for init/exit symbol: ", tosym, " (section: ", tosec, ")\n"}));
    else
      report_.warn(cat({modname_, ": section mismatch in reference: ", fromsym, " (section: ", fromsec, ") -> ", tosym,
                        " (section: ", tosec, ")\n"}));
  }

  // "variable", "function" + "()", or "(unknown reference)" when no symbol was found
  static std::pair<std::string_view, std::string_view> pretty(const elf::Symbol* s) {
    if (!s) return {"(unknown reference)", ""};
    if (s->type == ELF::STT_FUNC) return {"function", "()"};
    return {"variable", ""};
  }

  void extable_61(const MismatchCheck& check, const elf::Relocation& r, const elf::Symbol& sym,
                  std::string_view fromsec, std::string_view tosec, const elf::Symbol* from, std::string_view fromsym,
                  const elf::Symbol* to, std::string_view tosym) {
    ++report_.section_mismatches;
    const std::string at = cat({fromsec, "+0x", hex(r.offset)});
    const auto [from_kind, from_paren] = pretty(from);
    const auto [to_kind, to_paren] = pretty(to);
    report_.warn(cat({modname_, "(", at, "): Section mismatch in reference from the ", from_kind, " ", fromsym,
                      from_paren, " to the ", to_kind, " ", tosec, ":", tosym, to_paren, "\n"}));
    const uint32_t tsecndx = symbol_section(elf_, sym);
    const bool black = match_any(tosec, check.bad_tosec);
    if (!black && is_executable_61(tsecndx))
      report_.raw(unauthorized_text(at, tosec, "to \n"));
    if (black)
      report_.fatal(blacklisted_text(at, tosec));
    else if (!is_executable_61(tsecndx))
      report_.error(cat({at, " references non-executable section '", tosec, "'\n"}));
  }

  // 6.1 prints "to \n" (its message is split after a space), 6.12 "to\n"
  static std::string unauthorized_text(std::string_view at, std::string_view tosec, std::string_view to_nl) {
    return cat({"The relocation at ", at, " references\nsection \"", tosec,
                "\" which is not in the list of\n"
                "authorized sections.  If you're adding a new section\n"
                "and/or if this reference is valid, add \"",
                tosec,
                "\" to the\n"
                "list of authorized sections to jump to on fault.\n"
                "This can be achieved by adding \"",
                tosec, "\" ", to_nl, "OTHER_TEXT_SECTIONS in scripts/mod/modpost.c.\n"});
  }

  std::string blacklisted_text(std::string_view at, std::string_view tosec) const {
    return cat({"The relocation at ", at, " references\nsection \"", tosec,
                "\" which is black-listed.\n"
                "Something is seriously wrong and should be fixed.\n"
                "You might get more information about where this is\n"
                "coming from by using scripts/check_extable.sh ",
                modname_, "\n"});
  }

  // ---- 6.12: the nearest-symbol table and one terse text ----

  const SymbolSearch& table() {
    if (!search_) search_ = &own_search_.emplace(elf_);
    return *search_;
  }

  void report_612(const MismatchCheck& check, const elf::Relocation& r, const elf::Symbol& sym, uint32_t fsecndx,
                  std::string_view fromsec, std::string_view tosec) {
    const uint64_t faddr = r.offset;
    const uint64_t taddr = sym.value + static_cast<uint64_t>(r.addend);
    const elf::Symbol* from = table().containing(faddr, fsecndx);
    const std::string_view fromsym = from ? name(*from) : "";
    // find_tosym(): the symbol itself when named, else a named one within 20 bytes
    const elf::Symbol* tsym = &sym;
    if (!is_named_symbol_612(sym.name))
      if (const elf::Symbol* n = table().nearest(taddr, symbol_section(elf_, sym), true, 20)) tsym = n;
    const std::string_view tosym = name(*tsym);

    if (whitelisted(fromsec, fromsym, tosec, tosym)) return;
    ++report_.section_mismatches;

    const auto offset = static_cast<uint32_t>(faddr - (fromsym.empty() ? 0 : from->value));
    const std::string target = tosym.empty() ? "0x" + hex(static_cast<uint32_t>(taddr)) : std::string(tosym);
    report_.warn(cat({modname_, ": section mismatch in reference: ", fromsym, fromsym.empty() ? "" : "+", "0x",
                      hex(offset), " (section: ", fromsec, ") -> ", target, " (section: ", tosec, ")\n"}));

    if (check.kind != MismatchKind::extable_to_non_text) return;
    const std::string at = cat({fromsec, "+0x", hex(faddr)});
    const uint32_t tsecndx = symbol_section(elf_, *tsym);
    if (match_any(tosec, check.bad_tosec))
      report_.fatal(blacklisted_text(at, tosec));
    else if (tsecndx < elf_.sections().size() && (elf_.sections()[tsecndx].flags & ELF::SHF_EXECINSTR))
      report_.warn(unauthorized_text(at, tosec, "to\n"));
    else
      report_.error(cat({at, " references non-executable section '", tosec, "'\n"}));
  }

  static constexpr int16_t kUnknown = -2, kNone = -1;

  const elf::ElfFile& elf_;
  std::string_view modname_;
  const SecMismatchRules& rules_;
  const SecRefOptions& opts_;
  Report& report_;
  const ExportRelocHook& on_export_;
  const SymbolSearch* search_;
  std::optional<SymbolSearch> own_search_;
  const char* strtab_;
  uint32_t export_secndx_;
  std::span<const std::string_view> names_;  // after remove_dot(), by symbol index
  std::vector<std::string_view> own_names_;
  // reused across relocation sections
  std::vector<elf::Relocation> relocs_;
  std::vector<const MismatchCheck*> applicable_;
  std::vector<int16_t> verdict_;
};

}  // namespace

void check_sec_ref(const elf::ElfFile& elf, std::string_view modname, Kernel kernel, const SecRefOptions& opts,
                   Report& report, const ExportRelocHook& on_export, const SymbolSearch* search,
                   std::span<const std::string_view> names) {
  Walk(elf, modname, kernel, opts, report, on_export, search, names).run();
}

}  // namespace modforge::modpost
