// The files depmod writes, each built in memory in kmod's order and format.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "loader/depmod/model.h"

namespace modforge::loader::depmod {

struct OutputFile {
  const char* name;
  bool binary;  // the .bin indexes are not written with -n
  std::string (*make)(const State&);
};

// In kmod's order: dep, dep.bin, alias, alias.bin, softdep, symbols, symbols.bin,
// builtin.bin, builtin.alias.bin, devname.
const std::vector<OutputFile>& output_files();

}  // namespace modforge::loader::depmod
