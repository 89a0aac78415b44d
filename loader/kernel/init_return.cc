#include "loader/kernel/init_return.h"

#include <cstring>
#include <optional>

#include <llvm/BinaryFormat/ELF.h>

namespace modforge::loader::kernel {

using namespace llvm::ELF;

namespace {

bool reloc_to(const ModuleView& m, unsigned sec, uint64_t off, std::string_view sym) {
  auto r = m.reloc_at(sec, off);
  return r && r->sym < m.num_symbols() && m.symbol_name(m.symbol(r->sym)) == sym;
}

// Straight-line code only: the function is walked instruction by instruction through the
// few forms a "print something, return a constant" init compiles to; any other byte
// (a branch above all) means the value cannot be known without running it.
int code_return(const ModuleView& m, const Sym& s, bool& known) {
  known = true;
  const unsigned sec = s.st_shndx;
  std::string_view code = m.target_bytes(s, 0);
  const std::size_t end = static_cast<std::size_t>(std::min<uint64_t>(s.st_size ? s.st_size : code.size(), code.size()));
  std::optional<int32_t> eax;  // known constant in %eax
  std::size_t p = 0;
  auto b = [&](std::size_t i) { return i < end ? static_cast<uint8_t>(code[i]) : 0x100u; };
  auto imm = [&](std::size_t i) { int32_t v; std::memcpy(&v, code.data() + i, 4); return v; };
  while (p < end) {
    const unsigned op = b(p);
    if (code.substr(p, 4) == "\xf3\x0f\x1e\xfa") { p += 4; continue; }             // endbr64
    if (code.substr(p, 5) == std::string_view("\x0f\x1f\x44\x00\x00", 5)) { p += 5; continue; }  // nop5
    if (op == 0x90) { ++p; continue; }                                                 // nop
    if (op == 0xe8 && p + 5 <= end) {                                                  // call rel32
      eax = reloc_to(m, sec, s.st_value + p + 1, "__fentry__") ? eax : std::nullopt;
      p += 5;
      continue;
    }
    if (op == 0xb8 && p + 5 <= end) { eax = imm(p + 1); p += 5; continue; }          // mov $imm,%eax
    if ((op == 0xbf || op == 0xbe || op == 0xba || op == 0xb9) && p + 5 <= end) { p += 5; continue; }  // mov $imm,%e[dsd c]i
    if (op == 0x31 && b(p + 1) == 0xc0) { eax = 0; p += 2; continue; }               // xor %eax,%eax
    if (op == 0x31 && (b(p + 1) == 0xff || b(p + 1) == 0xf6 || b(p + 1) == 0xd2 || b(p + 1) == 0xc9)) { p += 2; continue; }
    if (op == 0x48 && b(p + 1) == 0xc7 && (b(p + 2) == 0xc7 || b(p + 2) == 0xc6 || b(p + 2) == 0xc2) && p + 7 <= end) {
      p += 7;  // mov $imm32,%rdi/%rsi/%rdx
      continue;
    }
    if (op == 0x48 && b(p + 1) == 0x8d && (b(p + 2) == 0x3d || b(p + 2) == 0x35 || b(p + 2) == 0x15) && p + 7 <= end) {
      p += 7;  // lea rel32(%rip),%rdi/%rsi/%rdx
      continue;
    }
    if (op == 0xc3) return eax.value_or(0);                                            // ret
    if (op == 0xe9 && p + 5 <= end && reloc_to(m, sec, s.st_value + p + 1, "__x86_return_thunk"))
      return eax.value_or(0);
    known = false;
    return 0;
  }
  known = false;
  return 0;
}

}  // namespace

std::size_t function_at(const ModuleView& m, const std::vector<uint64_t>& sym_values, uint64_t addr) {
  if (!addr) return 0;
  for (std::size_t i = 1; i < m.num_symbols() && i < sym_values.size(); ++i) {
    const Sym s = m.symbol(i);
    if (s.st_shndx != SHN_UNDEF && s.getType() == STT_FUNC && sym_values[i] == addr) return i;
  }
  return 0;
}

InitInfo init_info(const ModuleView& m, const InitPointers* ptrs) {
  InitInfo info;
  if (ptrs) {
    info.has_init = ptrs->init != 0;
    info.has_exit = ptrs->exit != 0;
    if (std::size_t i = function_at(m, *ptrs->sym_values, ptrs->init))
      info.ret = code_return(m, m.symbol(i), info.evaluated);
    else
      info.evaluated = !info.has_init;  // init points at no function symbol: nothing to read
    return info;
  }
  // .gnu.linkonce.this_module's relocations set .init and .exit (modpost's .mod.c).
  const auto& s = m.image.sections();
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i].sh_type != SHT_RELA || s[i].sh_info != m.idx_mod) continue;
    const uint64_t n = s[i].sh_size / sizeof(Rela);
    for (uint64_t k = 0; k < n; ++k) {
      auto r = m.image.record<Rela>(s[i].sh_offset + k * sizeof(Rela));
      if (!r) break;
      const uint32_t si = r->getSymbol(false);
      if (si >= m.num_symbols()) continue;
      std::string_view nm = m.symbol_name(m.symbol(si));
      if (nm == "init_module") info.has_init = true;
      if (nm == "cleanup_module") info.has_exit = true;
    }
  }
  if (!info.has_init) return info;
  const std::size_t n = m.num_symbols();
  for (std::size_t i = 1; i < n; ++i) {
    Sym sym = m.symbol(i);
    if (sym.st_shndx != SHN_UNDEF && sym.getType() == STT_FUNC && m.symbol_name(sym) == "init_module") {
      info.ret = code_return(m, sym, info.evaluated);
      break;
    }
  }
  return info;
}

}  // namespace modforge::loader::kernel
