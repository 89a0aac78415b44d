// `modforge check abi OLD NEW`: what changed between two kernels' exported symbols
// (Module.symvers), why each CRC changed when both sides come with symtypes, and whether
// anything breaks outside the waivers.  Exit 0: nothing breaks; 1: a break no waiver covers;
// 2: a usage or input error (a missing or unreadable side is an error, never a pass).
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace modforge::abi {

// `args`: what follows "modforge check abi".  Throws boost::program_options::error (usage)
// and Error (input); check_main turns both into exit status 2.
int run_abi(const std::vector<std::string>& args, std::ostream& out);

}  // namespace modforge::abi
