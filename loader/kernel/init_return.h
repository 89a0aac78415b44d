// What the module's init function returns, read from its machine code.  The emulator
// runs no code, but an init that prints and returns a constant (the corpus' failing-init
// modules) is straight-line code: endbr64, call __fentry__, argument set-up, calls,
// "mov $imm32,%eax" or "xor %eax,%eax", then ret or jmp __x86_return_thunk.  Such a
// function's constant is what init returns; any other code (branches, a returned call
// result) is taken to return 0, which is what working modules do.
#pragma once

#include "loader/kernel/module_view.h"

namespace modforge::loader::kernel {

struct InitInfo {
  bool has_init = false, has_exit = false;  // struct module's init/exit are set
  int ret = 0;
};

InitInfo init_info(const ModuleView& m);

}  // namespace modforge::loader::kernel
