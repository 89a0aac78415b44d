// An export's genksyms CRC recomputed from the records of its symtypes file: the expansion
// genksyms makes (every type expanded at its first reference within the export, later
// references print "struct foo" / the typedef's name) fed to its CRC.  That the result equals
// the CRC genksyms printed is what shows the model holds all the CRC depends on.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/symtypes_model.h"

namespace modforge::abi {

// For many exports of one corpus: the per-export "already expanded" marks are reused.
class CrcRecomputer {
public:
  explicit CrcRecomputer(const SymtypesCorpus& c) : c_(c), stamp_(c.key_count(), 0) {}
  // nullopt when the export is unknown or a record it needs is missing from its file
  std::optional<std::uint32_t> crc(std::string_view export_name);
  // genksyms -D's "Export x == <...>" text: each token followed by a space
  std::optional<std::string> expansion(std::string_view export_name);

private:
  template <typename Emit>
  bool expand(const SymtypesCorpus::ExportRef& e, Emit&& emit);
  const SymtypesCorpus& c_;
  std::vector<std::uint32_t> stamp_;
  std::uint32_t epoch_ = 0;
};

std::optional<std::string> expand_export(const SymtypesCorpus& c, std::string_view export_name);
std::optional<std::uint32_t> recompute_crc(const SymtypesCorpus& c, std::string_view export_name);

}  // namespace modforge::abi
