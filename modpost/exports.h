// Exports as modpost records them: sym_add_exported() with its "exported twice" check,
// 6.1's namespaces from __kstrtabns_ data, 6.12's exports from the .export_symbol section.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "core/elf.h"
#include "modpost/context.h"

namespace modforge::modpost {

Symbol& add_export(Context& cx, std::string_view name, Module& mod, bool gpl_only, std::string_view ns,
                   bool is_func);

// 6.1 sym_update_namespace(): the newest export of that name takes the namespace.
void set_export_namespace(Context& cx, std::string_view name, std::string_view ns);

// An export as an object declares it, before it is added to the run's table.
struct DeclaredExport {
  std::string name, ns;
  bool gpl_only = false, is_func = false;
};

// 6.12 check_export_symbol(): one relocation out of .export_symbol.  `label` is the
// nearest symbol at or before the relocation in that section (nullptr: none), `sym` the
// relocation's symbol, `tosec` the name of its section; names are after remove_dot().
// Its complaints go to `report`; an export it accepts goes to `declare`, at the point
// where the real tool adds it (before the init/exit warning).
void export_from_relocation(Report& report, std::string_view modname, const elf::ElfFile& elf,
                            const elf::Symbol* label, std::string_view label_name, const elf::Symbol& sym,
                            std::string_view sym_name, std::string_view tosec,
                            const std::function<void(DeclaredExport)>& declare);

}  // namespace modforge::modpost
