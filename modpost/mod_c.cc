#include "modpost/mod_c.h"

#include <cstdio>

#include "modpost/template.h"

namespace modforge::modpost {

namespace {

constexpr std::size_t kPathMax = 4096;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string hex08(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

bool kept(const Context& cx, const Symbol* s) { return !(cx.opts.trim_unused_exports && !s->used); }

// add_exported_symbols(): 6.12's KSYMTAB lines, then the CRCs under modversions
void exported_symbols(Context& cx, Module& mod, TemplateValues& v) {
  std::string ksymtab;
  if (cx.rules.ksymtab_lines) {
    ksymtab = "\n";
    for (const Symbol* s : mod.exported) {
      if (!kept(cx, s)) continue;
      ksymtab.append("KSYMTAB_").append(s->is_func ? "FUNC" : "DATA").append("(").append(s->name);
      ksymtab.append(", \"").append(s->gpl_only ? "_gpl" : "").append("\", \"").append(s->ns).append("\");\n");
    }
  }
  std::string crcs;
  if (cx.opts.modversions) {
    crcs = "\n";
    for (const Symbol* s : mod.exported) {
      if (!kept(cx, s)) continue;
      if (!s->crc_valid)
        cx.report.warn("EXPORT symbol \"" + std::string(s->name) + "\" [" + mod.name + (mod.is_vmlinux ? "" : ".ko") +
                       "] version generation failed, symbol will not be versioned.\nIs \"" + std::string(s->name) +
                       "\" prototyped in <asm/asm-prototypes.h>?\n");
      crcs.append("SYMBOL_CRC(").append(s->name).append(", ").append(hex08(s->crc)).append(", \"");
      crcs.append(s->gpl_only ? "_gpl" : "").append("\");\n");
    }
  }
  v.text["ksymtab"] = std::move(ksymtab);
  v.text["symbol_crcs"] = std::move(crcs);
}

// add_versions(): the __versions table, one entry per resolved import
std::string versions(Context& cx, Module& mod) {
  if (!cx.opts.modversions) return "";
  std::string b = "\nstatic const struct modversion_info ____versions[]\n__used __section(\"__versions\") = {\n";
  for (const Symbol* s : mod.unresolved) {
    if (!s->module) continue;
    if (!s->crc_valid) {
      cx.report.warn("\"" + std::string(s->name) + "\" [" + mod.name + ".ko] has no CRC!\n");
      continue;
    }
    if (s->name.size() >= kModuleNameLen) {
      cx.report.error("too long symbol \"" + std::string(s->name) + "\" [" + mod.name + ".ko]\n");
      break;
    }
    char crc[16];
    std::snprintf(crc, sizeof crc, "%#8x", s->crc);
    b.append("\t{ ").append(crc).append(", \"").append(s->name).append("\" },\n");
  }
  b += "};\n";
  return b;
}

// add_depends(): each module owning an import, once, in the order of first use
std::string depends(Module& mod) {
  for (const Symbol* s : mod.unresolved)
    if (s->module) s->module->seen = s->module->is_vmlinux;
  std::string d;
  bool first = true;
  for (const Symbol* s : mod.unresolved) {
    if (!s->module || s->module->seen) continue;
    s->module->seen = true;
    d.append(first ? "" : ",").append(base_name(s->module->name));
    first = false;
  }
  return d;
}

}  // namespace

void write_mod_c(Context& cx, Module& mod) {
  TemplateValues v;
  if (mod.has_init) v.flags.insert("has_init");
  if (mod.has_cleanup) v.flags.insert("has_cleanup");
  if (!cx.opts.external_module) v.flags.insert("intree");
  if (starts_with(mod.name, "drivers/staging")) v.flags.insert("staging");
  if (starts_with(mod.name, "tools/testing")) v.flags.insert("test");
  exported_symbols(cx, mod, v);
  v.text["versions"] = versions(cx, mod);
  v.text["depends"] = depends(mod);
  v.text["aliases"] = mod.dev_table;
  v.text["srcversion"] = mod.srcversion.empty() ? "" : "\nMODULE_INFO(srcversion, \"" + mod.srcversion + "\");\n";
  const std::string text = expand(template_text(cx.rules.mod_c_template), v);

  const std::string fname = mod.name + ".mod.c";
  if (fname.size() >= kPathMax) {
    cx.report.error(fname.substr(0, kPathMax - 1) + ": too long path was truncated\n");
    return;
  }
  write_if_changed(cx, fname, text);
}

void write_vmlinux_export_c(Context& cx, Module& mod) {
  TemplateValues v;
  exported_symbols(cx, mod, v);
  write_if_changed(cx, ".vmlinux.export.c", expand(template_text("vmlinux-export"), v));
}

}  // namespace modforge::modpost
