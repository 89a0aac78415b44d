// libFuzzer target for the ELF view (core/elf.h): arbitrary bytes through
// ElfFile::from_bytes, then every accessor a tool uses.  Opening may refuse the input with
// modforge::Error; anything else (a crash, a sanitizer report, another exception, an
// accessor that fails after a successful open) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/elf.h"
#include "core/error.h"

namespace {

namespace elf = modforge::elf;

// Reads every byte of a view so the sanitizers see any view that points outside the input.
unsigned touch(std::string_view s) {
  unsigned sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  return sum;
}

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  auto b = reinterpret_cast<std::uintptr_t>(whole.data()), p = reinterpret_cast<std::uintptr_t>(part.data());
  return p >= b && p - b <= whole.size() && part.size() <= whole.size() - (p - b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::optional<elf::ElfFile> file;
  try {
    file.emplace(elf::ElfFile::from_bytes(bytes, "fuzz.o"));
  } catch (const modforge::Error&) {
    return 0;
  }
  const elf::ElfFile& f = *file;
  volatile unsigned sink = 0;
  // Views must stay inside the input (names may also point at a literal "" of LLVM's).
  for (const elf::Section& s : f.sections()) {
    sink = sink + touch(s.name) + touch(s.contents);
    if (!inside(s.contents, bytes)) std::abort();
    if (s.index >= f.sections().size() || &f.sections()[s.index] != &s) std::abort();
    if (f.section(s.name) == nullptr) std::abort();
    if (!f.section_contents(s.name)) std::abort();
    std::vector<elf::Relocation> relocs;
    try {
      f.relocations(s, relocs);
    } catch (const modforge::Error&) {
      continue;  // relocation sections are validated when asked for
    }
    for (const auto& r : relocs) sink = sink + r.type + r.symbol + static_cast<unsigned>(r.offset);
  }
  for (const elf::Symbol& sym : f.symbols()) {
    sink = sink + touch(sym.name) + touch(sym.section_name);
    if (!sym.section_name.empty() && sym.section_index >= f.sections().size()) std::abort();
    if (sym.index >= f.symbols().size()) std::abort();
  }
  sink = sink + f.elf_type() + touch(f.path());
  (void)sink;
  return 0;
}
