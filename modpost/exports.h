// Exports as modpost records them: sym_add_exported() with its "exported twice" check,
// 6.1's namespaces from __kstrtabns_ data, 6.12's exports from the .export_symbol section.
#pragma once
#include <string_view>

#include "core/elf.h"
#include "modpost/context.h"

namespace modforge::modpost {

Symbol& add_export(Context& cx, std::string_view name, Module& mod, bool gpl_only, std::string_view ns,
                   bool is_func);

// 6.1 sym_update_namespace(): the newest export of that name takes the namespace.
void set_export_namespace(Context& cx, std::string_view name, std::string_view ns);

// 6.12 check_export_symbol(): one relocation out of .export_symbol.  `label` is the
// nearest symbol at or before the relocation in that section (nullptr: none), `sym` the
// relocation's symbol, `tosec` the name of its section; names are after remove_dot().
void export_from_relocation(Context& cx, Module& mod, const elf::ElfFile& elf, const elf::Symbol* label,
                            std::string_view label_name, const elf::Symbol& sym, std::string_view sym_name,
                            std::string_view tosec);

// remove_dot(), as read_symbols applies it to every symbol name.
std::string_view remove_dot(std::string_view s);

}  // namespace modforge::modpost
