#include "modpost/checks.h"

namespace modforge::modpost {

void check_exports(Context& cx, Module& mod) {
  for (Symbol* s : mod.unresolved) {
    Symbol* exp = cx.model.find(s->name);
    if (!exp) {
      if (!s->weak && cx.nr_unresolved++ < kMaxUnresolvedReports)
        cx.report.log(!cx.opts.warn_unresolved, "\"" + std::string(s->name) + "\" [" + mod.name + ".ko] undefined!\n");
      continue;
    }
    if (exp->module == &mod) {
      cx.report.error("\"" + std::string(s->name) + "\" [" + mod.name + ".ko] was exported without definition\n");
      continue;
    }
    exp->used = true;
    s->module = exp->module;
    s->crc_valid = exp->crc_valid;
    s->crc = exp->crc;
    const std::string base(base_name(mod.name));
    if (!exp->ns.empty() && !contains_ns(mod.imported_ns, exp->ns)) {
      cx.report.log(!cx.opts.allow_missing_ns_imports, "module " + base + " uses symbol " + std::string(exp->name) +
                                                           " from namespace " + std::string(exp->ns) +
                                                           ", but does not import it.\n");
      if (!contains_ns(mod.missing_ns, exp->ns)) mod.missing_ns.push_back(exp->ns);
    }
    if (!mod.gpl_compatible && exp->gpl_only)
      cx.report.error("GPL-incompatible module " + base + ".ko uses GPL-only symbol '" + std::string(exp->name) + "'\n");
  }
}

void check_modname_len(Context& cx, const Module& mod) {
  if (base_name(mod.name).size() >= kModuleNameLen)
    cx.report.error("module name is too long [" + mod.name + ".ko]\n");
}

void mark_whitelisted_exports(Context& cx, const std::string& path) {
  const TextFile file = read_text_file(cx.report, path);
  const std::string_view text = file.text;
  std::size_t pos = 0;
  for (;;) {  // strsep(): the piece after the last "\n" counts too
    const std::size_t nl = text.find('\n', pos);
    const std::string_view name = std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (Symbol* s = cx.model.find(name)) s->used = true;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
}

}  // namespace modforge::modpost
