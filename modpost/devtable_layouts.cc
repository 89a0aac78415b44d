// The generated per-version tables (gen-devtable-layouts.sh) as Layout values.
#include "modpost/devtable_layout.h"

#include <cstdlib>

namespace modforge::modpost::devtable {
namespace {

Layout layout_6_1() {
  Layout L;
#include "modpost/devtable_layout_6_1.inc"
  return L;
}

Layout layout_6_12() {
  Layout L;
#include "modpost/devtable_layout_6_12.inc"
  return L;
}

}  // namespace

const Layout& layout(Kernel kernel) {
  static const Layout v6_1 = layout_6_1(), v6_12 = layout_6_12();
  return per_kernel(kernel, v6_1, v6_12);
}

}  // namespace modforge::modpost::devtable
