// `modforge check load`'s engine: each module checked against one target by the emulated
// kernel (loader/kernel), after the dependencies modprobe would load first, resolved among
// the modules given and the target's own; then every reason (reasons.h) beside the first.
#pragma once
#include <vector>

#include "abi/check_result.h"
#include "abi/check_target.h"
#include "abi/load_inputs.h"

namespace modforge::abi {

// `jobs`: worker threads (0: one per core).
TargetResult check_load(const CheckTarget& target, const std::vector<ModuleInput>& modules, unsigned jobs = 0);

}  // namespace modforge::abi
