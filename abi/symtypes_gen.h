// Whole-kernel symtypes and CRCs without building the kernel: GNU make evaluates the source
// tree's Makefiles under the headers tree's .config (every object of the build, built-in and
// modular, with its exact c_flags), then each object that exports symbols is preprocessed
// once, as scripts/Makefile.build's cmd_gensymtypes_{c,S} does (plus -ftrack-macro-expansion=0
// under GCC: the same output, less work), and fed to our genksyms in process, on N workers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kernel.h"

namespace modforge::abi {

struct SymtypesGenOptions {
  std::string source;   // the kernel source tree (srctree)
  std::string headers;  // the matching built headers tree: .config, include/config, generated headers
  std::string out_dir;  // <obj>.symtypes written here, under kbuild's relative paths
  std::string symvers;  // the CRC list ("0x%08x\t<symbol>\t<module>\t<object>"); empty: not written
  std::string work_dir; // the scratch objtree; empty: <out_dir>/.objtree
  std::string cc;       // the compiler; empty: the first word of CONFIG_CC_VERSION_TEXT
  unsigned jobs = 0;    // workers (and make -j); 0: the number of CPUs
  std::optional<Kernel> kernel;  // empty: from the source's VERSION / PATCHLEVEL
  std::vector<std::string> only;  // objects under these objtree paths only ("lib/", "crypto/rsa"); empty: all
  // Not empty: the preprocessor's output is piped into this (real) genksyms as scripts/Makefile.build's
  // cmd_gensymtypes_{c,S} does (-T <obj>.symtypes -r <obj>.symref or /dev/null, -R under
  // CONFIG_MODULE_REL_CRCS) instead of our genksyms in process: the same work done by the real tool,
  // for benchmarks and cross-checks.
  std::string external_genksyms;
  bool cpp_only = false;  // the preprocessor alone, its output discarded (a benchmark's floor); no outputs
};

struct GeneratedCrc {
  std::string symbol;
  std::uint32_t crc = 0;
  std::string module;  // "vmlinux" or the module's path without .ko (KBUILD_MODFILE)
  std::string object;  // the object, relative to the objtree (drivers/net/foo.o)
};

struct SymtypesGenResult {
  std::vector<GeneratedCrc> crcs;      // sorted by symbol
  std::vector<std::string> failures;   // "<object>: <what failed>" (preprocessor or genksyms)
  std::vector<std::string> make_errors;  // make's own complaints (targets it could not evaluate)
  std::size_t objects = 0;       // compiled objects make listed (C and assembler)
  std::size_t candidates = 0;    // the ones whose source mentions an export
  std::size_t exporting = 0;     // the ones genksyms found exports in
  double make_seconds = 0, gen_seconds = 0;
};

// Throws Error when the trees are not usable or make cannot evaluate them at all.
SymtypesGenResult generate_symtypes(const SymtypesGenOptions& options);

}  // namespace modforge::abi
