#include "modpost/dump.h"

#include <cstdio>

#include "core/symvers.h"
#include "modpost/exports.h"

namespace modforge::modpost {

namespace {

// Records the lines of a parsed dump, each message where the real tool prints it.
void apply(Context& cx, const SymversFile& f) {
  std::size_t d = 0;
  auto flush_until = [&](std::size_t line) {
    for (; d < f.diagnostics.size() && f.diagnostics[d].line < line; ++d) cx.report.error(f.diagnostics[d].message);
  };
  for (const SymversEntry& e : f.entries) {
    flush_until(e.line);
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
  flush_until(~std::size_t{0});
}

}  // namespace

void read_dump(Context& cx, const std::string& path) {
  const std::string text = read_text_file(cx, path);
  try {
    apply(cx, parse_symvers(text, path));
  } catch (const SymversParseError& e) {
    // the lines before the bad one were taken, with their messages, before the real tool
    // stopped: take them again from the text that parses
    std::size_t cut = 0;
    for (std::size_t line = 1; line < e.line(); ++line) cut = text.find('\n', cut) + 1;
    apply(cx, parse_symvers(std::string_view(text).substr(0, cut), path));
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
