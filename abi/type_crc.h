// An export's genksyms CRC recomputed from the records of its symtypes file: the expansion
// genksyms makes (every type expanded at its first reference within the export, later
// references print "struct foo" / the typedef's name) fed to its CRC.  That the result equals
// the CRC genksyms printed is what shows the model holds all the CRC depends on.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "abi/symtypes_model.h"

namespace modforge::abi {

// The expansion text (genksyms -D's "Export x == <...>", each token followed by a space), or
// nullopt when the export is unknown or a record it needs is missing from its file.
std::optional<std::string> expand_export(const SymtypesCorpus& c, std::string_view export_name);
std::optional<std::uint32_t> recompute_crc(const SymtypesCorpus& c, std::string_view export_name);

}  // namespace modforge::abi
