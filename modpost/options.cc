#include "modpost/options.h"

#include "core/cli.h"

namespace modforge::modpost {

namespace {

std::vector<cli::OptionSpec> specs_from(std::string_view optstring) {
  std::vector<cli::OptionSpec> specs;
  for (std::size_t i = 0; i < optstring.size(); ++i) {
    const bool value = i + 1 < optstring.size() && optstring[i + 1] == ':';
    specs.push_back({optstring[i], "", value});
    if (value) ++i;
  }
  return specs;
}

}  // namespace

Options parse_options(const std::vector<std::string>& args, const Rules& rules, std::string& error) {
  const auto specs = specs_from(rules.optstring);
  cli::Parsed parsed = cli::parse(args, specs);
  Options o;
  if (!parsed.error.empty()) {
    error = parsed.error;
    return o;
  }
  for (const cli::OptionUse& u : parsed.uses) {
    switch (u.key) {
      case 'e': o.external_module = true; break;
      case 'i': o.dumps.push_back(u.value); break;
      case 'M': o.module_enabled = true; break;
      case 'm': o.modversions = true; break;
      case 'n': o.ignore_missing_files = true; break;
      case 'o': o.dump_write = u.value; break;
      case 'a': o.all_versions = true; break;
      case 'T': o.files_source = u.value; break;
      case 't': o.trim_unused_exports = true; break;
      case 'u': o.unused_whitelist = u.value; break;
      case 'W': o.extra_warn = true; break;
      case 'w': o.warn_unresolved = true; break;
      case 'E': o.sec_mismatch_warn_only = false; break;
      case 'N': o.allow_missing_ns_imports = true; break;
      case 'd': o.ns_deps = u.value; break;
      default: break;
    }
  }
  o.objects = std::move(parsed.operands);
  return o;
}

}  // namespace modforge::modpost
