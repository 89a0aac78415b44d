// delete_module() of kernel/module/main.c, /proc/modules, and the taint letters.
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>

#include "loader/kernel/finalize.h"
#include "loader/kernel/kernel.h"

namespace modforge::loader::kernel {

namespace {
// kernel/panic.c taint_flags[]: the letter of each bit, and whether modules carry it.
struct TaintFlag { char letter; bool module; };
constexpr TaintFlag kTaintFlags[] = {
    {'P', true}, {'F', true}, {'S', false}, {'R', false}, {'M', false}, {'B', false}, {'U', false},
    {'D', false}, {'A', false}, {'W', false}, {'C', true}, {'I', false}, {'O', true}, {'E', true},
    {'L', false}, {'K', true}, {'X', true}, {'T', true}, {'N', true},
};
constexpr std::size_t kModuleNameLen = 56;
}  // namespace

std::string taint_letters(uint32_t taints) {
  std::string s;
  for (unsigned i = 0; i < std::size(kTaintFlags); ++i)
    if (kTaintFlags[i].module && (taints & (1u << i))) s += kTaintFlags[i].letter;
  return s;
}

std::string_view state_name(ModState s) {
  switch (s) {
    case ModState::going: return "Unloading";
    case ModState::coming: return "Loading";
    case ModState::live: return "Live";
  }
  return "Live";
}

const LoadedModule* EmulatedKernel::find(std::string_view name) const {
  for (const LoadedModule& m : state_.modules)
    if (m.name == name) return &m;
  return nullptr;
}

Outcome EmulatedKernel::delete_module(std::string_view name, unsigned flags) {
  Outcome o;
  o.name = std::string(name);
  if (name.empty() || name.size() >= kModuleNameLen) { o.err = ENOENT; return o; }
  auto it = std::find_if(state_.modules.begin(), state_.modules.end(),
                         [&](const LoadedModule& m) { return m.name == name; });
  if (it == state_.modules.end()) { o.err = ENOENT; return o; }
  if (!it->holders.empty()) { o.err = EWOULDBLOCK; return o; }
  if (it->state != ModState::live) { o.err = EBUSY; return o; }
  auto try_force = [&] {
    const bool forced = target_.force_unload && (flags & kDeleteForce);
    if (forced) state_.tainted |= 1ull << kTaintForcedRmmod;
    return forced;
  };
  if (it->has_init && !it->has_exit && !try_force()) { o.err = EBUSY; return o; }
  // try_stop_module: the only references an emulated module has are its holders' (none here).
  if (it->has_exit && it->exit_warns_thunk) warn_unpatched_thunk(target_.rules(), state_, o.log);  // mod->exit() runs
  const std::string gone = it->name;
  const std::vector<std::string> uses = it->uses;
  state_.modules.erase(it);
  for (const std::string& u : uses)
    for (LoadedModule& m : state_.modules)
      if (m.name == u) std::erase(m.holders, gone);
  return o;
}

std::string proc_modules(const State& s) {
  std::string out;
  for (const LoadedModule& m : s.modules) {
    char buf[64];
    const uint64_t size = m.core_size + (m.state == ModState::coming ? m.init_size : 0);
    std::snprintf(buf, sizeof buf, " %" PRIu64 " %d ", size, m.refcnt());
    out += m.name;
    out += buf;
    bool printed = false;
    for (const std::string& h : m.holders) { out += h + ","; printed = true; }
    if (m.has_init && !m.has_exit) { out += "[permanent],"; printed = true; }
    if (!printed) out += "-";
    out += " ";
    out += state_name(m.state);
    out += " 0x0000000000000000";
    const std::string t = taint_letters(m.taints);
    if (!t.empty() || m.state != ModState::live) {
      out += " (" + t;
      if (m.state == ModState::going) out += "-";
      if (m.state == ModState::coming) out += "+";
      out += ")";
    }
    out += "\n";
  }
  return out;
}

}  // namespace modforge::loader::kernel
