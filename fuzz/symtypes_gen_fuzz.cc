// libFuzzer target for what generate_symtypes() (abi/symtypes_gen.h) reads back: make's
// records, a preprocessor's complaints, preprocessed assembler (both kernels' export
// lists), genksyms' #SYMVER lines, a source's text.  A crash or a sanitizer report is a
// finding, and so is a record that does not read back as written.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "abi/symtypes_gen_parse.h"

using namespace modforge::abi::symgen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, Record> records;
  parse_records(text, records);
  for (auto& [target, r] : records) {
    (void)module_of(r.c_flags);
    // One record, written back as the makefile writes it, reads back the same.
    if (r.target.find('\n') == std::string::npos && r.c_flags.find('\n') == std::string::npos) {
      std::string line = r.rule + "\t" + r.target + "\t" + r.source + "\t" + r.cpp + "\t" + r.c_flags + "\t" + r.a_flags + "\n";
      std::map<std::string, Record> back;
      parse_records(line, back);
      if (back.size() != 1 || back.begin()->second.c_flags != r.c_flags || back.begin()->second.a_flags != r.a_flags)
        std::abort();
    }
  }
  (void)module_of(text);
  (void)asm_exports(modforge::Kernel::v6_1, text);
  (void)asm_exports(modforge::Kernel::v6_12, text);
  (void)may_export_text(text);
  (void)missing_files(text);
  for (auto& [name, crc] : symver_lines(text))
    if (name.empty() && crc == 0xffffffffu) std::abort();  // keeps the loop's reads
  return 0;
}
