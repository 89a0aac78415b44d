#include "abi/vermagic_fields.h"

#include <algorithm>

namespace modforge::abi {

namespace {

struct Magic {
  std::string release, smp = "no SMP", preempt = "no preempt (none/voluntary)", mod_unload = "no mod_unload",
                       modversions = "no modversions";
  std::vector<std::string> other;
};

Magic parse(std::string_view s) {
  Magic m;
  bool first = true;
  while (!s.empty()) {
    std::size_t sp = s.find(' ');
    std::string_view tok = s.substr(0, sp);
    s.remove_prefix(sp == std::string_view::npos ? s.size() : sp + 1);
    if (tok.empty()) continue;
    if (first) { m.release = tok; first = false; continue; }
    if (tok == "SMP") m.smp = "SMP";
    else if (tok == "preempt") m.preempt = "preempt (PREEMPT/PREEMPT_DYNAMIC)";
    else if (tok == "preempt_rt") m.preempt = "preempt_rt (PREEMPT_RT)";
    else if (tok == "mod_unload") m.mod_unload = "mod_unload";
    else if (tok == "modversions") m.modversions = "modversions";
    else m.other.emplace_back(tok);
  }
  return m;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
  return out.empty() ? "(none)" : out;
}

}  // namespace

std::vector<VermagicField> vermagic_differences(std::string_view module, std::string_view kernel) {
  const Magic a = parse(module), b = parse(kernel);
  std::vector<VermagicField> out;
  auto cmp = [&](const char* f, const std::string& x, const std::string& y) {
    if (x != y) out.push_back({f, x, y});
  };
  cmp("release", a.release, b.release);
  cmp("smp", a.smp, b.smp);
  cmp("preempt", a.preempt, b.preempt);
  cmp("mod_unload", a.mod_unload, b.mod_unload);
  cmp("modversions", a.modversions, b.modversions);
  cmp("other", joined(a.other), joined(b.other));
  return out;
}

}  // namespace modforge::abi
