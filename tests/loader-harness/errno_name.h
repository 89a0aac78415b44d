// An errno's symbolic name, as the oracle (Python's errno.errorcode) prints it.
#pragma once
#include <string>

namespace modforge::loader::harness {

std::string errno_name(int err);  // "EINVAL"; "0" for 0; "E<n>" for one not listed

}  // namespace modforge::loader::harness
