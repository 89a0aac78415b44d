#include "loader/kernel/finalize.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <vector>

#include <llvm/BinaryFormat/ELF.h>

namespace modforge::loader::kernel {

namespace {

using namespace llvm::ELF;

std::string hex(uint64_t v, const char* fmt = "0x%llx") {
  char b[32];
  std::snprintf(b, sizeof b, fmt, static_cast<unsigned long long>(v));
  return b;
}

// WARN()/WARN_ON(): the block's first lines, and TAINT_WARN.
void warn(State& st, Log& log, const std::string& message, std::string_view where, const char* func) {
  logf(log, kWarn, "------------[ cut here ]------------");
  if (!message.empty()) logf(log, kWarn, message);
  logf(log, kWarn, "WARNING: CPU: 0 PID: <pid> at " + std::string(where) + " " + func + "+<off>");
  st.tainted |= uint64_t(1) << kTaintWarn;
}

// The bytes at addr as "%*ph" (sep ' ') or ftrace's print_ip_ins (sep ':').
std::string bytes_at(ModuleMemory& mem, uint64_t addr, unsigned n, char sep) {
  std::string o;
  for (unsigned i = 0; i < n; ++i) {
    if (i) o += sep;
    o += hex(mem.read(addr + i, 1), "%02llx");
  }
  return o;
}

bool is_legacy_prefix(uint8_t b) {
  switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: case 0x66: case 0x67:
    case 0xf0: case 0xf2: case 0xf3:
      return true;
    default:
      return false;
  }
}

// What apply_returns reads of the kernel decoder's result (arch/x86/lib/insn.c, 64-bit):
// the first opcode byte after the legacy prefixes (at most four kinds; a repeat does not
// count) and one REX, and for `jmp rel32` (0xe9, operand size forced to 64 bits, so always
// a 4-byte immediate) its length and displacement.  MAX_INSN_SIZE is 15.
struct Insn {
  enum { ok, bad, unknown } status = ok;
  uint8_t op = 0;
  unsigned len = 0;
  int32_t imm = 0;
};

Insn decode(ModuleMemory& mem, uint64_t addr) {
  constexpr unsigned kMax = 15;
  Insn r;
  auto at = [&](unsigned i, uint8_t& b) {
    if (!mem.known(addr + i, 1)) return false;
    b = uint8_t(mem.read(addr + i, 1));
    return true;
  };
  std::vector<uint8_t> kinds;
  unsigned n = 0;
  uint8_t b = 0;
  for (;;) {
    if (n >= kMax) { r.status = Insn::bad; return r; }
    if (!at(n, b)) { r.status = Insn::unknown; return r; }
    if (!is_legacy_prefix(b)) break;
    if (std::find(kinds.begin(), kinds.end(), b) == kinds.end()) {
      if (kinds.size() == 4) break;  // a fifth kind: decoded as the opcode
      kinds.push_back(b);
    }
    ++n;
  }
  if (b >= 0x40 && b <= 0x4f) {
    if (++n >= kMax) { r.status = Insn::bad; return r; }
    if (!at(n, b)) { r.status = Insn::unknown; return r; }
  }
  // VEX/EVEX need the kernel's opcode tables to say whether they decode; a long run of
  // prefixes before another opcode may overrun 15 bytes in its operands.
  if (b == 0xc4 || b == 0xc5 || b == 0x62 || (n > 4 && b != 0xe9)) { r.status = Insn::unknown; return r; }
  r.op = b;
  if (b == 0xe9) {
    if (n + 5 > kMax) { r.status = Insn::bad; return r; }
    if (!mem.known(addr + n + 1, 4)) { r.status = Insn::unknown; return r; }
    r.len = n + 5;
    r.imm = static_cast<int32_t>(mem.read(addr + n + 1, 4));
  }
  return r;
}

// The last section with that name (module_finalize keeps overwriting its pointer).
unsigned last_named(const ModuleView& m, std::string_view name) {
  unsigned found = 0;
  for (unsigned i = 0; i < m.image.shnum(); ++i)
    if (m.image.section_name(i) == name) found = i;
  return found;
}

}  // namespace

std::string apply_returns(const ModuleView& m, const RelocInput& in, const Rules& r, ModuleMemory& mem, State& st,
                          Log& log, std::vector<uint64_t>& patched) {
  const unsigned sec = last_named(m, ".return_sites");
  if (!sec) return "";
  const uint64_t start = in.sec_addrs[sec], size = m.image.sections()[sec].sh_size;
  for (uint64_t off = 0; off < size; off += 4) {
    const uint64_t s = start + off;
    if (!mem.known(s, 4)) return ".return_sites entry outside the module's memory";
    const uint64_t addr = s + uint64_t(int64_t(int32_t(mem.read(s, 4))));
    const Insn insn = decode(mem, addr);
    if (insn.status == Insn::unknown) return "return site at an address whose bytes the emulator does not know";
    if (insn.status == Insn::bad) {
      if (!st.warned_returns_decode) {
        st.warned_returns_decode = true;
        warn(st, log, "", r.returns_decode_warn_at, "apply_returns");
      }
      continue;
    }
    const uint64_t dest = insn.op == 0xe9 ? addr + insn.len + uint64_t(int64_t(insn.imm)) : 0;
    // __static_call_fixup: a trampoline has ud1 %esp,%ecx after its 5 bytes.
    if ((addr >> 12) == ((addr + 7) >> 12)) {
      if (!mem.known(addr + 5, 3)) return "return site whose following bytes the emulator does not know";
      if (mem.read(addr + 5, 3) == 0xccb90f) {
        // __static_call_transform(RET) of a trampoline that returns; no message either way
        if (insn.op == 0xc3 || dest == RelocInput::kReturnThunk) mem.write_bytes(addr, std::string("\xc3\xcc\xcc\xcc\xcc", 5));
        continue;
      }
    }
    if (dest != RelocInput::kReturnThunk) {
      if (!st.warned_returns_thunk) {
        if (!mem.known(addr, 5) || (dest && !mem.known(dest, 1)))
          return "missing return thunk at an address the emulator cannot name";
        st.warned_returns_thunk = true;
        warn(st, log, "missing return thunk: " + hex(addr) + "-" + hex(dest) + ": " + bytes_at(mem, addr, 5, ' '),
             r.returns_thunk_warn_at, "apply_returns");
      }
      continue;
    }
    // patch_return: no return thunk wanted, so "ret" and int3 up to the instruction's end
    std::string repl(insn.len, char(0xcc));
    repl[0] = char(0xc3);
    mem.write_bytes(addr, repl);
    patched.push_back(addr);
  }
  return "";
}

ThunkRun runs_unpatched_return(ModuleMemory& mem, std::span<const Function> functions, uint64_t entry,
                               const std::vector<uint64_t>& patched) {
  auto start_of = [&](uint64_t a) {
    auto f = std::lower_bound(functions.begin(), functions.end(), a,
                              [](const Function& f, uint64_t x) { return f.addr < x; });
    return f != functions.end() && f->addr == a ? f : functions.end();
  };
  std::set<uint64_t> seen{entry};
  std::vector<uint64_t> todo{entry};
  ThunkRun own = ThunkRun::no;  // the entry function's own returns
  bool reached_unpatched = false;  // a function it calls has an unpatched return
  while (!todo.empty()) {
    const uint64_t addr = todo.back();
    todo.pop_back();
    const auto f = start_of(addr);
    if (f == functions.end()) continue;
    const uint64_t size = f->size;
    if (!size || size > (1u << 20) || !mem.known(addr, size)) continue;
    bool unpatched = false;
    for (uint64_t p = 0; p + 5 <= size; ++p) {
      const uint8_t op = uint8_t(mem.read(addr + p, 1));
      if (op != 0xe9 && op != 0xe8) continue;
      const uint64_t dest = addr + p + 5 + uint64_t(int64_t(int32_t(mem.read(addr + p + 1, 4))));
      if (op == 0xe9 && dest == RelocInput::kReturnThunk) unpatched = true;
      else if (start_of(dest) != functions.end() && seen.insert(dest).second)
        todo.push_back(dest);
    }
    if (!unpatched) continue;
    if (addr != entry) {
      reached_unpatched = true;
      continue;
    }
    const bool some_patched =
        std::any_of(patched.begin(), patched.end(), [&](uint64_t a) { return a >= addr && a - addr < size; });
    own = some_patched ? ThunkRun::unknown : ThunkRun::yes;
  }
  if (own == ThunkRun::yes) return own;
  return reached_unpatched ? ThunkRun::unknown : own;
}

void warn_unpatched_thunk(const Rules& r, State& st, Log& log) {
  if (st.warned_thunk_run) return;
  st.warned_thunk_run = true;
  warn(st, log, "Unpatched return thunk in use. This should not happen!", r.unpatched_thunk_warn_at, "__warn_thunk");
}

void unwind_module_init(const ModuleView& m, const Rules& r, State& st, Log& log) {
  const unsigned ip = last_named(m, ".orc_unwind_ip"), orc = last_named(m, ".orc_unwind");
  if (!ip || !orc) return;
  const uint64_t ip_size = m.image.sections()[ip].sh_size, orc_size = m.image.sections()[orc].sh_size;
  constexpr uint64_t kOrcEntry = 6;  // struct orc_entry, packed
  const uint32_t entries = uint32_t(ip_size / 4);  // unsigned int num_entries
  if ((ip_size % 4 || orc_size % kOrcEntry || entries != orc_size / kOrcEntry) && !st.warned_orc) {
    st.warned_orc = true;
    warn(st, log, "", r.orc_warn_at, "unwind_module_init");
  }
}

std::string ftrace_module_init(const ModuleView& m, const RelocInput& in, const Rules& r, ModuleMemory& mem, State& st,
                               Log& log) {
  if (st.ftrace_disabled) return "";
  // section_objs(): the first allocated __mcount_loc, size / sizeof(unsigned long) entries
  unsigned sec = 0;
  for (unsigned i = 1; i < m.image.shnum() && !sec; ++i)
    if ((in.sec_flags[i] & SHF_ALLOC) && m.image.section_name(i) == "__mcount_loc") sec = i;
  if (!sec) return "";
  const uint64_t start = in.sec_addrs[sec], num = m.image.sections()[sec].sh_size / 8;
  if (!num) return "";
  if (!mem.known(start, num * 8)) return "__mcount_loc outside the module's memory";
  std::vector<uint64_t> ips;
  for (uint64_t i = 0; i < num; ++i)
    if (uint64_t ip = mem.read(start + i * 8, 8)) ips.push_back(ip);
  std::sort(ips.begin(), ips.end());
  for (uint64_t ip : ips) {
    // copy_from_kernel_nofault refuses user (below TASK_SIZE_MAX + PAGE_SIZE) and
    // non-canonical (48-bit) addresses: together, everything below the kernel half
    const bool fault = ip < 0xffff800000000000ull;
    if (!fault && !mem.known(ip, 5)) return "mcount site at an address whose bytes the emulator does not know";
    std::string expected = "\xe8";
    const uint32_t rel = uint32_t(RelocInput::kFentry - (ip + 5));
    for (int k = 0; k < 4; ++k) expected += char(rel >> (8 * k));
    if (!fault && uint64_t(mem.read(ip, 5)) == (0xe8 | uint64_t(rel) << 8)) {
      mem.write_bytes(ip, std::string("\x0f\x1f\x44\x00\x00", 5));  // x86_nops[5]
      continue;
    }
    // ftrace_verify_code's WARN_ON(1), then ftrace_bug (its pr_info lines are info-level;
    // the pr_cont pieces land at the default level), whose FTRACE_WARN_ON_ONCE kills ftrace.
    if (fault) {
      warn(st, log, "", r.ftrace_fault_warn_at, "ftrace_verify_code");
    } else {
      warn(st, log, "", r.ftrace_mismatch_warn_at, "ftrace_verify_code");
      logf(log, kWarn, " actual:   " + bytes_at(mem, ip, 5, ':'));
      std::string e;
      for (std::size_t k = 0; k < expected.size(); ++k) e += (k ? ":" : "") + hex(uint8_t(expected[k]), "%02llx");
      logf(log, kWarn, " expected: " + e);
    }
    logf(log, kWarn, std::string(r.ftrace_bug_reason));
    logf(log, kWarn, " expected tramp: " + hex(RelocInput::kFentry, "%llx"));
    warn(st, log, "", r.ftrace_bug_warn_at, "ftrace_bug");
    st.ftrace_disabled = true;
    break;
  }
  return "";
}

}  // namespace modforge::loader::kernel
