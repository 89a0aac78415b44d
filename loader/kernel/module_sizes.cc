#include "loader/kernel/module_sizes.h"

namespace modforge::loader::kernel {

layout::LayoutInput layout_input(const ModuleView& m, bool livepatch) {
  layout::LayoutInput in;
  const auto& secs = m.image.sections();
  in.sections.reserve(secs.size());
  for (std::size_t i = 0; i < secs.size(); ++i)
    in.sections.push_back({m.image.section_name(i), secs[i].sh_type, secs[i].sh_flags, secs[i].sh_size,
                           secs[i].sh_addralign});
  in.sym = m.idx_sym;
  in.str = m.idx_str;
  in.info = m.idx_info;
  in.vers = m.idx_vers;
  in.livepatch = livepatch;
  // The names are read in the image without the signature, whatever the string table's size.
  const std::string_view image = m.image.bytes().substr(0, m.image.len());
  const uint64_t strtab = m.idx_str < secs.size() ? secs[m.idx_str].sh_offset : 0;
  const std::size_t n = m.num_symbols();
  in.symbols.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Sym s = m.symbol(i);
    in.symbols.push_back({s.st_shndx, s.st_name != 0, layout::name_bytes(image, strtab + s.st_name)});
  }
  return in;
}

layout::ModuleLayout layout_of(const ModuleView& m, const Target& t, bool livepatch) {
  if (t.layout_config && t.layout_config->version == t.version)
    return layout::module_layout(layout_input(m, livepatch), *t.layout_config);
  return layout::module_layout(layout_input(m, livepatch), layout::layout_config_from(t.dot_config, t.version));
}

}  // namespace modforge::loader::kernel
