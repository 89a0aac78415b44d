#include "abi/reasons.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "abi/vermagic_fields.h"

namespace modforge::abi {

namespace k = loader::kernel;

namespace {

// include/linux/license.h license_is_gpl_compatible
bool gpl_compatible(std::string_view l) {
  for (const char* g : {"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"})
    if (l == g) return true;
  return false;
}

std::string hex_crc(uint64_t crc) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%08llx", static_cast<unsigned long long>(crc));
  return b;
}

struct Resolved {
  bool found = false;
  const k::Export* vmlinux = nullptr;
  const k::ModExport* mod = nullptr;
  std::string owner;
  bool has_crc() const { return vmlinux ? vmlinux->has_crc : mod->has_crc; }
  uint32_t crc() const { return vmlinux ? vmlinux->crc : mod->crc; }
  bool gpl_only() const { return vmlinux ? vmlinux->gpl_only : mod->gpl_only; }
  const std::string& ns() const { return vmlinux ? vmlinux->ns : mod->ns; }
};

}  // namespace

std::vector<Reason> find_reasons(const loader::kmod::KoFile& ko, const k::Target& t, const k::State& s,
                                 const ProviderLookup& providers) {
  std::vector<Reason> out;
  std::string name(ko.modinfo_value("name").value_or(ko.name()));
  const bool has_versions = ko.elf().section("__versions") != nullptr;

  // vermagic, field by field; with __versions the kernel skips the release.
  if (auto magic = ko.modinfo_value("vermagic")) {
    for (VermagicField& f : vermagic_differences(*magic, t.vermagic)) {
      Reason r{.kind = "vermagic", .field = f.field, .have = f.have, .want = f.want};
      if (f.field == "release" && has_versions) {
        r.blocking = false;
        r.message = "built for release " + f.have + ", this kernel is " + f.want +
                    ": irrelevant, modversions compares the symbols' CRCs instead";
      } else {
        r.message = "vermagic " + f.field + ": the module has '" + f.have + "', the kernel '" + f.want + "'";
        r.kernel_line = name + ": version magic '" + std::string(*magic) + "' should be '" + t.vermagic + "'";
      }
      out.push_back(std::move(r));
    }
  } else if (!t.force_load) {
    out.push_back({.kind = "vermagic", .field = "missing", .want = t.vermagic,
                   .message = "the module has no vermagic (.modinfo lacks it)"});
  }

  // struct module's size: 6.12 compares it with .gnu.linkonce.this_module; 6.1 does not.
  if (const auto* sec = ko.elf().section(".gnu.linkonce.this_module"); sec && sec->size != t.this_module_size) {
    const bool checked = t.rules().split_elf_validity;
    out.push_back({.kind = "this_module_size", .have = std::to_string(sec->size), .want = std::to_string(t.this_module_size),
                   .message = "struct module is " + std::to_string(sec->size) + " bytes in the module, " +
                              std::to_string(t.this_module_size) + " in this kernel" +
                              (checked ? "" : " (6.1 does not compare them; module_layout's CRC stands for it)"),
                   .kernel_line = checked ? "module " + name +
                                                ": .gnu.linkonce.this_module section size must match the kernel's built struct module size at run time"
                                          : "",
                   .blocking = checked});
  }

  std::unordered_map<std::string_view, uint64_t> versions;
  for (const auto& v : ko.versions()) versions.emplace(v.name, v.crc);
  auto check_crc = [&](const std::string& sym, const char* kind, bool has_crc, uint32_t crc) {
    if (!has_crc) return true;
    auto it = versions.find(sym);
    if (!has_versions || it == versions.end()) {
      out.push_back({.kind = kind, .symbol = sym, .want = hex_crc(crc),
                     .message = "no CRC for " + sym + " in the module's __versions (built without modversions?)",
                     .kernel_line = name + ": no symbol version for " + sym});
      return false;
    }
    if (static_cast<uint32_t>(it->second) == crc) return true;
    out.push_back({.kind = kind, .symbol = sym, .have = hex_crc(it->second), .want = hex_crc(crc),
                   .message = sym + " was built with CRC " + hex_crc(it->second) + ", this kernel exports it with " +
                              hex_crc(crc) + " (its type changed)",
                   .kernel_line = name + ": disagrees about version of symbol " + sym});
    return false;
  };
  if (auto it = t.exports.find("module_layout"); it != t.exports.end())
    check_crc("module_layout", "module_layout", it->second.has_crc, it->second.crc);

  // Each undefined symbol, resolved as find_symbol does: vmlinux, then the loaded modules.
  const std::string licence(ko.modinfo_value("license").value_or(""));
  const bool gplok = gpl_compatible(licence);
  std::vector<std::string_view> imports;
  for (const auto& e : ko.modinfo())
    if (e.key == "import_ns") imports.push_back(e.value);
  for (const auto& sym : ko.elf().symbols()) {
    if (!sym.undefined() || sym.name.empty() || sym.name == "_GLOBAL_OFFSET_TABLE_") continue;
    const std::string nm(sym.name);
    Resolved r;
    if (auto it = t.exports.find(nm); it != t.exports.end()) {
      r.found = true;
      r.vmlinux = &it->second;
    } else {
      for (const k::LoadedModule& m : s.modules) {
        for (const k::ModExport& e : m.exports)
          if (e.name == nm) { r.found = true; r.mod = &e; r.owner = m.name; break; }
        if (r.found) break;
      }
    }
    const bool weak = sym.binding == 2;  // STB_WEAK: unresolved is 0, no error
    if (!r.found) {
      if (weak) continue;
      ProviderInfo p = providers(nm);
      Reason x{.kind = "unknown_symbol", .symbol = nm, .kernel_line = name + ": Unknown symbol " + nm + " (err -2)"};
      if (!p.module.empty() && !p.refused_why.empty())
        x.message = nm + " is exported by " + p.module + ", which is refused: " + p.refused_why;
      else if (p.missing_file)
        x.message = nm + " is exported by " + p.module + ", which this kernel names but does not ship";
      else
        x.message = nm + " is exported neither by this kernel nor by any of its modules";
      out.push_back(std::move(x));
      continue;
    }
    if (r.gpl_only() && !gplok) {
      out.push_back({.kind = "unknown_symbol", .symbol = nm, .have = licence.empty() ? "no licence" : licence, .want = "GPL",
                     .message = nm + " is exported GPL-only" + (r.owner.empty() ? "" : " by " + r.owner) +
                                " and the module's licence ('" + licence + "') is not GPL-compatible",
                     .kernel_line = name + ": Unknown symbol " + nm + " (err -2)"});
      continue;
    }
    if (!check_crc(nm, "crc", r.has_crc(), r.crc())) continue;
    if (!r.ns().empty() && std::find(imports.begin(), imports.end(), r.ns()) == imports.end()) {
      out.push_back({.kind = "namespace", .symbol = nm, .want = r.ns(),
                     .message = nm + " is in namespace " + r.ns() + ", which the module does not import (MODULE_IMPORT_NS(" +
                                r.ns() + "))",
                     .kernel_line = name + ": module uses symbol (" + nm + ") from namespace " + r.ns() +
                                    ", but does not import it.",
                     .blocking = !t.allow_missing_ns});
    }
  }
  return out;
}

namespace {

// The static reason a kernel line stands for, if any.
bool line_matches(const Reason& r, const std::string& line) {
  if (!r.kernel_line.empty() && line == r.kernel_line) return true;
  if (r.kind == "vermagic" && line.find(": version magic '") != std::string::npos) return r.blocking;
  return false;
}

bool is_taint_line(const std::string& m) {
  return m.find("taints kernel") != std::string::npos || m.find("tainting kernel") != std::string::npos ||
         m.find("staging directory") != std::string::npos;
}

std::string kind_of_line(const std::string& l, const k::Outcome& o) {
  if (o.init_failed) return "init";
  for (auto [needle, kind] : std::initializer_list<std::pair<const char*, const char*>>{
           {"ELF", "elf"}, {"section", "elf"}, {"relocation", "relocation"}, {"Overflow", "relocation"},
           {"BTF", "btf"}, {"signature", "signature"}, {"Loading of", "signature"}, {"PKCS#7", "signature"},
           {"licen", "licence"}, {"livepatch", "other"}})
    if (l.find(needle) != std::string::npos) return kind;
  return "other";
}

// The signature as the kernel judged it (signing.c): nothing to say when it verified.
std::optional<Reason> signature_reason(const k::Outcome& o, const k::Target& t) {
  if (!t.module_sig) return std::nullopt;
  const k::ModuleSignature& s = o.signature;
  const std::string key = s.key_id.empty() ? "" : "key " + s.key_id + (s.hash_algo.empty() ? "" : ", " + s.hash_algo);
  const std::string by = !s.signer.empty() ? " by '" + s.signer + "'" + (key.empty() ? "" : " (" + key + ")")
                         : key.empty()     ? std::string()
                                           : " by " + key;
  Reason r{.kind = "signature"};
  if (!s.present) {
    r.have = "unsigned";
    r.message = "the module is not signed";
  } else if (s.assumed) {
    r.have = "signed" + by;
    r.message = "signed" + by + ", the key of this kernel's own modules; the kernel image holding its certificate was "
                "not found, so the signature is taken as valid without checking it";
    r.blocking = false;
    return r;
  } else if (s.err == 0) {
    return std::nullopt;
  } else if (s.err == -ENOKEY) {
    r.have = "signed" + by;
    r.message = "signed" + by + ", a key this kernel does not trust (not built in: enroll it as a MOK and give it with --key)";
  } else if (s.err == -EKEYREJECTED) {
    r.have = "signed" + by;
    r.message = "the signature" + by + " does not verify: the module was changed after it was signed";
  } else if (s.err == -EBADMSG) {
    r.message = "the signature is malformed (not a PKCS#7 message the kernel can parse)";
  } else if (s.err == -ENOPKG) {
    r.message = "the signature uses crypto this kernel does not support";
  } else {
    r.message = "the signature check fails (-" + std::string(strerrorname_np(-s.err)) + ")";
  }
  // Unsigned, unknown key, unsupported crypto: refused under enforcement, else a taint.
  const bool soft = !s.present || s.err == -ENOKEY || s.err == -ENOPKG;
  r.blocking = !soft || t.sig_force;
  if (t.sig_force && soft) r.message += "; this kernel enforces signatures";
  else if (soft) r.message += ": the kernel taints itself (E)";
  for (const k::LogLine& l : o.log)
    if (l.msg.find("Loading of ") == 0 || l.msg.find("module verification failed") != std::string::npos) r.kernel_line = l.msg;
  return r;
}

}  // namespace

void merge_outcome(std::vector<Reason>& reasons, const k::Outcome& o, const k::Target& t) {
  if (auto sig = signature_reason(o, t)) reasons.insert(reasons.begin(), std::move(*sig));
  if (o.err == 0) {
    // The kernel loads it: a static reason it did not act on is at most a note.
    for (Reason& r : reasons)
      if (r.blocking && r.kind != "signature") r.blocking = false;
    // What it warns about while loading it (6.12's BTF mismatch, retpoline, an init's odd
    // return...) is worth saying too.
    for (const k::LogLine& l : o.log) {
      if (l.level > k::kWarn || is_taint_line(l.msg)) continue;
      if (std::any_of(reasons.begin(), reasons.end(), [&](const Reason& r) { return r.kernel_line == l.msg; })) continue;
      reasons.push_back({.kind = kind_of_line(l.msg, o), .message = "the kernel warns: " + l.msg, .kernel_line = l.msg,
                         .blocking = false});
    }
  } else {
    auto first = reasons.end();
    // A signature refused without a line (EKEYREJECTED, EBADMSG): its errno says it.
    if (o.signature.present && o.signature.err && o.err == -o.signature.err)
      first = std::find_if(reasons.begin(), reasons.end(), [](const Reason& r) { return r.kind == "signature" && r.blocking; });
    for (const k::LogLine& l : o.log) {
      if (first != reasons.end()) break;
      first = std::find_if(reasons.begin(), reasons.end(), [&](const Reason& r) { return r.blocking && line_matches(r, l.msg); });
      if (first != reasons.end()) break;
    }
    if (first == reasons.end()) {
      // The emulated kernel's reason has no static counterpart (ELF, relocation, BTF, init...):
      // its line is the first the kernel printed that is not a taint notice.
      Reason r;
      std::string line;
      if (!o.init_failed)
        for (const k::LogLine& l : o.log)
          if (!is_taint_line(l.msg)) { line = l.msg; break; }
      r.kind = kind_of_line(line, o);
      r.kernel_line = line;
      r.message = o.init_failed ? "every load check passes; the module's own init returns -" + std::string(strerrorname_np(o.err))
                  : line.empty() ? "refused (-" + std::string(strerrorname_np(o.err)) + ") without a kernel line"
                                 : line;
      r.first = true;
      reasons.insert(reasons.begin(), std::move(r));
    } else {
      first->first = true;
      std::rotate(reasons.begin(), first, first + 1);
    }
  }
  // The first refusal first, then what else refuses grouped by kind in the kernel's order of
  // checks, symbols by name; taints and notes last.
  auto rank = [](const Reason& r) {
    static constexpr std::string_view order[] = {"signature", "elf", "vermagic", "this_module_size", "module_layout",
                                                 "crc", "unknown_symbol", "namespace", "relocation", "btf", "init"};
    for (std::size_t i = 0; i < std::size(order); ++i)
      if (r.kind == order[i]) return static_cast<int>(i);
    return static_cast<int>(std::size(order));
  };
  std::stable_sort(reasons.begin(), reasons.end(), [&](const Reason& a, const Reason& b) {
    if (a.first != b.first) return a.first;
    if (a.blocking != b.blocking) return a.blocking;
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return a.symbol < b.symbol;
  });
  // The taints the kernel announces, as reasons of their own (not blocking).
  for (const k::LogLine& l : o.log) {
    const std::string& m = l.msg;
    if (!is_taint_line(m)) continue;
    if (std::any_of(reasons.begin(), reasons.end(), [&](const Reason& r) { return r.kernel_line == m; })) continue;
    std::string what = m.substr(m.find(':') == std::string::npos ? 0 : m.find(':') + 2);
    reasons.push_back({.kind = "taint", .message = what, .kernel_line = m, .blocking = false});
  }
}

}  // namespace modforge::abi
