// load_module() of kernel/module/main.c (6.1 and 6.12), step by step in the kernel's order;
// each refusal carries the kernel's errno and log lines.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>

#include <llvm/BinaryFormat/ELF.h>

#include "loader/kernel/finalize.h"
#include "loader/kernel/init_return.h"
#include "loader/kernel/kernel.h"
#include "loader/kernel/module_btf.h"
#include "loader/kernel/module_sizes.h"
#include "loader/kernel/module_view.h"
#include "loader/kernel/params.h"
#include "loader/kernel/relocate.h"

namespace modforge::loader::kernel {

using namespace llvm::ELF;

namespace {

constexpr std::string_view kMissingName = "(missing .modinfo section or name field)";
constexpr std::string_view kSigMarker = "~Module signature appended~\n";
constexpr uint64_t kModuleSigSize = 12;  // struct module_signature
constexpr uint8_t kPkeyIdPkcs7 = 2;

bool gpl_compatible(std::string_view l) {
  return l == "GPL" || l == "GPL v2" || l == "GPL and additional rights" || l == "Dual BSD/GPL" ||
         l == "Dual MIT/GPL" || l == "Dual MPL/GPL";
}

// Where a resolved symbol came from: vmlinux (owner == nullptr) or a loaded module.
struct Found {
  const LoadedModule* owner = nullptr;
  bool has_crc = false;
  uint32_t crc = 0;
  bool gpl_only = false;
  std::string ns;
};

}  // namespace

class Loader {
public:
  Loader(EmulatedKernel& k, std::string_view bytes, int flags)
      : t_(k.target_), st_(k.state_), r_(t_.rules()), m_(bytes), flags_(flags) {}

  Outcome run(std::string_view params);

private:
  int fail(int err) { out_.err = -err; return err; }
  void log(int level, std::string s) { logf(out_.log, level, std::move(s)); }
  std::string nm() const { return m_.has_name ? m_.name : std::string(kMissingName); }
  bool test_taint(unsigned bit) const { return st_.tainted & (1ull << bit); }
  void add_taint(unsigned bit) { st_.tainted |= 1ull << bit; }
  void add_taint_module(unsigned bit) { mod_.taints |= 1u << bit; add_taint(bit); }
  // add_taint(..., LOCKDEP_NOW_UNRELIABLE): the first one of a boot turns lock debugging off.
  void lockdep_unreliable() {
    if (st_.lockdep_off) return;
    st_.lockdep_off = true;
    log(kWarn, "Disabling lock debugging due to kernel taint");
  }

  int sig_check();
  int elf_validity_61();
  int check_name_table(const Shdr& str);
  int setup_load_info_61();
  int elf_validity_612();
  int try_to_force_load(const std::string& reason);
  bool check_version(std::string_view sym, bool has_crc, uint32_t crc);
  int check_modinfo();
  void taints_61_modinfo();
  void augment_taints_612();
  void special_names(bool prev_proprietary);
  int allocate();
  void sig_taint();
  void retpoline_check();
  void origin_taints();
  void livepatch_taint();
  void license_and_test_taints();
  int exists_check();
  int rwx_check();
  int check_export_crcs();
  int simplify_symbols();
  std::optional<Found> find_symbol(std::string_view name, bool gplok) const;
  int verify_exported_symbols();
  void read_exports();

  const Target& t_;
  State& st_;
  const Rules& r_;
  ModuleView m_;
  int flags_;
  Outcome out_;
  LoadedModule mod_;
  bool livepatch_ = false;
  bool using_gplonly_ = false;
  std::vector<std::string> pending_uses_;
  ModuleLayout layout_;  // where layout_sections puts each section, and the sizes
  RelocInput reloc_;
  std::optional<ModuleMemory> memory_;  // the module's memory once relocated
  std::vector<uint64_t> patched_returns_;  // return sites apply_returns rewrote
  ThunkRun thunk_run_of(uint64_t addr);
  std::unordered_map<std::string, uint64_t> ext_addrs_;  // stand-in addresses of resolved symbols
  uint64_t external_address(const std::string& name, bool other_module);
  std::vector<std::pair<uint64_t, uint64_t>> zero_areas() const;  // the symbols' values and sections' places for apply_relocations
};

int Loader::sig_check() {
  const uint64_t marker = kSigMarker.size();
  std::string_view b = m_.image.bytes();
  int err = -ENODATA;
  const bool mangled = flags_ & (kIgnoreModversions | kIgnoreVermagic);
  if (!mangled && b.size() > marker && b.substr(b.size() - marker) == kSigMarker) {
    uint64_t len = b.size() - marker;
    m_.image.set_len(len);
    // mod_verify_sig(): struct module_signature at the end, then the PKCS#7 blob.
    if (len <= kModuleSigSize) {
      err = -EBADMSG;
    } else {
      std::string_view ms = b.substr(len - kModuleSigSize, kModuleSigSize);
      uint32_t sig_len = (uint32_t(uint8_t(ms[8])) << 24) | (uint32_t(uint8_t(ms[9])) << 16) |
                         (uint32_t(uint8_t(ms[10])) << 8) | uint8_t(ms[11]);
      if (sig_len >= len - kModuleSigSize) {
        err = -EBADMSG;
      } else if (uint8_t(ms[2]) != kPkeyIdPkcs7) {
        log(kErr, "module: not signed with expected PKCS#7 message");
        err = -ENOPKG;
      } else if (ms[0] || ms[1] || ms[3] || ms[4] || ms[5] || ms[6] || ms[7]) {
        log(kErr, "module: PKCS#7 signature info has unexpected non-zero params");
        err = -EBADMSG;
      } else {
        m_.image.set_len(len - sig_len - kModuleSigSize);
        // The PKCS#7 check itself needs the target's key: a well-formed signature is taken
        // as the target's own (shipped modules are signed at build time).
        m_.sig_ok = true;
        return 0;
      }
    }
  }
  if (err != -ENODATA && err != -ENOPKG && err != -ENOKEY) return fail(err);
  if (t_.sig_force) {
    log(kNotice, std::string("Loading of ") +
                     (err == -ENODATA ? "unsigned module" : err == -ENOPKG ? "module with unsupported crypto"
                                                                          : "module with unavailable key") +
                     " is rejected");
    return fail(-EKEYREJECTED);
  }
  return 0;
}

// The ELF header checks both versions share (elf_validity_ehdr and the table bounds).
static int ehdr_checks(const Image& im, Log& log) {
  if (!im.has_header()) {
    logf(log, kErr, "Invalid ELF header len " + std::to_string(im.len()));
    return -ENOEXEC;
  }
  const Ehdr& h = im.header();
  if (std::memcmp(h.e_ident, "\177ELF", 4) != 0) {
    logf(log, kErr, "Invalid ELF header magic: != \177ELF");
    return -ENOEXEC;
  }
  if (h.e_type != ET_REL) {
    logf(log, kErr, "Invalid ELF header type: " + std::to_string(h.e_type) + " != 1");
    return -ENOEXEC;
  }
  if (h.e_machine != EM_X86_64) {
    logf(log, kErr, "Invalid architecture in ELF header: " + std::to_string(h.e_machine));
    return -ENOEXEC;
  }
  if (h.e_shentsize != sizeof(Shdr)) {
    logf(log, kErr, "Invalid ELF section header size");
    return -ENOEXEC;
  }
  if (h.e_shoff >= im.len() || uint64_t(h.e_shnum) * sizeof(Shdr) > im.len() - h.e_shoff) {
    logf(log, kErr, "Invalid ELF section header overflow");
    return -ENOEXEC;
  }
  return 0;
}

static bool offset_ok(const Image& im, const Shdr& s) {
  const uint64_t end = s.sh_offset + s.sh_size;
  return !(end < s.sh_offset || end > im.len());
}

static std::string shstrndx_msg(const Ehdr& h) {
  return "Invalid ELF section name index: " + std::to_string(h.e_shstrndx) + " || e_shstrndx (" +
         std::to_string(h.e_shstrndx) + ") >= e_shnum (" + std::to_string(h.e_shnum) + ")";
}

static std::string sh_link_msg(uint32_t link, unsigned shnum) {
  const std::string l = std::to_string(static_cast<int>(link));
  return "Invalid ELF sh_link!=SHN_UNDEF(" + l + ") or (sh_link(" + l + ") >= hdr->e_shnum(" + std::to_string(shnum) + ")";
}

// Both versions: the section name table is not empty and ends in a NUL.
int Loader::check_name_table(const Shdr& str) {
  if (str.sh_size == 0) {
    log(kErr, "empty section name table");
    return fail(-ENOEXEC);
  }
  if (m_.image.range(str.sh_offset + str.sh_size - 1, 1) != std::string_view("\0", 1)) {
    log(kErr, "ELF Spec violation: section name table isn't null terminated");
    return fail(-ENOEXEC);
  }
  return 0;
}

int Loader::elf_validity_61() {
  if (int e = ehdr_checks(m_.image, out_.log)) return fail(e);
  m_.image.read_section_headers();
  const Ehdr& h = m_.image.header();
  const auto& s = m_.image.sections();
  if (h.e_shstrndx == SHN_UNDEF || h.e_shstrndx >= h.e_shnum) {
    log(kErr, shstrndx_msg(h));
    return fail(-ENOEXEC);
  }
  const Shdr& str = s[h.e_shstrndx];
  if (!offset_ok(m_.image, str)) {
    log(kErr, "Invalid ELF section hdr(type " + std::to_string(str.sh_type) + ")");
    return fail(-ENOEXEC);
  }
  if (int e = check_name_table(str)) return e;
  if (s[0].sh_type != SHT_NULL || s[0].sh_size != 0 || s[0].sh_addr != 0) {
    log(kErr, "ELF Spec violation: section 0 type(" + std::to_string(static_cast<int>(s[0].sh_type)) +
                  ")!=SH_NULL or non-zero len or addr");
    return fail(-ENOEXEC);
  }
  for (unsigned i = 1; i < s.size(); ++i) {
    const Shdr& sh = s[i];
    if (sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS) continue;
    if (sh.sh_type == SHT_SYMTAB && (sh.sh_link == SHN_UNDEF || sh.sh_link >= h.e_shnum)) {
      log(kErr, sh_link_msg(sh.sh_link, h.e_shnum));
      return fail(-ENOEXEC);
    }
    if (!offset_ok(m_.image, sh)) {
      log(kErr, "Invalid ELF section in module (section " + std::to_string(i) + " type " + std::to_string(sh.sh_type) + ")");
      return fail(-ENOEXEC);
    }
    if ((sh.sh_flags & SHF_ALLOC) && sh.sh_name >= str.sh_size) {
      log(kErr, "Invalid ELF section name in module (section " + std::to_string(i) + " type " + std::to_string(sh.sh_type) + ")");
      return fail(-ENOEXEC);
    }
  }
  return 0;
}

int Loader::setup_load_info_61() {
  const auto& s = m_.image.sections();
  m_.idx_info = m_.find_sec(".modinfo");
  if (m_.idx_info)
    if (auto n = m_.modinfo("name")) { m_.name = std::string(*n); m_.has_name = true; }
  for (unsigned i = 1; i < s.size(); ++i)
    if (s[i].sh_type == SHT_SYMTAB) { m_.idx_sym = i; m_.idx_str = s[i].sh_link; break; }
  if (!m_.idx_sym) {
    log(kWarn, nm() + ": module has no symbols (stripped?)");
    return fail(-ENOEXEC);
  }
  m_.idx_mod = m_.find_sec(".gnu.linkonce.this_module");
  if (!m_.idx_mod) {
    log(kWarn, nm() + ": No module found in object");
    return fail(-ENOEXEC);
  }
  return 0;
}

int Loader::elf_validity_612() {
  if (int e = ehdr_checks(m_.image, out_.log)) return fail(e);
  m_.image.read_section_headers();
  const Ehdr& h = m_.image.header();
  const auto& s = m_.image.sections();
  if (s.empty() || s[0].sh_type != SHT_NULL || s[0].sh_size != 0 || s[0].sh_addr != 0) {
    // e_shnum == 0: the kernel reads a section 0 that lies at e_shoff (inside the image).
    Shdr s0 = s.empty() ? m_.image.record<Shdr>(h.e_shoff).value_or(Shdr{}) : s[0];
    if (!s.empty() || s0.sh_type != SHT_NULL || s0.sh_size != 0 || s0.sh_addr != 0) {
      log(kErr, "ELF Spec violation: section 0 type(" + std::to_string(static_cast<int>(s0.sh_type)) +
                    ")!=SH_NULL or non-zero len or addr");
      return fail(-ENOEXEC);
    }
  }
  for (unsigned i = 1; i < s.size(); ++i) {
    const Shdr& sh = s[i];
    if (sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS) continue;
    if (!offset_ok(m_.image, sh)) {
      log(kErr, "Invalid ELF section in module (section " + std::to_string(i) + " type " + std::to_string(sh.sh_type) + ")");
      return fail(-ENOEXEC);
    }
  }
  if (h.e_shstrndx == SHN_UNDEF || h.e_shstrndx >= h.e_shnum) {
    log(kErr, shstrndx_msg(h));
    return fail(-ENOEXEC);
  }
  const Shdr& str = s[h.e_shstrndx];
  if (str.sh_type != SHT_STRTAB) {
    log(kErr, "Invalid ELF section name table type: " + std::to_string(str.sh_type));
    return fail(-ENOEXEC);
  }
  if (int e = check_name_table(str)) return e;
  for (unsigned i = 0; i < s.size(); ++i) {
    if (s[i].sh_type == SHT_NULL) continue;
    if (s[i].sh_name >= str.sh_size) {
      log(kErr, "Invalid ELF section name in module (section " + std::to_string(i) + " type " + std::to_string(s[i].sh_type) + ")");
      return fail(-ENOEXEC);
    }
  }
  int info = m_.find_any_unique_sec(".modinfo");
  if (info < 0) {
    log(kErr, "Only one .modinfo section must exist.");
    return fail(-ENOEXEC);
  }
  if (info > 0) {
    m_.idx_info = static_cast<unsigned>(info);
    if (auto n = m_.modinfo("name")) { m_.name = std::string(*n); m_.has_name = true; }
  }
  int mod = m_.find_any_unique_sec(".gnu.linkonce.this_module");
  if (mod <= 0) {
    log(kErr, "module " + nm() + ": Exactly one .gnu.linkonce.this_module section must exist.");
    return fail(-ENOEXEC);
  }
  const Shdr& ms = s[static_cast<unsigned>(mod)];
  if (ms.sh_type == SHT_NOBITS) {
    log(kErr, "module " + nm() + ": .gnu.linkonce.this_module section must have a size set");
    return fail(-ENOEXEC);
  }
  if (!(ms.sh_flags & SHF_ALLOC)) {
    log(kErr, "module " + nm() + ": .gnu.linkonce.this_module must occupy memory during process execution");
    return fail(-ENOEXEC);
  }
  if (ms.sh_size != t_.this_module_size) {
    log(kErr, "module " + nm() + ": .gnu.linkonce.this_module section size must match the kernel's built struct module size at run time");
    return fail(-ENOEXEC);
  }
  m_.idx_mod = static_cast<unsigned>(mod);
  unsigned nsym = 0, sym = 0;
  for (unsigned i = 1; i < s.size(); ++i)
    if (s[i].sh_type == SHT_SYMTAB) { ++nsym; sym = i; }
  if (nsym != 1) {
    log(kWarn, nm() + ": module has no symbols (stripped?)");
    return fail(-ENOEXEC);
  }
  m_.idx_sym = sym;
  const uint32_t stri = s[sym].sh_link;
  if (stri == SHN_UNDEF || stri >= h.e_shnum) {
    log(kErr, sh_link_msg(stri, h.e_shnum));
    return fail(-ENOEXEC);
  }
  if (s[stri].sh_type != SHT_STRTAB) {
    log(kErr, "Invalid ELF symbol string table type: " + std::to_string(s[stri].sh_type));
    return fail(-ENOEXEC);
  }
  m_.idx_str = stri;
  return 0;
}

int Loader::try_to_force_load(const std::string& reason) {
  if (!t_.force_load) return -ENOEXEC;
  if (!test_taint(kTaintForcedModule)) log(kWarn, mod_.name + ": " + reason + ": kernel tainted.");
  add_taint_module(kTaintForcedModule);
  lockdep_unreliable();
  return 0;
}

bool Loader::check_version(std::string_view sym, bool has_crc, uint32_t crc) {
  if (!has_crc) return true;
  if (!m_.idx_vers) return try_to_force_load(std::string(sym)) == 0;
  for (const ModVersion& v : m_.versions()) {
    if (v.name != sym) continue;
    if (v.crc == crc) return true;
    log(kWarn, m_.name + ": disagrees about version of symbol " + std::string(sym));
    return false;
  }
  log(kWarn, m_.name + ": no symbol version for " + std::string(sym));
  return false;
}

int Loader::check_modinfo() {
  std::optional<std::string_view> magic = m_.modinfo("vermagic");
  if (flags_ & kIgnoreVermagic) magic.reset();
  if (!magic) {
    if (int e = try_to_force_load("bad vermagic")) return e;
  } else {
    std::string_view a = *magic, b = t_.vermagic;
    if (m_.idx_vers) {
      a.remove_prefix(std::min(a.size(), a.find(' ')));
      b.remove_prefix(std::min(b.size(), b.find(' ')));
    }
    if (a != b) {
      log(kErr, m_.name + ": version magic '" + std::string(*magic) + "' should be '" + t_.vermagic + "'");
      return -ENOEXEC;
    }
  }
  if (r_.taints_after_unformed) {
    if (m_.modinfo("livepatch")) {
      if (!t_.livepatch) {
        log(kErr, mod_.name + ": module is marked as livepatch module, but livepatch support is disabled");
        return -ENOEXEC;
      }
      livepatch_ = true;
    }
    return 0;
  }
  // 6.1: the taints come with check_modinfo, before the module is listed.
  origin_taints();
  if (m_.modinfo("livepatch")) {
    if (!t_.livepatch) {
      log(kErr, mod_.name + ": module is marked as livepatch module, but livepatch support is disabled");
      return -ENOEXEC;
    }
    livepatch_ = true;
    livepatch_taint();
  }
  license_and_test_taints();
  return 0;
}

// The taints both versions add in the same order (6.1 in check_modinfo, 6.12 in
// module_augment_kernel_taints): where the module comes from...
void Loader::origin_taints() {
  if (!m_.modinfo("intree")) {
    if (!test_taint(kTaintOot)) log(kWarn, mod_.name + ": loading out-of-tree module taints kernel.");
    add_taint_module(kTaintOot);
  }
  retpoline_check();
  if (m_.modinfo("staging")) {
    add_taint_module(kTaintCrap);
    log(kWarn, mod_.name + ": module is from the staging directory, the quality is unknown, you have been warned.");
  }
}

void Loader::livepatch_taint() {
  add_taint_module(kTaintLivepatch);
  if (!st_.livepatch_notice_done) {
    st_.livepatch_notice_done = true;
    log(kNotice, mod_.name + ": tainting kernel with TAINT_LIVEPATCH");
  }
}

// ...and what its licence and test tag say.
void Loader::license_and_test_taints() {
  std::string lic(m_.modinfo("license").value_or("unspecified"));
  if (!gpl_compatible(lic)) {
    if (!test_taint(kTaintProprietary)) log(kWarn, mod_.name + ": module license '" + lic + "' taints kernel.");
    add_taint_module(kTaintProprietary);
    lockdep_unreliable();
  }
  if (m_.modinfo("test")) {
    if (!test_taint(kTaintTest)) log(kWarn, mod_.name + ": loading test module taints kernel.");
    add_taint_module(kTaintTest);
  }
}

// check_modinfo_retpoline(): retpoline_module_ok() prints its line on every such module.
void Loader::retpoline_check() {
  if (!t_.retpoline || m_.modinfo("retpoline")) return;
  log(kErr, "Spectre V2 : System may be vulnerable to spectre v2");
  log(kWarn, mod_.name + ": loading module not compiled with retpoline compiler.");
}

void Loader::sig_taint() {
  if (!t_.module_sig || m_.sig_ok) return;
  if (!st_.sig_notice_done) {
    st_.sig_notice_done = true;
    log(kNotice, mod_.name + ": module verification failed: signature and/or required key missing - tainting kernel");
  }
  add_taint_module(kTaintUnsigned);
}

void Loader::augment_taints_612() {
  const bool prev = test_taint(kTaintProprietary);
  origin_taints();
  if (livepatch_) {
    livepatch_taint();
  }
  license_and_test_taints();
  sig_taint();
  special_names(prev);
}

void Loader::special_names(bool prev) {
  if (mod_.name == "ndiswrapper") { add_taint(kTaintProprietary); lockdep_unreliable(); }
  if (mod_.name == "driverloader" || mod_.name == "lve") { add_taint_module(kTaintProprietary); lockdep_unreliable(); }
  if (!prev && test_taint(kTaintProprietary)) log(kWarn, mod_.name + ": module license taints kernel.");
}

// move_module(): the module area (MODULES_LEN, 1.5 GiB on x86-64) cannot hold the
// allocated sections: module_alloc fails.
int Loader::allocate() {
  constexpr uint64_t kModulesLen = 0xff000000ull - 0xa0000000ull;
  uint64_t total = 0;
  const auto& s = m_.image.sections();
  for (unsigned i = 1; i < s.size(); ++i) {
    if (!(s[i].sh_flags & SHF_ALLOC) || i == m_.idx_info || i == m_.idx_vers) continue;
    if (s[i].sh_size > kModulesLen) return -ENOMEM;
    total += s[i].sh_size;
    if (total > kModulesLen) return -ENOMEM;
  }
  return 0;
}

int Loader::exists_check() {
  for (const LoadedModule& o : st_.modules)
    if (o.name == mod_.name) return o.state == ModState::live ? -EEXIST : -EBUSY;
  return 0;
}

int Loader::rwx_check() {
  if (!t_.strict_module_rwx) return 0;
  const auto& s = m_.image.sections();
  for (unsigned i = 0; i < s.size(); ++i) {
    // info and versions lost SHF_ALLOC in rewrite_section_headers; flags are otherwise as read.
    if ((s[i].sh_flags & (SHF_WRITE | SHF_EXECINSTR)) == (SHF_WRITE | SHF_EXECINSTR)) {
      log(kErr, mod_.name + ": section " + std::string(m_.image.section_name(i)) + " (index " +
                    std::to_string(i) + ") has invalid WRITE|EXEC flags");
      return -ENOEXEC;
    }
  }
  return 0;
}

void Loader::read_exports() {
  // __ksymtab_<sym> labels in __ksymtab / __ksymtab_gpl, __crc_<sym> in __kcrctab*,
  // __kstrtabns_<sym> in __ksymtab_strings; each table sorted by name as the linker
  // script sorts it.
  std::vector<ModExport> plain, gpl;
  std::unordered_map<std::string, uint32_t, XxHash> crcs;
  std::unordered_map<std::string, std::string, XxHash> nss;
  const std::size_t n = m_.num_symbols();
  for (std::size_t i = 1; i < n; ++i) {
    Sym s = m_.symbol(i);
    std::string_view name = m_.symbol_name(s);
    if (name.substr(0, 10) == "__ksymtab_") {
      std::string_view sec = m_.image.section_name(s.st_shndx);
      ModExport e;
      e.name = std::string(name.substr(10));
      if (sec == "__ksymtab_gpl") { e.gpl_only = true; gpl.push_back(std::move(e)); }
      else if (sec == "__ksymtab") plain.push_back(std::move(e));
    } else if (name.substr(0, 6) == "__crc_") {
      std::string_view b = m_.target_bytes(s, 0);
      uint32_t v = 0;
      if (b.size() >= 4) std::memcpy(&v, b.data(), 4);
      crcs[std::string(name.substr(6))] = v;
    } else if (name.substr(0, 12) == "__kstrtabns_") {
      std::string_view b = m_.target_bytes(s, 0);
      nss[std::string(name.substr(12))] = std::string(b.substr(0, b.find('\0')));
    }
  }
  auto by_name = [](const ModExport& a, const ModExport& b) { return a.name < b.name; };
  std::sort(plain.begin(), plain.end(), by_name);
  std::sort(gpl.begin(), gpl.end(), by_name);
  const bool have_crctab = m_.find_sec("__kcrctab") || m_.find_sec("__kcrctab_gpl");
  for (auto* v : {&plain, &gpl})
    for (ModExport& e : *v) {
      if (auto it = crcs.find(e.name); it != crcs.end() && have_crctab) { e.crc = it->second; e.has_crc = true; }
      if (auto it = nss.find(e.name); it != nss.end()) e.ns = it->second;
      mod_.exports.push_back(std::move(e));
    }
}

int Loader::check_export_crcs() {
  if (!t_.modversions) return 0;
  const bool syms = m_.find_sec("__ksymtab") && m_.image.sections()[m_.find_sec("__ksymtab")].sh_size >= 12;
  const bool gsyms = m_.find_sec("__ksymtab_gpl") && m_.image.sections()[m_.find_sec("__ksymtab_gpl")].sh_size >= 12;
  if ((syms && !m_.find_sec("__kcrctab")) || (gsyms && !m_.find_sec("__kcrctab_gpl")))
    return try_to_force_load("no versions for exported symbols");
  return 0;
}

std::optional<Found> Loader::find_symbol(std::string_view name, bool gplok) const {
  if (auto it = t_.exports.find(std::string(name)); it != t_.exports.end()) {
    if (gplok || !it->second.gpl_only) {
      const Export& e = it->second;
      return Found{nullptr, e.has_crc, e.crc, e.gpl_only, e.ns};
    }
  }
  for (const LoadedModule& o : st_.modules) {
    for (bool g : {false, true}) {
      if (g && !gplok) continue;
      for (const ModExport& e : o.exports)
        if (e.gpl_only == g && e.name == name) return Found{&o, e.has_crc, e.crc, e.gpl_only, e.ns};
    }
  }
  return std::nullopt;
}

int Loader::simplify_symbols() {
  int ret = 0;
  const std::size_t n = m_.num_symbols();
  const unsigned shnum = static_cast<unsigned>(m_.image.shnum());
  const unsigned pcpu = m_.find_sec(".data..percpu");
  layout_ = layout_of(m_.image.bytes().substr(0, m_.image.len()), t_, flags_ & kIgnoreModversions);
  place_sections(m_, pcpu, layout_.places, reloc_);
  reloc_.version = t_.version;
  reloc_.mod_name = mod_.name;
  reloc_.sym_values.assign(n, 0);
  for (std::size_t i = 1; i < n; ++i) {
    const Sym s = m_.symbol(i);
    const std::string name(m_.symbol_name(s));
    uint64_t& value = reloc_.sym_values[i];
    value = s.st_value;
    switch (s.st_shndx) {
      case SHN_COMMON:
        if (name.compare(0, 9, "__gnu_lto") == 0) break;
        log(kWarn, mod_.name + ": please compile with -fno-common");
        ret = -ENOEXEC;
        break;
      case SHN_ABS:
      case 0xff20:  // SHN_LIVEPATCH
        break;
      case SHN_UNDEF: {
        int err = -ENOENT;
        bool found = false, null_sym = true;
        if (auto f = find_symbol(name, !(mod_.taints & (1u << kTaintProprietary)))) {
          null_sym = false;
          if (f->gpl_only) using_gplonly_ = true;
          bool ok = true;
          if (f->owner && (f->owner->taints & (1u << kTaintProprietary))) {
            if (using_gplonly_) {
              log(kErr, mod_.name + ": module using GPL-only symbols uses symbols " + name +
                            " from proprietary module " + f->owner->name + ".");
              ok = false;
              null_sym = true;
            } else if (!(mod_.taints & (1u << kTaintProprietary))) {
              log(kWarn, mod_.name + ": module uses symbols " + name + " from proprietary module " +
                             f->owner->name + ", inheriting taint.");
              mod_.taints |= 1u << kTaintProprietary;
            }
          }
          if (ok && !check_version(name, f->has_crc, f->crc)) { ok = false; err = -EINVAL; }
          if (ok && !f->ns.empty()) {
            bool imported = false;
            for (std::string_view ns : m_.modinfo_all("import_ns")) imported |= ns == f->ns;
            if (!imported) {
              log(t_.allow_missing_ns ? kWarn : kErr, mod_.name + ": module uses symbol (" + name +
                                                          ") from namespace " + f->ns + ", but does not import it.");
              if (!t_.allow_missing_ns) { ok = false; err = -EINVAL; }
            }
          }
          if (ok && f->owner) {
            if (f->owner->state == ModState::coming) {
              log(kWarn, mod_.name + ": gave up waiting for init of module " + f->owner->name + ".");
              ok = false;
              err = -EBUSY;
            } else if (f->owner->state == ModState::going) {
              ok = false;
              err = -ENOENT;
            } else if (std::find(pending_uses_.begin(), pending_uses_.end(), f->owner->name) == pending_uses_.end()) {
              pending_uses_.push_back(f->owner->name);
            }
          }
          found = ok;
          if (ok) value = external_address(name, f->owner != nullptr);
        }
        if (found) break;
        if (null_sym && (s.getBinding() == STB_WEAK || name == "_GLOBAL_OFFSET_TABLE_")) break;
        ret = err;
        log(kWarn, mod_.name + ": Unknown symbol " + name + " (err " + std::to_string(ret) + ")");
        break;
      }
      default:
        if (s.st_shndx >= shnum) {
          log(kErr, mod_.name + ": Symbol " + name + " has an invalid section index " +
                        std::to_string(s.st_shndx) + " (max " + std::to_string(shnum - 1) + ")");
          ret = -ENOEXEC;
        } else {
          value += s.st_shndx == pcpu ? kPercpuAddr : reloc_.sec_addrs[s.st_shndx];
        }
        break;
    }
  }
  return ret;
}

// Each resolved symbol its own stand-in address (code patching compares call and jump
// targets with __fentry__ and __x86_return_thunk).
uint64_t Loader::external_address(const std::string& name, bool other_module) {
  if (!other_module && name == "__fentry__") return RelocInput::kFentry;
  if (!other_module && name == "__x86_return_thunk") return RelocInput::kReturnThunk;
  auto [it, fresh] = ext_addrs_.try_emplace(name, 0);
  if (fresh) it->second = (other_module ? kOtherModuleAddr : kVmlinuxAddr + 0x1000) + 0x40 * ext_addrs_.size();
  return it->second;
}

// Whether running the module's function at `addr` (what struct module's init or exit
// points at) returns through a return thunk apply_returns left unpatched.
ThunkRun Loader::thunk_run_of(uint64_t addr) {
  const std::size_t i = function_at(m_, reloc_.sym_values, addr);
  if (!memory_ || !i) return ThunkRun::no;
  return runs_unpatched_return(*memory_, addr, m_.symbol(i).st_size, patched_returns_);
}

// 6.12's text and read-only memory types hold nothing after their sections (the kallsyms
// tables go to the data types), and move_module zeroed them.  6.1's core and init
// allocations end with the kallsyms tables.
std::vector<std::pair<uint64_t, uint64_t>> Loader::zero_areas() const {
  std::vector<std::pair<uint64_t, uint64_t>> z;
  if (t_.version != Kernel::v6_12 || layout_.places.empty()) return z;
  for (int type : {0, 2, 3, 4, 6})  // MOD_TEXT, MOD_RODATA, MOD_RO_AFTER_INIT, MOD_INIT_TEXT, MOD_INIT_RODATA
    if (const uint32_t size = layout_.sizes.mem[type]) {
      const uint64_t base = kModuleAddr + uint64_t(type) * kRegionStride;
      z.push_back({base, base + size});
    }
  return z;
}

int Loader::verify_exported_symbols() {
  for (const ModExport& e : mod_.exports) {
    if (auto f = find_symbol(e.name, true)) {
      log(kErr, mod_.name + ": exports duplicate symbol " + e.name + " (owned by " +
                    (f->owner ? f->owner->name : std::string("kernel")) + ")");
      return -ENOEXEC;
    }
  }
  return 0;
}

Outcome Loader::run(std::string_view params) {
  if (sig_check()) return out_;
  if (r_.split_elf_validity) {
    if (elf_validity_612()) return out_;
  } else {
    if (elf_validity_61() || setup_load_info_61()) return out_;
  }
  if (!m_.has_name) m_.name = m_.struct_name();
  out_.name = m_.name;
  mod_.name = m_.struct_name();
  m_.idx_vers = (flags_ & kIgnoreModversions) ? 0 : m_.find_sec("__versions");
  // blacklisted(): the emulated boot has no module_blacklist= parameter.

  // check_modstruct_version
  if (auto it = t_.exports.find("module_layout"); it != t_.exports.end())
    if (!check_version("module_layout", it->second.has_crc, it->second.crc)) { fail(-ENOEXEC); return out_; }

  if (r_.taints_after_unformed) {  // early_mod_check
    if (int e = check_modinfo()) { fail(e); return out_; }
    if (int e = exists_check()) { fail(e); return out_; }
    if (int e = rwx_check()) { fail(e); return out_; }
    if (int e = allocate()) {
      // execmem_alloc's vmalloc fails (__GFP_NOWARN): only execmem's own line is printed.
      log(kWarn, "execmem: unable to allocate memory");
      fail(e);
      return out_;
    }
    if (int e = exists_check()) { fail(e); return out_; }
    augment_taints_612();
  } else {  // layout_and_allocate, add_unformed_module
    if (int e = check_modinfo()) { fail(e); return out_; }
    if (int e = rwx_check()) { fail(e); return out_; }
    if (int e = allocate()) { fail(e); return out_; }
    if (int e = exists_check()) { fail(e); return out_; }
    sig_taint();
  }
  if (m_.find_sec("__obsparm")) log(kWarn, mod_.name + ": Ignoring obsolete parameters");
  read_exports();
  if (!r_.taints_after_unformed) {
    special_names(test_taint(kTaintProprietary));
  }
  if (int e = check_export_crcs()) { fail(e); return out_; }
  if (int e = simplify_symbols(); e < 0) { fail(e); return out_; }
  memory_.emplace(m_.image, reloc_.sec_addrs, reloc_.sec_flags, kFileCopyAddr, zero_areas());
  if (int e = apply_relocations(m_, reloc_, *memory_, out_.log); e < 0) { fail(e); return out_; }
  // post_relocation -> module_finalize, then ftrace_module_init
  out_.unmodelled = apply_returns(m_, reloc_, *memory_, st_, out_.log, patched_returns_);
  unwind_module_init(m_, reloc_, st_, out_.log);
  if (std::string why = ftrace_module_init(m_, reloc_, *memory_, st_, out_.log); out_.unmodelled.empty())
    out_.unmodelled = why;
  if (int e = verify_exported_symbols()) { fail(e); return out_; }

  // prepare_coming_module: the MODULE_STATE_COMING notifiers; 6.12's BTF check warns once
  // (6.1's modules carry no .BTF).
  if (t_.version == Kernel::v6_12) {
    for (unsigned i = 1; i < m_.image.shnum(); ++i) {
      if (m_.image.section_name(i) != ".BTF") continue;  // find_any_sec: the first, any flags
      const Shdr& b = m_.image.sections()[i];
      if (!b.sh_size) break;
      const BtfVerdict v = module_btf_check(m_.image.contents(b));
      if (v.ok) break;
      if (!v.log.empty()) log(kErr, "BPF: " + v.log);
      if (!st_.warned_btf)
        log(kWarn, "Kernel module BTF mismatch detected, BTF debug info may be unavailable for some modules");
      st_.warned_btf = true;
      break;
    }
  }
  // COMING: parameters, sysfs, init.
  ParseResult pr = parse_module_args(mod_.name, params, read_params(m_), out_.log, t_.version);
  if (pr.taint_user) add_taint(kTaintUser);
  if (pr.err) { fail(pr.err); return out_; }
  if (pr.has_dashes) log(kWarn, mod_.name + ": parameters '" + pr.after_dashes + "' after `--' ignored");
  // mod_sysfs_setup() refuses a name /sys/module already holds ("module is already
  // loaded"): built-in parameters' prefixes, which no file a user has lists reliably
  // (modules.builtin.modinfo names KBUILD_MODNAME, sysfs the parameter prefix), so this
  // refusal is not emulated.
  // struct module's init and exit, as the relocations of .gnu.linkonce.this_module left them
  InitPointers ptrs{0, 0, &reloc_.sym_values};
  const uint64_t mod_addr = reloc_.sec_addrs[m_.idx_mod];
  if (t_.init_offset) ptrs.init = memory_->read(mod_addr + t_.init_offset, 8);
  if (t_.exit_offset) ptrs.exit = memory_->read(mod_addr + t_.exit_offset, 8);
  InitInfo init = init_info(m_, t_.init_offset && t_.exit_offset ? &ptrs : nullptr);
  mod_.has_init = init.has_init;
  mod_.has_exit = init.has_exit;
  if (t_.version == Kernel::v6_12) {
    // do_init_module runs init (its return may go through the unpatched thunk); exit runs at rmmod
    const ThunkRun at_init = init.has_init ? thunk_run_of(ptrs.init) : ThunkRun::no;
    const ThunkRun at_exit = init.has_exit ? thunk_run_of(ptrs.exit) : ThunkRun::no;
    if ((at_init == ThunkRun::unknown || at_exit == ThunkRun::unknown) && out_.unmodelled.empty())
      out_.unmodelled = "a function with both patched and unpatched returns";
    if (at_init == ThunkRun::yes) warn_unpatched_thunk(st_, out_.log);
    mod_.exit_warns_thunk = at_exit == ThunkRun::yes;
  }
  if (init.ret < 0) { out_.init_failed = true; fail(init.ret); return out_; }
  if (init.ret > 0) {
    // followed by dump_stack()'s lines, which depend on the running machine
    log(kWarn, "do_init_module: '" + mod_.name + "'->init suspiciously returned " + std::to_string(init.ret) +
                   ", it should follow 0/-E convention");
    log(kWarn, "do_init_module: loading module anyway...");
  }
  mod_.core_size = layout_.sizes.core;
  mod_.init_size = layout_.sizes.init;
  mod_.state = ModState::live;
  for (const std::string& u : pending_uses_) {
    mod_.uses.push_back(u);
    for (LoadedModule& o : st_.modules)
      if (o.name == u) o.holders.insert(o.holders.begin(), mod_.name);
  }
  st_.modules.insert(st_.modules.begin(), std::move(mod_));
  return out_;
}

Outcome EmulatedKernel::init_module(std::string_view image, std::string_view params, int flags) {
  if (flags & ~(kIgnoreModversions | kIgnoreVermagic | 4)) return Outcome{EINVAL, {}, {}};
  Loader l(*this, image, flags);
  return l.run(params);
}

}  // namespace modforge::loader::kernel
