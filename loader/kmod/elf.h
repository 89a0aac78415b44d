// A module's ELF file as libkmod 30's kmod_elf reads it, for depmod, modinfo and the
// commands: the header checks of kmod_elf_new, then sections found by name (the first one
// from index 1 whose name matches and whose bytes lie in the file).  Every read is
// bounds-checked and goes through a ByteSource, so that a caller can read only the parts
// it looks at; failures are errno values, as kmod reports them.  (The emulated kernel has
// its own, deliberately unchecked view: loader/kernel/module_view.h.)
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modforge::loader::kmod {

// The bytes of a (decompressed) module, read on demand.
class ByteSource {
public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Bytes [off, off + len), which the caller keeps inside size(); the view stays valid while
  // the source is not reopened.  May be shorter when the file could not be read there.
  virtual std::string_view at(uint64_t off, uint64_t len) = 0;
};

// A module already in memory.
class MemorySource final : public ByteSource {
public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  std::string_view at(uint64_t off, uint64_t len) override { return bytes_.substr(off, len); }

private:
  std::string_view bytes_;
};

struct SectionHeader {
  uint32_t name = 0, type = 0;
  uint64_t offset = 0, size = 0;
};

class ModuleElf {
public:
  // kmod_elf_new: 0, ENOEXEC (no ELF identification: short file or bad magic) or EINVAL
  // (bad class or data encoding, header, section header table or section-name table).
  // `src` must outlive the reader.
  int open(ByteSource& src);

  bool is64() const { return is64_; }
  bool msb() const { return msb_; }
  uint64_t section_count() const { return count_; }
  // Section `i`'s header, if its entry lies in the file and its bytes too.
  std::optional<SectionHeader> header(uint64_t i) const;
  // The contents of the first section named `name` (read once, then kept).
  std::optional<std::string_view> section(std::string_view name);
  // Bytes of the file, inside its size.
  std::string_view bytes(uint64_t off, uint64_t len) { return src_->at(off, len); }
  uint64_t size() const { return src_->size(); }
  // A 1-, 2-, 4- or 8-byte field of `b` at `at`, in the file's byte order.
  uint64_t field(std::string_view b, std::size_t at, std::size_t n) const;

private:
  ByteSource* src_ = nullptr;
  bool is64_ = true, msb_ = false;
  uint64_t count_ = 0;
  std::string_view table_, names_;
  std::vector<std::pair<std::string, std::string_view>> found_;  // name, contents (absent: null)
};

// kmod_elf_get_strings: the NUL-separated strings of a section (runs of NULs separate
// them, leading ones are skipped, the last string may lack its NUL; a section of at most
// one byte after the leading NULs holds none).
std::vector<std::string_view> section_strings(std::string_view section);

// struct modversion_info (64-bit): one __versions entry.
struct VersionEntry {
  uint64_t crc = 0;       // unsigned long on x86-64
  std::string_view name;  // up to the first NUL of the 56-byte name field
};
inline constexpr std::size_t kVersionEntrySize = 64;
// The whole entries of a __versions section, in file order (a trailing partial one is left).
std::vector<VersionEntry> version_entries(std::string_view section);

}  // namespace modforge::loader::kmod
