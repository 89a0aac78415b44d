// What the module's init function returns, read from its machine code.  The emulator
// runs no code, but an init that prints and returns a constant (the corpus' failing-init
// modules) is straight-line code: endbr64, call __fentry__, argument set-up, calls,
// "mov $imm32,%eax" or "xor %eax,%eax", then ret or jmp __x86_return_thunk.  Such a
// function's constant is what init returns; any other code (branches, a returned call
// result) is taken to return 0, which is what working modules do.
#pragma once

#include <vector>

#include "loader/kernel/module_view.h"

namespace modforge::loader::kernel {

struct InitInfo {
  bool has_init = false, has_exit = false;  // struct module's init/exit are set
  int ret = 0;
  // False when init is not straight-line code: its return then depends on what it runs
  // (hardware, other code), and `ret` 0 is only the working module's usual answer.
  bool evaluated = true;
};

// With `ptrs`: struct module's init and exit as the relocations left them (the kernel
// calls whatever they point at; a pointer that is 0 is no function); the init function is
// the defined function symbol at that address (`sym_values`: each symbol's address).
// Without: the relocations of .gnu.linkonce.this_module naming init_module/cleanup_module.
struct InitPointers {
  uint64_t init = 0, exit = 0;
  const std::vector<uint64_t>* sym_values = nullptr;
};
InitInfo init_info(const ModuleView& m, const InitPointers* ptrs = nullptr);

// The defined function symbol at `addr` (an index into the symbol table), or 0.
std::size_t function_at(const ModuleView& m, const std::vector<uint64_t>& sym_values, uint64_t addr);

}  // namespace modforge::loader::kernel
