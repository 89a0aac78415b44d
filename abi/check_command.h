// `modforge check load MODULE... --kernel TARGET...`: will these modules load into those
// kernels, and every reason why not.  Exit 0: everything loads; 1: something is refused
// (or tainted, with --fail-on taint); 2: a usage or input error (a missing or unreadable
// target or module is an error, never a pass).
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace modforge::abi {

// `args`: what follows "modforge check".
int check_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace modforge::abi
