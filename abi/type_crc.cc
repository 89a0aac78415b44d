#include "abi/type_crc.h"

#include <span>

#include "core/crc32.h"

namespace modforge::abi {

// genksyms' expand_and_crc_sym over the model, with an explicit stack (type chains can be
// long).  `emit` receives each token of the expansion.
template <typename Emit>
bool CrcRecomputer::expand(const SymtypesCorpus::ExportRef& e, Emit&& emit) {
  if (++epoch_ == 0) {  // wrapped: forget every mark
    std::fill(stamp_.begin(), stamp_.end(), 0);
    epoch_ = 1;
  }
  struct Frame {
    std::span<const SymToken> toks;
    std::size_t i;
  };
  std::vector<Frame> stack;
  std::span<const SymToken> root = c_.tokens(c_.definition(e.def));
  // -T prints a declaration-only export as "extern ..."; the CRC is over the definition.
  if (!root.empty() && root.front().text == "extern") root = root.subspan(1);
  stamp_[e.key] = epoch_;
  stack.push_back({root, 0});
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.i == f.toks.size()) {
      stack.pop_back();
      continue;
    }
    const SymToken& t = f.toks[f.i++];
    if (!t.is_ref()) {
      emit(t.text);
      continue;
    }
    if (stamp_[t.ref] == epoch_) {
      const KeyKind k = key_kind(t.text);
      if (k == KeyKind::Struct) emit("struct");
      else if (k == KeyKind::Union) emit("union");
      else if (k == KeyKind::Enum) emit("enum");
      emit(t.text.substr(2));
      continue;
    }
    const std::uint32_t d = c_.lookup(e.file, t.ref);
    if (d == kNoId) return false;
    stamp_[t.ref] = epoch_;
    stack.push_back({c_.tokens(c_.definition(d)), 0});
  }
  return true;
}

std::optional<std::string> CrcRecomputer::expansion(std::string_view export_name) {
  const SymtypesCorpus::ExportRef* e = c_.find_export(export_name);
  if (!e) return std::nullopt;
  std::string text;
  if (!expand(*e, [&](std::string_view s) {
        text += s;
        text += ' ';
      }))
    return std::nullopt;
  return text;
}

std::optional<std::uint32_t> CrcRecomputer::crc(std::string_view export_name) {
  const SymtypesCorpus::ExportRef* e = c_.find_export(export_name);
  if (!e) return std::nullopt;
  SymCrc crc;
  if (!expand(*e, [&](std::string_view s) {
        crc.add(s);
        crc.add(" ");
      }))
    return std::nullopt;
  return crc.value();
}

std::optional<std::string> expand_export(const SymtypesCorpus& c, std::string_view export_name) {
  return CrcRecomputer(c).expansion(export_name);
}

std::optional<std::uint32_t> recompute_crc(const SymtypesCorpus& c, std::string_view export_name) {
  return CrcRecomputer(c).crc(export_name);
}

}  // namespace modforge::abi
