#include "loader/layout/sizes_cli.h"

#include <array>

#include "core/cli.h"
#include "core/error.h"
#include "core/input.h"
#include "loader/layout/layout.h"
#include "loader/kmod/kofile.h"

namespace modforge::loader::layout {

namespace {

// What a sample of modules should cover: allocated .init sections, ro_after_init data,
// jump tables, per-cpu data, the symbol count.
void print_features(const elf::ElfFile& f, std::ostream& out) {
  constexpr uint64_t SHF_ALLOC = 2;
  int init = 0;
  bool ro_after_init = false, jump_table = false, percpu = false;
  for (const auto& s : f.sections()) {
    if (!(s.flags & SHF_ALLOC)) continue;
    if (s.name.substr(0, 5) == ".init") ++init;
    ro_after_init |= s.name == ".data..ro_after_init";
    jump_table |= s.name == "__jump_table";
    percpu |= s.name == ".data..percpu";
  }
  out << '\t' << init << '\t' << ro_after_init << '\t' << jump_table << '\t' << percpu << '\t' << f.symbols().size();
}

}  // namespace

int layout_sizes_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  static const std::array<cli::OptionSpec, 4> specs{{
      {'k', "kernel", true},
      {'c', "config", true},
      {0, "ignore-modversions", false},
      {0, "features", false},
  }};
  std::vector<std::string> argv{"layout-sizes"};
  argv.insert(argv.end(), args.begin(), args.end());
  cli::Parsed p = cli::parse(argv, specs);
  if (!p.error.empty()) {
    err << p.error << '\n';
    return 1;
  }
  std::optional<Kernel> kernel;
  std::string config_path;
  LoadFlags flags;
  bool features = false;
  for (const auto& u : p.uses) {
    if (u.key == 'k') {
      kernel = parse_kernel(u.value);
      if (!kernel) {
        err << "layout-sizes: unknown kernel version '" << u.value << "' (choose 6.1 or 6.12)\n";
        return 1;
      }
    } else if (u.key == 'c') {
      config_path = u.value;
    } else if (u.long_name == "ignore-modversions") {
      flags.ignore_modversions = true;
    } else if (u.long_name == "features") {
      features = true;
    }
  }
  if (!kernel || config_path.empty()) {
    err << "layout-sizes: --kernel and --config are required\n";
    return 1;
  }
  LayoutConfig cfg;
  try {
    Input in = Input::from_path(config_path);
    cfg = layout_config_from(std::string(in.bytes()), *kernel);
  } catch (const Error& e) {
    err << "layout-sizes: " << e.what() << '\n';
    return 1;
  }
  int rc = 0;
  for (const auto& path : p.operands) {
    try {
      kmod::KoFile ko = kmod::KoFile::open(path);
      ModuleSizes s = module_sizes(ko.elf(), cfg, flags);
      out << path << '\t' << s.core << '\t' << s.init << '\t'
          << (s.core_margin == UINT32_MAX ? -1 : int64_t(s.core_margin));
      if (features) print_features(ko.elf(), out);
      out << '\n';
    } catch (const Error& e) {
      err << "layout-sizes: " << e.what() << '\n';
      rc = 1;
    }
  }
  return rc;
}

}  // namespace modforge::loader::layout
