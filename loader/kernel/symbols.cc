// simplify_symbols() of kernel/module/main.c: each symbol's value (its section's place,
// or the address of what it resolves to: vmlinux or another module, through find_symbol
// and check_version); an unresolved or malformed symbol refuses the module.
#include <algorithm>
#include <cerrno>
#include <string>

#include <llvm/BinaryFormat/ELF.h>

#include "loader/kernel/load_passes.h"

namespace modforge::loader::kernel {

using namespace llvm::ELF;

namespace {

// Each resolved symbol its own stand-in address (code patching compares call and jump
// targets with __fentry__ and __x86_return_thunk).
uint64_t external_address(LoadInfo& li, const std::string& name, bool other_module) {
  if (!other_module && name == "__fentry__") return RelocInput::kFentry;
  if (!other_module && name == "__x86_return_thunk") return RelocInput::kReturnThunk;
  auto [it, fresh] = li.ext_addrs.try_emplace(name, 0);
  if (fresh) it->second = (other_module ? kOtherModuleAddr : kVmlinuxAddr + 0x1000) + 0x40 * li.ext_addrs.size();
  return it->second;
}

}  // namespace

int simplify_symbols(LoadInfo& li) {
  int ret = 0;
  const std::size_t n = li.m.num_symbols();
  const unsigned shnum = static_cast<unsigned>(li.m.image.shnum());
  const unsigned pcpu = li.m.find_sec(".data..percpu");
  li.reloc.mod_name = li.mod.name;
  li.reloc.sym_values.assign(n, 0);
  for (std::size_t i = 1; i < n; ++i) {
    const Sym s = li.m.symbol(i);
    const std::string name(li.m.symbol_name(s));
    uint64_t& value = li.reloc.sym_values[i];
    value = s.st_value;
    switch (s.st_shndx) {
      case SHN_COMMON:
        if (name.compare(0, 9, "__gnu_lto") == 0) break;
        li.log(kWarn, li.mod.name + ": please compile with -fno-common");
        ret = -ENOEXEC;
        break;
      case SHN_ABS:
      case 0xff20:  // SHN_LIVEPATCH
        break;
      case SHN_UNDEF: {
        int err = -ENOENT;
        bool found = false, null_sym = true;
        if (auto f = find_symbol(li, name, !(li.mod.taints & (1u << kTaintProprietary)))) {
          null_sym = false;
          if (f->gpl_only) li.using_gplonly = true;
          bool ok = true;
          if (f->owner && (f->owner->taints & (1u << kTaintProprietary))) {
            if (li.using_gplonly) {
              li.log(kErr, li.mod.name + ": module using GPL-only symbols uses symbols " + name +
                               " from proprietary module " + f->owner->name + ".");
              ok = false;
              null_sym = true;
            } else if (!(li.mod.taints & (1u << kTaintProprietary))) {
              li.log(kWarn, li.mod.name + ": module uses symbols " + name + " from proprietary module " +
                                f->owner->name + ", inheriting taint.");
              li.mod.taints |= 1u << kTaintProprietary;
            }
          }
          if (ok && !check_version(li, name, f->has_crc, f->crc)) { ok = false; err = -EINVAL; }
          if (ok && !f->ns.empty()) {
            bool imported = false;
            for (std::string_view ns : li.m.modinfo_all("import_ns")) imported |= ns == f->ns;
            if (!imported) {
              li.log(li.target.allow_missing_ns ? kWarn : kErr, li.mod.name + ": module uses symbol (" + name +
                                                             ") from namespace " + f->ns + ", but does not import it.");
              if (!li.target.allow_missing_ns) { ok = false; err = -EINVAL; }
            }
          }
          if (ok && f->owner) {
            if (f->owner->state == ModState::coming) {
              li.log(kWarn, li.mod.name + ": gave up waiting for init of module " + f->owner->name + ".");
              ok = false;
              err = -EBUSY;
            } else if (f->owner->state == ModState::going) {
              ok = false;
              err = -ENOENT;
            } else if (std::find(li.pending_uses.begin(), li.pending_uses.end(), f->owner->name) == li.pending_uses.end()) {
              li.pending_uses.push_back(f->owner->name);
            }
          }
          found = ok;
          if (ok) value = external_address(li, name, f->owner != nullptr);
        }
        if (found) break;
        if (null_sym && (s.getBinding() == STB_WEAK || name == "_GLOBAL_OFFSET_TABLE_")) break;
        ret = err;
        li.log(kWarn, li.mod.name + ": Unknown symbol " + name + " (err " + std::to_string(ret) + ")");
        break;
      }
      default:
        if (s.st_shndx >= shnum) {
          li.log(kErr, li.mod.name + ": Symbol " + name + " has an invalid section index " +
                           std::to_string(s.st_shndx) + " (max " + std::to_string(shnum - 1) + ")");
          ret = -ENOEXEC;
        } else {
          value += s.st_shndx == pcpu ? kPercpuAddr : li.reloc.sec_addrs[s.st_shndx];
        }
        break;
    }
  }
  return ret;
}

}  // namespace modforge::loader::kernel
