// Device-table aliases: what the real modpost's file2alias.c appends to a module's
// dev_table_buf (later written into the .mod.c after a "\n") for each
// __mod_<bus>__<identifier>_device_table symbol, for the buses each kernel version knows.
#pragma once
#include <string>
#include <string_view>

#include "core/elf.h"
#include "core/kernel.h"
#include "modpost/report.h"

namespace modforge::modpost {

// `symname` is the symbol's name after modpost's remove_dot(). If the symbol names a device
// table (__mod_<type>__<identifier>_device_table, an STT_OBJECT in a real section), appends
// the MODULE_ALIAS lines for it to `aliases`, byte for byte as the real file2alias appends to
// the module's dev_table_buf.  `modname` is the module's name as modpost holds it (the .o
// path without ".o").  Diagnostics go to `report` with the real texts; a fatal one throws
// Fatal (as do the cases where the real tool would read outside the file).
void handle_device_table(const elf::ElfFile& elf, const elf::Symbol& sym, std::string_view symname,
                         std::string_view modname, Kernel kernel, Report& report, std::string& aliases);

// The bus name of a device-table symbol name (the <type> of
// __mod_<type>__<identifier>_device_table), or "" when the name has not that form.
std::string_view device_table_bus(std::string_view symname);

}  // namespace modforge::modpost
