// `modforge check abi`: the two sides' Module.symvers and what differs between them.
// A side is a Module.symvers file (or one compressed with gzip, xz or zstd, as distributions
// ship /boot/symvers-<release>.gz), a headers tree (its Module.symvers), or a headers .deb
// (unpacked on the fly, as `check load` unpacks its targets).
//
// Which differences break the ABI (SymbolChange::breaks, before any waiver):
//   removed                       a break: modules using it no longer load
//   crc                           a break: modules built against the old CRC are refused
//   export-type to _GPL           a break: non-GPL modules lose the symbol
//   export-type _GPL -> plain     not a break: every module that could use it still can
//   namespace added or changed    a break: modules that do not import the new namespace are refused
//   namespace removed             not a break: an import of a namespace nothing uses only warns
//   module (moved)                not a break by itself (depmod follows it); reported
//   added                         not a break
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "abi/abi_diff.h"
#include "abi/check_target.h"
#include "core/symvers.h"

namespace modforge::abi {

// One side, read: the file's text stays here because the entries point into it.
struct SymversSide {
  std::string given;   // as the user named it
  std::string path;    // the Module.symvers read (inside the unpacked package for a .deb)
  std::string text;
  SymversFile file;
  std::unique_ptr<TempDir> unpacked;
};

// Throws Error("<arg>: <cause>"): missing, unreadable, malformed (modpost's own parse error
// or a line it would skip), or without a single export — an empty baseline would make every
// symbol "added" and pass, so it is an input error, never a pass.
std::unique_ptr<SymversSide> open_symvers_side(const std::string& arg);

// Fills diff.changes (sorted by symbol, then kind) from the two files.  Within one file a
// symbol listed twice keeps its first line (modpost writes each once).
void diff_symvers(const SymversFile& old_file, const SymversFile& new_file, AbiDiff& diff);

}  // namespace modforge::abi
