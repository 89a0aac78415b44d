#include "modpost/object.h"

#include <cstdio>
#include <cstring>
#include <optional>

#include <llvm/BinaryFormat/ELF.h>

#include "modpost/crcs.h"
#include "modpost/exports.h"
#include "modpost/modinfo.h"
#include "modpost/object_file.h"

#include "modpost/file2alias.h"
#include "modpost/secmismatch.h"
#include "modpost/srcversion.h"

namespace modforge::modpost {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// include/linux/license.h, the same list in 6.1 and 6.12
bool license_is_gpl_compatible(std::string_view l) {
  return l == "GPL" || l == "GPL v2" || l == "GPL and additional rights" || l == "Dual BSD/GPL" ||
         l == "Dual MIT/GPL" || l == "Dual MPL/GPL";
}

void read_licence_and_imports(Context& cx, Module& mod, const Modinfo& info, const std::string& path) {
  auto license = info.get("license");
  if (!license) cx.report.error("missing MODULE_LICENSE() in " + path + "\n");
  while (license) {
    if (!license_is_gpl_compatible(*license)) {
      mod.gpl_compatible = false;
      break;
    }
    license = info.next("license", *license);
  }
  for (auto ns = info.get("import_ns"); ns; ns = info.next("import_ns", *ns))
    if (!contains_ns(mod.imported_ns, *ns) && !(ns->empty() && cx.kernel == Kernel::v6_12))
      mod.imported_ns.push_back(cx.model.keep(*ns));
  if (cx.opts.extra_warn && cx.rules.description_warning && !info.get("description"))
    cx.report.warn("missing MODULE_DESCRIPTION() in " + path + "\n");
}

// handle_symbol()
void note_symbol(Context& cx, Module& mod, const elf::ElfFile& elf, const elf::Symbol& sym, std::string_view name) {
  using namespace llvm::ELF;
  switch (sym.section_index) {
    case SHN_COMMON:
      if (!starts_with(name, "__gnu_lto_"))
        cx.report.warn("\"" + std::string(name) + "\" [" + mod.name + "] is COMMON symbol\n");
      return;
    case SHN_UNDEF:
      if (sym.binding != STB_GLOBAL && sym.binding != STB_WEAK) return;
      if (name == "__this_module" || name == "_GLOBAL_OFFSET_TABLE_") return;
      cx.model.add_unresolved(name, mod, sym.binding == STB_WEAK);
      return;
    default:
      if (cx.rules.exports_from_ksymtab && starts_with(name, "__ksymtab_")) {
        const auto secs = elf.sections();
        const std::string_view sec = sym.section_index < secs.size() ? secs[sym.section_index].name : "";
        if (starts_with(sec, "___ksymtab_gpl+")) add_export(cx, name.substr(10), mod, true, {}, false);
        else if (starts_with(sec, "___ksymtab+")) add_export(cx, name.substr(10), mod, false, {}, false);
      }
      if (name == "init_module") mod.has_init = true;
      if (name == "cleanup_module") mod.has_cleanup = true;
      return;
  }
}

// check_sec_ref(), with 6.12's exports taken from .export_symbol on the way, in the order
// the walk meets them
void check_references(Context& cx, Module& mod, const elf::ElfFile& elf, const std::string& path,
                      std::span<const std::string_view> names) {
  // 6.12's nearest-symbol table serves the walk and the export labels; 6.1 needs none
  std::optional<SymbolSearch> search;
  if (cx.kernel == Kernel::v6_12) search.emplace(elf);
  const uint32_t export_sec = export_symbol_section(elf);
  auto on_export = [&](uint64_t faddr, std::string_view tosec, const elf::Symbol& sym) {
    const elf::Symbol* label = search->containing(faddr, export_sec);
    export_from_relocation(cx, mod, elf, label, label ? names[label->index] : "", sym, names[sym.index], tosec);
  };
  const SecRefOptions o{.module_enabled = cx.opts.module_enabled, .extra_warn = cx.opts.extra_warn};
  try {
    check_sec_ref(elf, cx.kernel == Kernel::v6_1 ? std::string_view(path) : std::string_view(mod.name), cx.kernel, o,
                  cx.report, on_export, search ? &*search : nullptr, names);
  } catch (const Fatal&) {
    throw;
  } catch (const Error& e) {
    cx.report.fatal(std::string(e.what()) + "\n");
  }
}

}  // namespace

// remove_dot(): "name.123" and "name.123.x" lose everything from the first dot.  The real
// tool truncates the string table in place, so every later use sees the short name.
std::string_view remove_dot(std::string_view s) {
  const std::size_t n = s.find('.');
  if (n == 0 || n == std::string_view::npos) return s;
  std::size_t m = 0;
  while (n + 1 + m < s.size() && s[n + 1 + m] >= '0' && s[n + 1 + m] <= '9') ++m;
  if (m && (n + 1 + m == s.size() || s[n + 1 + m] == '.')) return s.substr(0, n);
  return s;
}

void read_object(Context& cx, const std::string& path) {
  if (!ends_with(path, ".o")) {
    cx.report.error(path + ": filename must be suffixed with .o\n");
    return;
  }
  std::optional<OpenObject> obj = open_object(cx, path);
  if (!obj) return;
  const elf::ElfFile& elf = obj->elf;
  Module& mod = cx.model.new_module(std::string_view(path).substr(0, path.size() - 2));

  Modinfo info;
  if (const elf::Section* s = elf.section(".modinfo")) info = Modinfo(s->contents);
  if (!mod.is_vmlinux) read_licence_and_imports(cx, mod, info, path);

  std::vector<std::string_view> names;
  names.reserve(elf.symbols().size());
  for (const elf::Symbol& sym : elf.symbols()) names.push_back(remove_dot(sym.name));

  for (const elf::Symbol& sym : elf.symbols()) {
    note_symbol(cx, mod, elf, sym, names[sym.index]);
    handle_device_table(elf, sym, names[sym.index], mod.name, cx.kernel, cx.report, mod.dev_table);
  }
  if (cx.rules.namespace_from_kstrtabns)
    for (const elf::Symbol& sym : elf.symbols())
      if (starts_with(names[sym.index], "__kstrtabns_"))
        set_export_namespace(cx, names[sym.index].substr(12), symbol_cstring(elf, sym));

  check_references(cx, mod, elf, path, names);

  if (!mod.is_vmlinux && (info.get("version") || cx.opts.all_versions))
    mod.srcversion = src_version(mod.name, cx.kernel, cx.report);

  if (cx.opts.modversions) {
    // modpost's trick to version struct module itself
    cx.model.add_unresolved("module_layout", mod, false);
    set_crcs(cx, mod);
  }
}

void read_object_list(Context& cx, const std::string& list) {
  std::string text;
  if (cx.rules.t_dash_is_stdin && list == "-") {
    text = std::string(cx.stdin_text);
  } else {
    FILE* f = std::fopen(list.c_str(), "r");
    if (!f) cx.report.fatal("Can't open filenames file " + list + ": " + std::strerror(errno));
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  // fgets() with a PATH_MAX buffer: a line is at most 4095 bytes, its "\n" is dropped
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
    if (end - pos > 4095) end = pos + 4095;
    std::string line = text.substr(pos, end - pos);
    pos = end;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    // fgets stops at a NUL too, as far as the C string goes
    line.resize(std::strlen(line.c_str()));
    read_object(cx, line);
  }
}

}  // namespace modforge::modpost
