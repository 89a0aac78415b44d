// --build-dir: kbuild before 6.13 builds an external module only in its own directory
// (M=), so the driver gives it one: a tree of directories whose files are symbolic links
// to the sources.  Compilers follow the links; kbuild writes its outputs beside them.
#pragma once
#include <string>

namespace modforge::kbuild {

// Makes `dst` mirror `src`: a link for every source file, a directory for every
// directory; links whose source is gone are removed.  Skips kbuild's outputs in `src`,
// version-control directories and every directory holding a mirror (its marker file).
// Throws Error.
void sync_mirror(const std::string& src, const std::string& dst);

}  // namespace modforge::kbuild
