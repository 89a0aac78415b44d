// modpost's main(): options, inputs, checks, outputs, in the real tool's order.
#include <fstream>

#include "modpost/checks.h"
#include "modpost/context.h"
#include "modpost/dump.h"
#include "modpost/mod_c.h"
#include "modpost/modpost.h"
#include "modpost/object.h"
#include "modpost/srcversion.h"

namespace modforge::modpost {

namespace {

void run_stages(Context& cx) {
  const Options& o = cx.opts;
  for (const std::string& d : o.dumps) read_dump(cx, d);
  read_objects(cx, o.objects);
  if (o.files_source) read_object_list(cx, *o.files_source);

  if (cx.rules.check_before_writing) {
    for (Module& mod : cx.model.modules()) {
      if (mod.from_dump || mod.is_vmlinux) continue;
      check_modname_len(cx, mod);
      check_exports(cx, mod);
    }
    if (o.unused_whitelist) mark_whitelisted_exports(cx, *o.unused_whitelist);
  }
  for (Module& mod : cx.model.modules()) {
    if (mod.from_dump) continue;
    if (mod.is_vmlinux) {
      write_vmlinux_export_c(cx, mod);
      continue;
    }
    if (!cx.rules.check_before_writing) {
      check_modname_len(cx, mod);
      check_exports(cx, mod);
    }
    write_mod_c(cx, mod);
  }
  if (o.ns_deps) write_namespace_deps(cx, *o.ns_deps);
  if (o.dump_write) write_dump(cx, *o.dump_write);
  if (cx.report.section_mismatches && !o.sec_mismatch_warn_only)
    cx.report.error("Section mismatches detected.\nSet CONFIG_SECTION_MISMATCH_WARN_ONLY=y to allow them.\n");
  if (cx.nr_unresolved > kMaxUnresolvedReports)
    cx.report.warn("suppressed " + std::to_string(cx.nr_unresolved - kMaxUnresolvedReports) +
                   " unresolved symbol warnings because there were too many)\n");
}

}  // namespace

int run(const std::vector<std::string>& args, Kernel kernel, std::string_view stdin_text, Streams& io) {
  Context cx{kernel, rules_for(kernel), {}, Report(kernel), {}, stdin_text};
  std::string bad;
  cx.opts = parse_options(args, cx.rules, bad);
  if (!bad.empty()) {
    io.err += bad + "\n";
    return 1;
  }
  try {
    run_stages(cx);
  } catch (const Fatal&) {
    io.err += cx.report.text();
    return 1;
  } catch (const Crash& c) {
    // 6.1's srcversion frees a moved pointer on one malformed input and glibc aborts it;
    // ours prints glibc's words and ends with the status a shell shows for that death,
    // without dying.
    io.err += cx.report.text();
    return c.exit_code();
  }
  io.err += cx.report.text();
  return cx.report.failed() ? 1 : 0;
}

Kernel detect_kernel(const std::string& release_file) {
  std::ifstream f(release_file);
  std::string release;
  if (f && std::getline(f, release)) {
    if (release.rfind("6.1.", 0) == 0 || release == "6.1") return Kernel::v6_1;
  }
  return Kernel::v6_12;
}

}  // namespace modforge::modpost
