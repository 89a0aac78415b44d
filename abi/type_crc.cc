#include "abi/type_crc.h"

#include <vector>

#include "core/crc32.h"

namespace modforge::abi {

namespace {

// genksyms' expand_and_crc_sym over the model, with an explicit stack (type chains can be
// long).  `emit` receives each token of the expansion.
template <typename Emit>
bool expand(const SymtypesCorpus& c, const SymtypesCorpus::ExportRef& e, Emit&& emit) {
  std::vector<std::uint8_t> expanded(c.key_count());
  struct Frame {
    std::span<const SymToken> toks;
    std::size_t i;
  };
  std::vector<Frame> stack;
  std::span<const SymToken> root = c.tokens(c.definition(e.def));
  // -T prints a declaration-only export as "extern ..."; the CRC is over the definition.
  if (!root.empty() && root.front().text == "extern") root = root.subspan(1);
  expanded[e.key] = 1;
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
    const std::string_view name = t.text.substr(2);
    if (expanded[t.ref]) {
      const KeyKind k = key_kind(t.text);
      if (k == KeyKind::Struct) emit("struct");
      else if (k == KeyKind::Union) emit("union");
      else if (k == KeyKind::Enum) emit("enum");
      emit(name);
      continue;
    }
    const std::uint32_t d = c.lookup(e.file, t.ref);
    if (d == kNoId) return false;
    expanded[t.ref] = 1;
    stack.push_back({c.tokens(c.definition(d)), 0});
  }
  return true;
}

}  // namespace

std::optional<std::string> expand_export(const SymtypesCorpus& c, std::string_view export_name) {
  const SymtypesCorpus::ExportRef* e = c.find_export(export_name);
  if (!e) return std::nullopt;
  std::string text;
  if (!expand(c, *e, [&](std::string_view s) {
        text += s;
        text += ' ';
      }))
    return std::nullopt;
  return text;
}

std::optional<std::uint32_t> recompute_crc(const SymtypesCorpus& c, std::string_view export_name) {
  const SymtypesCorpus::ExportRef* e = c.find_export(export_name);
  if (!e) return std::nullopt;
  SymCrc crc;
  if (!expand(c, *e, [&](std::string_view s) {
        crc.add(s);
        crc.add(" ");
      }))
    return std::nullopt;
  return crc.value();
}

}  // namespace modforge::abi
