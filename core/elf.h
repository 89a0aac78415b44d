// A read-only view of an x86-64 ELF relocatable object (.o, .ko) over LLVM's Object
// library.  The file is mapped once; every name and every section's bytes are views into
// that mapping, valid while the ElfFile lives.  Opening validates the whole section and
// symbol tables, so the accessors never fail afterwards.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace modforge::elf {

struct Section {
  uint32_t index = 0;
  std::string_view name;
  uint32_t type = 0;  // SHT_*
  uint64_t flags = 0; // SHF_*
  uint64_t addr = 0, offset = 0, size = 0, entsize = 0, addralign = 0;
  uint32_t link = 0, info = 0;
  std::string_view contents;  // empty for SHT_NOBITS, whose size takes no file space
};

struct Symbol {
  uint32_t index = 0;  // position in .symtab, as relocations refer to it
  std::string_view name;
  uint64_t value = 0, size = 0;
  // st_shndx with SHN_XINDEX resolved through .symtab_shndx; the reserved values
  // (SHN_UNDEF, SHN_ABS, SHN_COMMON) are kept as they are.
  uint32_t section_index = 0;
  std::string_view section_name;  // empty unless section_index names a real section
  uint8_t binding = 0;            // STB_*
  uint8_t type = 0;               // STT_*
  uint8_t other = 0;              // st_other (visibility)
  bool undefined() const { return section_index == 0; }
};

// One entry of a SHT_RELA or SHT_REL section.  REL entries carry no addend field (the
// implicit addend sits in the bytes being relocated), so theirs reads 0.
struct Relocation {
  uint64_t offset = 0;  // r_offset
  uint32_t type = 0;    // ELF64_R_TYPE(r_info)
  uint32_t symbol = 0;  // ELF64_R_SYM(r_info): an index into symbols(), unchecked
  int64_t addend = 0;   // r_addend
};

class ElfFile {
public:
  // Throws modforge::Error("<path>: <cause>") when the file cannot be read, is not ELF,
  // is not 64-bit little-endian x86-64, or its tables do not fit in the file.
  static ElfFile open(const std::string& path);
  // The same checks over bytes the caller keeps alive (e.g. a decompressed .ko).
  static ElfFile from_bytes(std::string_view bytes, const std::string& name);

  ElfFile(ElfFile&&) noexcept;
  ElfFile& operator=(ElfFile&&) noexcept;
  ~ElfFile();

  const std::string& path() const { return path_; }
  uint16_t elf_type() const { return elf_type_; }  // ET_REL for objects and modules
  std::string_view bytes() const { return bytes_; }

  // Index 0 is the null section / null symbol, so positions equal ELF indices.
  std::span<const Section> sections() const { return sections_; }
  std::span<const Symbol> symbols() const { return symbols_; }
  const Section* section(std::string_view name) const;  // the first of that name
  std::optional<std::string_view> section_contents(std::string_view name) const;

  // The entries of a SHT_RELA or SHT_REL section in file order (empty for any other
  // type), read by LLVM from the mapping.  Opening does not look at relocation
  // sections, so this throws modforge::Error("<path>: <cause>") when one is malformed
  // (entry size, size not a multiple of it).  The second form reuses `out`'s storage.
  std::vector<Relocation> relocations(const Section& s) const;
  void relocations(const Section& s, std::vector<Relocation>& out) const;

private:
  struct Buffer;  // the LLVM MemoryBuffer, kept out of this header
  ElfFile() = default;
  void load(std::string_view bytes);

  std::unique_ptr<Buffer> buffer_;
  std::string path_;
  std::string_view bytes_;
  uint16_t elf_type_ = 0;
  std::vector<Section> sections_;
  std::vector<Symbol> symbols_;
};

}  // namespace modforge::elf
