// `modforge symtypes`: symtypes corpora as files.
//   --consolidate DIR -o FILE   every .symtypes under DIR as one consolidated file (SUSE
//                               ksymtypes' format, what `ksymtypes consolidate` writes)
//   --source SRC --kernel TREE  (to come) the symtypes and CRCs of a whole kernel, generated
// Exit 0 on success, 2 on a usage or input error.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace modforge::abi {

// `args`: what follows "modforge symtypes".
int symtypes_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace modforge::abi
