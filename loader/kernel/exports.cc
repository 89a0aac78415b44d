// The module's exports and the symbols it resolves against: main.c find_symbol,
// find_module_sections (its __ksymtab* tables), verify_exported_symbols and
// check_export_symbol_versions.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "loader/kernel/load_passes.h"

namespace modforge::loader::kernel {

namespace {

void read_exports(LoadInfo& li) {
  // __ksymtab_<sym> labels in __ksymtab / __ksymtab_gpl, __crc_<sym> in __kcrctab*,
  // __kstrtabns_<sym> in __ksymtab_strings; each table sorted by name as the linker
  // script sorts it.
  std::vector<ModExport> plain, gpl;
  std::unordered_map<std::string, uint32_t, XxHash> crcs;
  std::unordered_map<std::string, std::string, XxHash> nss;
  const std::size_t n = li.m.num_symbols();
  for (std::size_t i = 1; i < n; ++i) {
    Sym s = li.m.symbol(i);
    std::string_view name = li.m.symbol_name(s);
    if (name.substr(0, 10) == "__ksymtab_") {
      std::string_view sec = li.m.image.section_name(s.st_shndx);
      ModExport e;
      e.name = std::string(name.substr(10));
      if (sec == "__ksymtab_gpl") { e.gpl_only = true; gpl.push_back(std::move(e)); }
      else if (sec == "__ksymtab") plain.push_back(std::move(e));
    } else if (name.substr(0, 6) == "__crc_") {
      std::string_view b = li.m.target_bytes(s, 0);
      uint32_t v = 0;
      if (b.size() >= 4) std::memcpy(&v, b.data(), 4);
      crcs[std::string(name.substr(6))] = v;
    } else if (name.substr(0, 12) == "__kstrtabns_") {
      std::string_view b = li.m.target_bytes(s, 0);
      nss[std::string(name.substr(12))] = std::string(b.substr(0, b.find('\0')));
    }
  }
  auto by_name = [](const ModExport& a, const ModExport& b) { return a.name < b.name; };
  std::sort(plain.begin(), plain.end(), by_name);
  std::sort(gpl.begin(), gpl.end(), by_name);
  const bool have_crctab = li.m.find_sec("__kcrctab") || li.m.find_sec("__kcrctab_gpl");
  for (auto* v : {&plain, &gpl})
    for (ModExport& e : *v) {
      if (auto it = crcs.find(e.name); it != crcs.end() && have_crctab) { e.crc = it->second; e.has_crc = true; }
      if (auto it = nss.find(e.name); it != nss.end()) e.ns = it->second;
      li.mod.exports.push_back(std::move(e));
    }
}
}  // namespace

void find_module_sections(LoadInfo& li) {
  if (li.m.find_sec("__obsparm")) li.log(kWarn, li.mod.name + ": Ignoring obsolete parameters");
  read_exports(li);
}

int check_export_crcs(LoadInfo& li) {
  if (!li.target.modversions) return 0;
  const bool syms = li.m.find_sec("__ksymtab") && li.m.image.sections()[li.m.find_sec("__ksymtab")].sh_size >= 12;
  const bool gsyms = li.m.find_sec("__ksymtab_gpl") && li.m.image.sections()[li.m.find_sec("__ksymtab_gpl")].sh_size >= 12;
  if ((syms && !li.m.find_sec("__kcrctab")) || (gsyms && !li.m.find_sec("__kcrctab_gpl")))
    return try_to_force_load(li, "no versions for exported symbols");
  return 0;
}
namespace {

// Loads with fewer exports in the loaded modules than this scan them.
constexpr std::size_t kIndexFrom = 64;

const LoadInfo::ExportIndex* export_index(const LoadInfo& li) {
  LoadInfo::ExportIndex& x = li.export_index;
  const std::vector<LoadedModule>& mods = li.state.modules;
  if (x.built && x.modules == mods.data() && x.count == mods.size()) return &x;
  std::size_t total = 0;
  for (const LoadedModule& o : mods) total += o.exports.size();
  if (total < kIndexFrom) return nullptr;
  x.by_name.clear();
  x.by_name.reserve(total);
  for (std::size_t m = 0; m < mods.size(); ++m) {
    const std::vector<ModExport>& ex = mods[m].exports;
    for (std::size_t e = 0; e < ex.size(); ++e) {
      std::vector<LoadInfo::ExportIndex::Hit>& hits = x.by_name[ex[e].name];
      if (hits.empty() || hits.back().module != m) hits.push_back({static_cast<uint32_t>(m), -1, -1});
      int32_t& slot = ex[e].gpl_only ? hits.back().gpl : hits.back().plain;
      if (slot < 0) slot = static_cast<int32_t>(e);
    }
  }
  x.modules = mods.data();
  x.count = mods.size();
  x.built = true;
  return &x;
}

}  // namespace

std::optional<Found> find_symbol(const LoadInfo& li, std::string_view name, bool gplok) {
  if (auto it = li.target.exports.find(std::string(name)); it != li.target.exports.end()) {
    if (gplok || !it->second.gpl_only) {
      const Export& e = it->second;
      return Found{nullptr, e.has_crc, e.crc, e.gpl_only, e.ns};
    }
  }
  // The first module in list order exporting it: its plain export, else (gplok) its GPL-only one.
  if (const LoadInfo::ExportIndex* x = export_index(li)) {
    auto it = x->by_name.find(name);
    if (it == x->by_name.end()) return std::nullopt;
    for (const LoadInfo::ExportIndex::Hit& h : it->second) {
      const int32_t e = h.plain >= 0 ? h.plain : gplok ? h.gpl : -1;
      if (e < 0) continue;
      const LoadedModule& o = li.state.modules[h.module];
      const ModExport& x2 = o.exports[static_cast<std::size_t>(e)];
      return Found{&o, x2.has_crc, x2.crc, x2.gpl_only, x2.ns};
    }
    return std::nullopt;
  }
  for (const LoadedModule& o : li.state.modules) {
    for (bool g : {false, true}) {
      if (g && !gplok) continue;
      for (const ModExport& e : o.exports)
        if (e.gpl_only == g && e.name == name) return Found{&o, e.has_crc, e.crc, e.gpl_only, e.ns};
    }
  }
  return std::nullopt;
}
int verify_exported_symbols(LoadInfo& li) {
  for (const ModExport& e : li.mod.exports) {
    if (auto f = find_symbol(li, e.name, true)) {
      li.log(kErr, li.mod.name + ": exports duplicate symbol " + e.name + " (owned by " +
                       (f->owner ? f->owner->name : std::string("kernel")) + ")");
      return -ENOEXEC;
    }
  }
  return 0;
}

}  // namespace modforge::loader::kernel
