#include "modpost/exports.h"

#include <fnmatch.h>

#include <llvm/BinaryFormat/ELF.h>

#include "modpost/object_file.h"

namespace modforge::modpost {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool glob(std::string_view pattern, std::string_view s) {
  return fnmatch(std::string(pattern).c_str(), std::string(s).c_str(), 0) == 0;
}

}  // namespace

Symbol& add_export(Context& cx, std::string_view name, Module& mod, bool gpl_only, std::string_view ns,
                   bool is_func) {
  if (Symbol* s = cx.model.find(name)) {
    if (!cx.opts.external_module || s->module->is_vmlinux || s->module == &mod)
      cx.report.error(mod.name + ": '" + std::string(name) + "' exported twice. Previous export was in " +
                      s->module->name + (s->module->is_vmlinux ? "" : ".ko") + "\n");
  }
  Symbol& s = cx.model.add_export(name, mod);
  s.gpl_only = gpl_only;
  s.ns = cx.model.keep(ns);
  s.is_func = is_func;
  return s;
}

void set_export_namespace(Context& cx, std::string_view name, std::string_view ns) {
  Symbol* s = cx.model.find(name);
  if (!s) {
    cx.report.error("Could not update namespace(" + std::string(ns) + ") for symbol " + std::string(name) + "\n");
    return;
  }
  s->ns = cx.model.keep(ns);
}

void export_from_relocation(Report& report, std::string_view modname, const elf::ElfFile& elf,
                            const elf::Symbol* label, std::string_view label_name, const elf::Symbol& sym,
                            std::string_view sym_name, std::string_view tosec,
                            const std::function<void(DeclaredExport)>& declare) {
  constexpr std::string_view prefix = "__export_symbol_";
  const std::string mod(modname);
  if (!starts_with(label_name, prefix)) {
    report.error(mod + ": .export_symbol section contains strange symbol '" + std::string(label_name) + "'\n");
    return;
  }
  const std::string_view exported = label_name.substr(prefix.size());
  if (sym.binding != llvm::ELF::STB_GLOBAL && sym.binding != llvm::ELF::STB_WEAK) {
    report.error(mod + ": local symbol '" + std::string(exported) + "' was exported\n");
    return;
  }
  if (exported != sym_name) {
    report.error(mod + ": .export_symbol section references '" + std::string(sym_name) +
                 "', but it does not seem to be an export symbol\n");
    return;
  }
  // the label's data: the licence string, then the namespace string
  const std::string_view data = symbol_data(elf, *label);
  const std::string_view license = data.substr(0, data.find('\0'));
  bool gpl;
  if (license == "GPL") gpl = true;
  else if (license.empty()) gpl = false;
  else {
    report.error(mod + ": unknown license '" + std::string(license) + "' was specified for '" +
                 std::string(sym_name) + "'\n");
    return;
  }
  std::string_view ns = license.size() < data.size() ? data.substr(license.size() + 1) : std::string_view{};
  ns = ns.substr(0, ns.find('\0'));
  declare({std::string(sym_name), std::string(ns), gpl, sym.type == llvm::ELF::STT_FUNC});
  if (glob(".init.*", tosec))
    report.warn(mod + ": " + std::string(sym_name) +
                ": EXPORT_SYMBOL used for init symbol. Remove __init or EXPORT_SYMBOL.\n");
  else if (glob(".exit.*", tosec))
    report.warn(mod + ": " + std::string(sym_name) +
                ": EXPORT_SYMBOL used for exit symbol. Remove __exit or EXPORT_SYMBOL.\n");
}

}  // namespace modforge::modpost
