// A kernel module file (.ko, .ko.xz, .ko.zst, .ko.gz) read whole, for the commands and the
// layout tools: the decompressed image, its full ELF view (LLVM Object, through core/elf)
// and the two tables read through kmod's reader (loader/kmod/elf.h): .modinfo ("key=value"
// strings) and __versions (CRC + symbol name).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "core/elf.h"
#include "loader/kmod/elf.h"
#include "loader/kmod/modinfo.h"

namespace modforge::loader::kmod {

class KoFile {
public:
  // Reads and decompresses `path`.  Throws Error("<path>: <cause>"), also when kmod's
  // reader refuses the file (kmod_elf_new).
  static KoFile open(const std::string& path);
  // `bytes` may be compressed; `name` names the file in messages.
  static KoFile from_bytes(std::string bytes, std::string name);

  KoFile(KoFile&&) noexcept;
  KoFile& operator=(KoFile&&) noexcept;
  ~KoFile();

  const std::string& name() const { return name_; }
  std::string_view image() const { return image_; }  // decompressed bytes
  const elf::ElfFile& elf() const { return *elf_; }

  // .modinfo in file order (kmod_elf_get_strings: runs of NULs separate the strings).
  const std::vector<ModinfoEntry>& modinfo() const { return modinfo_; }
  // The first value of `key`, if any.
  std::optional<std::string_view> modinfo_value(std::string_view key) const;
  // __versions entries in file order (empty without the section).
  const std::vector<VersionEntry>& versions() const { return versions_; }

private:
  KoFile() = default;
  void load();
  std::string name_;
  std::string image_;
  std::unique_ptr<elf::ElfFile> elf_;
  std::vector<ModinfoEntry> modinfo_;
  std::vector<VersionEntry> versions_;
};

}  // namespace modforge::loader::kmod
