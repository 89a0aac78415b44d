// check_modinfo() of kernel/module/main.c and the taints a module's .modinfo and name
// bring: 6.1 adds them in check_modinfo, 6.12 in module_augment_kernel_taints once the
// module is listed (Rules::taints_in_check_modinfo).
#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>

#include "loader/kernel/load_passes.h"

namespace modforge::loader::kernel {

namespace {

bool gpl_compatible(std::string_view l) {
  return l == "GPL" || l == "GPL v2" || l == "GPL and additional rights" || l == "Dual BSD/GPL" ||
         l == "Dual MIT/GPL" || l == "Dual MPL/GPL";
}

// check_modinfo_retpoline(): retpoline_module_ok() prints its line on every such module.
void retpoline_check(LoadInfo& li) {
  if (!li.target.retpoline || li.m.modinfo("retpoline")) return;
  li.log(kErr, "Spectre V2 : System may be vulnerable to spectre v2");
  li.log(kWarn, li.mod.name + ": loading module not compiled with retpoline compiler.");
}
// The taints both versions add in the same order (6.1 in check_modinfo, 6.12 in
// module_augment_kernel_taints): where the module comes from...
void origin_taints(LoadInfo& li) {
  if (!li.m.modinfo("intree")) {
    if (!li.tainted(kTaintOot)) li.log(kWarn, li.mod.name + ": loading out-of-tree module taints kernel.");
    li.add_taint_module(kTaintOot);
  }
  retpoline_check(li);
  if (li.m.modinfo("staging")) {
    li.add_taint_module(kTaintCrap);
    li.log(kWarn, li.mod.name + ": module is from the staging directory, the quality is unknown, you have been warned.");
  }
}
void livepatch_taint(LoadInfo& li) {
  li.add_taint_module(kTaintLivepatch);
  if (!li.state.livepatch_notice_done) {
    li.state.livepatch_notice_done = true;
    li.log(kNotice, li.mod.name + ": tainting kernel with TAINT_LIVEPATCH");
  }
}
// ...and what its licence and test tag say.
void license_and_test_taints(LoadInfo& li) {
  std::string lic(li.m.modinfo("license").value_or("unspecified"));
  if (!gpl_compatible(lic)) {
    if (!li.tainted(kTaintProprietary)) li.log(kWarn, li.mod.name + ": module license '" + lic + "' taints kernel.");
    li.add_taint_module(kTaintProprietary);
    li.lockdep_unreliable();
  }
  if (li.m.modinfo("test")) {
    if (!li.tainted(kTaintTest)) li.log(kWarn, li.mod.name + ": loading test module taints kernel.");
    li.add_taint_module(kTaintTest);
  }
}
// MODULE_INFO(livepatch, Y) needs CONFIG_LIVEPATCH.
int check_livepatch(LoadInfo& li) {
  if (!li.m.modinfo("livepatch")) return 0;
  if (!li.target.livepatch) {
    li.log(kErr, li.mod.name + ": module is marked as livepatch module, but livepatch support is disabled");
    return -ENOEXEC;
  }
  li.livepatch = true;
  return 0;
}

}  // namespace

int check_modinfo(LoadInfo& li) {
  std::optional<std::string_view> magic = li.m.modinfo("vermagic");
  if (li.flags & kIgnoreVermagic) magic.reset();
  if (!magic) {
    if (int e = try_to_force_load(li, "bad vermagic")) return e;
  } else {
    std::string_view a = *magic, b = li.target.vermagic;
    if (li.m.idx_vers) {
      a.remove_prefix(std::min(a.size(), a.find(' ')));
      b.remove_prefix(std::min(b.size(), b.find(' ')));
    }
    if (a != b) {
      li.log(kErr, li.m.name + ": version magic '" + std::string(*magic) + "' should be '" + li.target.vermagic + "'");
      return -ENOEXEC;
    }
  }
  if (!li.rules.taints_in_check_modinfo) return check_livepatch(li);
  // 6.1: the taints come with check_modinfo, before the module is listed.
  origin_taints(li);
  if (int e = check_livepatch(li)) return e;
  if (li.livepatch) livepatch_taint(li);
  license_and_test_taints(li);
  return 0;
}

void sig_taint(LoadInfo& li) {
  if (!li.target.module_sig || li.m.sig_ok) return;
  if (!li.state.sig_notice_done) {
    li.state.sig_notice_done = true;
    li.log(kNotice, li.mod.name + ": module verification failed: signature and/or required key missing - tainting kernel");
  }
  li.add_taint_module(kTaintUnsigned);
}
void module_augment_kernel_taints(LoadInfo& li) {
  const bool prev = li.tainted(kTaintProprietary);
  origin_taints(li);
  if (li.livepatch) livepatch_taint(li);
  license_and_test_taints(li);
  sig_taint(li);
  special_names(li, prev);
}

void special_names(LoadInfo& li, bool prev) {
  if (li.mod.name == "ndiswrapper") { li.add_taint(kTaintProprietary); li.lockdep_unreliable(); }
  if (li.mod.name == "driverloader" || li.mod.name == "lve") { li.add_taint_module(kTaintProprietary); li.lockdep_unreliable(); }
  if (!prev && li.tainted(kTaintProprietary)) li.log(kWarn, li.mod.name + ": module license taints kernel.");
}

}  // namespace modforge::loader::kernel
