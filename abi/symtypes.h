// Symtypes (genksyms -T output) for `check abi` and `modforge symtypes`: the entry points the
// command uses; the model lives in symtypes_model.h.
#pragma once
#include <memory>
#include <string>

#include "abi/abi_diff.h"

namespace modforge::abi {

class SymtypesCorpus;

// A directory of the `.symtypes` files kbuild writes with KBUILD_SYMTYPES=1 (searched
// recursively), or one consolidated file (SUSE ksymtypes' format).  Throws Error naming the
// file and the cause.
std::shared_ptr<const SymtypesCorpus> load_symtypes(const std::string& path);

// For every "crc" change of diff.changes: its root cause (SymbolChange::root_cause), or the
// symbol in diff.unexplained; fills diff.causes and sets diff.have_symtypes.
void explain_crc_changes(const SymtypesCorpus& old_types, const SymtypesCorpus& new_types, AbiDiff& diff);

// The consolidated form of `corpus` (what `modforge symtypes --consolidate` writes).
std::string consolidated_text(const SymtypesCorpus& corpus);

}  // namespace modforge::abi
