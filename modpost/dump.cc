#include "modpost/dump.h"

#include <cstdio>

#include "core/symvers.h"
#include "modpost/exports.h"

namespace modforge::modpost {

namespace {

// Records each line as it is read, each message where the real tool prints it.
struct DumpReader : SymversVisitor {
  Context& cx;
  explicit DumpReader(Context& c) : cx(c) {}
  void diagnostic(const SymversDiagnostic& d) override { cx.report.error(d.message); }
  void entry(const SymversEntry& e) override {
    Module* mod = cx.model.find_module(e.module);
    if (!mod) {
      mod = &cx.model.new_module(e.module);
      mod->from_dump = true;
    }
    Symbol& s = add_export(cx, e.symbol, *mod, e.gpl_only, cx.rules.namespace_from_kstrtabns ? "" : e.ns, false);
    s.crc = e.crc;
    s.crc_valid = true;
    if (cx.rules.namespace_from_kstrtabns) set_export_namespace(cx, e.symbol, e.ns);
  }
};

}  // namespace

void read_dump(Context& cx, const std::string& path) {
  const TextFile file = read_text_file(cx.report, path);
  const std::string_view text = file.text;
  DumpReader reader(cx);
  try {
    scan_symvers(text, path, reader);
  } catch (const SymversParseError&) {
    cx.report.fatal(std::string(kSymversParseError) + "\n");
  }
}

void write_dump(Context& cx, const std::string& path) {
  std::string out;
  for (const Module& mod : cx.model.modules()) {
    if (mod.from_dump) continue;
    for (const Symbol* s : mod.exported) {
      if (cx.opts.trim_unused_exports && !s->used) continue;
      char crc[16];
      std::snprintf(crc, sizeof crc, "0x%08x", s->crc);
      out.append(crc).append("\t").append(s->name).append("\t").append(mod.name).append("\tEXPORT_SYMBOL");
      out.append(s->gpl_only ? "_GPL" : "").append("\t").append(s->ns).append("\n");
    }
  }
  write_buf(cx, path, out);
}

void write_namespace_deps(Context& cx, const std::string& path) {
  std::string out;
  for (const Module& mod : cx.model.modules()) {
    if (mod.from_dump || mod.missing_ns.empty()) continue;
    out.append(mod.name).append(".ko:");
    for (std::string_view ns : mod.missing_ns) out.append(" ").append(ns);
    out.append("\n");
  }
  write_if_changed(cx, path, out);
}

}  // namespace modforge::modpost
