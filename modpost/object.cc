#include "modpost/object.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>

#include <llvm/BinaryFormat/ELF.h>

#include "modpost/file2alias.h"
#include "modpost/modinfo.h"
#include "modpost/object_file.h"
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

struct Scanner {
  const Context& cx;
  ObjectScan& r;

  void declare(DeclaredExport e, bool namespace_only = false) {
    r.declared.push_back({r.report.text().size(), std::move(e), namespace_only});
  }

  void licence_and_imports(const Modinfo& info) {
    auto license = info.get("license");
    if (!license) r.report.error("missing MODULE_LICENSE() in " + r.path + "\n");
    while (license) {
      if (!license_is_gpl_compatible(*license)) {
        r.gpl_compatible = false;
        break;
      }
      license = info.next("license", *license);
    }
    for (auto ns = info.get("import_ns"); ns; ns = info.next("import_ns", *ns)) {
      if (ns->empty() && cx.rules.default_ns_imported) continue;
      bool seen = false;
      for (const auto& n : r.imported_ns) seen |= n == *ns;
      if (!seen) r.imported_ns.emplace_back(*ns);
    }
    if (cx.opts.extra_warn && cx.rules.description_warning && !info.get("description"))
      r.report.warn("missing MODULE_DESCRIPTION() in " + r.path + "\n");
  }

  // handle_symbol()
  void note_symbol(const elf::ElfFile& elf, const elf::Symbol& sym, std::string_view name) {
    using namespace llvm::ELF;
    switch (sym.section_index) {
      case SHN_COMMON:
        if (!starts_with(name, "__gnu_lto_"))
          r.report.warn("\"" + std::string(name) + "\" [" + r.module_name + "] is COMMON symbol\n");
        return;
      case SHN_UNDEF:
        if (sym.binding != STB_GLOBAL && sym.binding != STB_WEAK) return;
        if (name == "__this_module" || name == "_GLOBAL_OFFSET_TABLE_") return;
        r.unresolved.emplace_back(std::string(name), sym.binding == STB_WEAK);
        return;
      default:
        if (cx.rules.exports_from_ksymtab && starts_with(name, "__ksymtab_")) {
          const auto secs = elf.sections();
          const std::string_view sec = sym.section_index < secs.size() ? secs[sym.section_index].name : "";
          if (starts_with(sec, "___ksymtab_gpl+")) declare({std::string(name.substr(10)), "", true, false});
          else if (starts_with(sec, "___ksymtab+")) declare({std::string(name.substr(10)), "", false, false});
        }
        if (name == "init_module") r.has_init = true;
        if (name == "cleanup_module") r.has_cleanup = true;
        return;
    }
  }

  // check_sec_ref(), with 6.12's exports taken from .export_symbol on the way, in the
  // order the walk meets them
  void references(const elf::ElfFile& elf, std::span<const std::string_view> names) {
    std::optional<SymbolSearch> search;  // shared by the export labels and the mismatch walk
    if (cx.rules.symbol_search) search.emplace(elf);
    const uint32_t export_sec = export_symbol_section(elf);
    auto on_export = [&](uint64_t faddr, std::string_view tosec, const elf::Symbol& sym) {
      const elf::Symbol* label = search->containing(faddr, export_sec);
      export_from_relocation(r.report, r.module_name, elf, label, label ? names[label->index] : "", sym,
                             names[sym.index], tosec, [&](DeclaredExport e) { declare(std::move(e)); });
    };
    const SecRefOptions o{.module_enabled = cx.opts.module_enabled, .extra_warn = cx.opts.extra_warn};
    try {
      check_sec_ref(elf, cx.rules.mismatch_names_path ? std::string_view(r.path) : std::string_view(r.module_name),
                    cx.kernel, o, r.report, on_export, search ? &*search : nullptr, names);
    } catch (const Fatal&) {
      throw;
    } catch (const Error& e) {
      r.report.fatal(std::string(e.what()) + "\n");
    }
  }

  void read() {
    if (!ends_with(r.path, ".o")) {
      r.report.error(r.path + ": filename must be suffixed with .o\n");
      return;
    }
    std::optional<OpenObject> obj = open_object(cx, r.report, r.path);
    if (!obj) return;
    const elf::ElfFile& elf = obj->elf;
    r.has_module = true;
    r.module_name = r.path.substr(0, r.path.size() - 2);
    const bool is_vmlinux = r.module_name == "vmlinux";

    Modinfo info;
    if (const elf::Section* s = elf.section(".modinfo")) info = Modinfo(s->contents);
    if (!is_vmlinux) licence_and_imports(info);

    std::vector<std::string_view> names;
    names.reserve(elf.symbols().size());
    for (const elf::Symbol& sym : elf.symbols()) names.push_back(remove_dot(sym.name));
    for (const elf::Symbol& sym : elf.symbols()) {
      note_symbol(elf, sym, names[sym.index]);
      handle_device_table(elf, sym, names[sym.index], r.module_name, cx.kernel, r.report, r.dev_table);
    }
    if (cx.rules.namespace_from_kstrtabns)
      for (const elf::Symbol& sym : elf.symbols())
        if (starts_with(names[sym.index], "__kstrtabns_"))
          declare({std::string(names[sym.index].substr(12)), std::string(symbol_cstring(elf, sym)), false, false},
                  true);
    references(elf, names);
    const bool has_version = info.get("version").has_value();
    obj.reset();  // the mapping (and every view into it) is not needed past this point

    if (!is_vmlinux && (has_version || cx.opts.all_versions))
      r.srcversion = src_version(r.module_name, cx.kernel, r.report);
    if (cx.opts.modversions) {
      // modpost's trick to version struct module itself
      r.unresolved.emplace_back("module_layout", false);
      r.symvers = read_symver_lines(r.report, r.module_name, is_vmlinux);
    }
  }
};

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

ObjectScan scan_object(const Context& cx, const std::string& path) {
  ObjectScan r(cx.kernel);
  r.path = path;
  try {
    Scanner{cx, r}.read();
  } catch (...) {
    r.stop = std::current_exception();
  }
  return r;
}

void apply_object(Context& cx, ObjectScan& r) {
  const std::string& text = r.report.text();
  std::size_t emitted = 0;
  auto emit_until = [&](std::size_t at) {
    cx.report.raw(std::string_view(text).substr(emitted, at - emitted));
    emitted = at;
  };
  if (r.report.failed()) cx.report.mark_failed();
  cx.report.section_mismatches += r.report.section_mismatches;
  Module* mod = nullptr;
  if (r.has_module) {
    mod = &cx.model.new_module(r.module_name);
    mod->has_init = r.has_init;
    mod->has_cleanup = r.has_cleanup;
    mod->gpl_compatible = r.gpl_compatible;
    for (const auto& ns : r.imported_ns) mod->imported_ns.push_back(cx.model.keep(ns));
    mod->dev_table = std::move(r.dev_table);
    mod->srcversion = std::move(r.srcversion);
    for (auto& d : r.declared) {
      emit_until(d.at);
      if (d.namespace_only) set_export_namespace(cx, d.e.name, d.e.ns);
      else add_export(cx, d.e.name, *mod, d.e.gpl_only, d.e.ns, d.e.is_func);
    }
    for (const auto& [name, weak] : r.unresolved) cx.model.add_unresolved(name, *mod, weak);
    set_crcs(cx.model, *mod, r.symvers);
  }
  emit_until(text.size());
  if (r.stop) std::rethrow_exception(r.stop);
}

void read_objects(Context& cx, const std::vector<std::string>& paths) {
  // A window of objects is scanned by two threads, then applied in order; the window keeps
  // what waits to be applied small.
  constexpr std::size_t kWindow = 64;
  const bool two = paths.size() > 1 && std::thread::hardware_concurrency() > 1;
  for (std::size_t start = 0; start < paths.size(); start += kWindow) {
    const std::size_t n = std::min(kWindow, paths.size() - start);
    std::vector<std::optional<ObjectScan>> scans(n);
    auto work = [&](std::size_t first, std::size_t step) {
      for (std::size_t k = first; k < n; k += step) scans[k].emplace(scan_object(cx, paths[start + k]));
    };
    if (two) {
      std::thread other(work, 1, 2);
      work(0, 2);
      other.join();
    } else {
      work(0, 1);
    }
    for (auto& s : scans) apply_object(cx, *s);
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
  std::vector<std::string> paths;
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
    paths.push_back(std::move(line));
  }
  read_objects(cx, paths);
}

}  // namespace modforge::modpost
