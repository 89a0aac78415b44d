// What depmod takes from one module file, read as libkmod reads it: the exported symbols
// (the __crc_ symbols, else __ksymtab_strings), the .modinfo strings and the undefined
// symbols with their __versions CRCs.  Runs on worker threads: no shared state.
#pragma once
#include "core/fd_io.h"
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace modforge::loader::depmod {

struct ExportedSymbol {
  std::string name;
  uint64_t crc = 0;
};

struct NeededSymbol {
  std::string name;
  uint64_t crc = 0;
  bool weak = false;
};

struct ModuleData {
  // 0, or the errno kmod reports in "failed to load symbols from PATH: ..." (the file could
  // not be opened, decompressed or parsed as ELF, or __ksymtab_strings is malformed).
  int symbols_error = 0;
  std::vector<ExportedSymbol> exports;
  std::vector<std::string> aliases;   // .modinfo alias= values, in file order
  std::vector<std::string> softdeps;  // .modinfo softdep= values
  std::vector<NeededSymbol> needed;   // .symtab undefined symbols, then unmatched __versions
};

// Buffers a worker thread reuses from one module to the next (no allocation, zero fill or
// mmap/munmap per file: unmapping in a threaded process costs every core a TLB flush).
using modforge::ReadBuffer;

struct ReadBuffers {
  ReadBuffer file, image;
};

ModuleData read_module(const std::string& path, ReadBuffers& buffers);
// The same from a module's bytes already in memory: what read_module would have read, i.e.
// decompressed when it is xz or zstd (kmod 30 reads a gzip file as it is).
ModuleData read_module_image(std::string_view image);

}  // namespace modforge::loader::depmod
