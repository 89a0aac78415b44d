// include/linux/vermagic.h's VERMAGIC_STRING taken apart: "<release> SMP preempt mod_unload
// modversions " (x86-64: no MODULE_ARCH_VERMAGIC; RANDSTRUCT_<hash> with randstruct).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace modforge::abi {

struct VermagicField {
  std::string field;  // release, smp, preempt, mod_unload, modversions, other
  std::string have, want;
};

// The fields in which `module` differs from `kernel`, release first.
std::vector<VermagicField> vermagic_differences(std::string_view module, std::string_view kernel);

}  // namespace modforge::abi
