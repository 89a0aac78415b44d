// The emulated kernel's state between commands: a text file the user names, written
// atomically (a failed or interrupted command leaves the previous file as it was) and read
// back by a strict parser that refuses anything it did not write.
//
//   modforge-emulated-kernel 1
//   target <kernel 6.1|6.12> <release>
//   tainted <decimal /proc/sys/kernel/tainted>
//   once <sig notice 0|1> <livepatch notice 0|1> <lock debugging off 0|1>
//        <return-site decode warned 0|1> <missing return thunk warned 0|1>
//        <ORC sizes warned 0|1> <unpatched thunk ran 0|1> <ftrace off 0|1> <BTF warned 0|1>
//   module <name> <Live|Loading|Unloading> <taint bits> <core> <init> <init 0|1> <exit 0|1>
//          <exit runs an unpatched return thunk 0|1>
//   use <name>                       (modules this one uses, oldest first)
//   holder <name>                    (modules using this one, newest first)
//   export <symbol> <crc 0x%08x|-> <gpl 0|1> <namespace|->
//   end
//   eof
// Modules appear newest first, as in /proc/modules.
#pragma once
#include <string>
#include <string_view>

#include "loader/kernel/kernel.h"

namespace modforge::loader::kernel {

// A freshly booted target: no modules, the boot's taint mask.
State boot_state(uint64_t boot_tainted = 0);

std::string format_state(const State& s, const Target& t);
// Throws Error("<name>: line N: <cause>") on anything malformed or for another target.
State parse_state(std::string_view text, const std::string& name, const Target& t);

State read_state_file(const std::string& path, const Target& t);   // throws Error
void write_state_file(const std::string& path, const State& s, const Target& t);  // atomic

}  // namespace modforge::loader::kernel
