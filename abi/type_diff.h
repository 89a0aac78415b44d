// Why CRCs changed: the types reachable from an export whose own definition differs between
// two symtypes corpora, what changed inside each (members, enumerators, typedef target,
// parameters), and the path from the export to it.  explain_crc_changes() (abi/symtypes.h)
// is built on these.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "abi/abi_diff.h"
#include "abi/symtypes_model.h"

namespace modforge::abi {

struct TypeChange {
  std::string cls;  // "break", "became-defined", "enum-appended"
  std::vector<TypeDetail> details;
};

// What differs between two definitions of the record `key` (the token lists of its two
// records; bodies are expected to differ).
TypeChange compare_definitions(std::string_view key, std::span<const SymToken> old_toks,
                               std::span<const SymToken> new_toks);

// What the reference at token `index` of record `key` is: "member dev", "parameter 2",
// "return type", "type", "enumerator FOO", or "" (a typedef's target, an enumerator's value).
std::string reference_step(std::string_view key, std::span<const SymToken> toks, std::size_t index);

}  // namespace modforge::abi
