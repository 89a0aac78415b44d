// layout-sizes: the sizes the kernel would give each module, one line per file.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace modforge::loader::layout {

// args without argv[0]:
//   --kernel 6.1|6.12 --config DOT_CONFIG [--ignore-modversions] [--features] MODULE...
// prints "MODULE<TAB>core<TAB>init<TAB>core_margin" per module (margin -1 when none);
// --features adds the counts a sample should spread over: allocated .init* sections,
// .data..ro_after_init, __jump_table, .data..percpu (0/1 each), symbols.
// Returns 0, or 1 after a one-line message naming the file for a bad option or module
// (the other modules are still printed).
int layout_sizes_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace modforge::loader::layout
