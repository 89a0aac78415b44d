// Module.symvers in (-i, read_dump) and out (-o, write_dump), and the -d list of
// namespaces each module uses without importing them (write_namespace_deps_files).
#pragma once
#include <string>

#include "modpost/context.h"

namespace modforge::modpost {

void read_dump(Context& cx, const std::string& path);
void write_dump(Context& cx, const std::string& path);
void write_namespace_deps(Context& cx, const std::string& path);

}  // namespace modforge::modpost
