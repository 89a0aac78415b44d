// The module image as load_module sees it: the bytes user space passed (after the kernel's
// own decompression and signature stripping), with the ELF header and the section header
// table read through LLVM Object's raw ELFFile types.  Nothing here is validated: the
// kernel's checks (elf_validity.cc) decide what is acceptable, in the kernel's order, and every
// accessor stays inside the image whatever the headers say, so a hostile file can be looked
// at without crashing.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Object/ELFTypes.h>

namespace modforge::loader::kernel {

using Ehdr = llvm::object::ELF64LE::Ehdr;
using Shdr = llvm::object::ELF64LE::Shdr;
using Sym = llvm::object::ELF64LE::Sym;
using Rela = llvm::object::ELF64LE::Rela;

class Image {
public:
  // `bytes` must outlive the Image.  Reads the header when the image holds one.
  explicit Image(std::string_view bytes);

  std::string_view bytes() const { return bytes_; }
  uint64_t len() const { return len_; }
  void set_len(uint64_t len) { len_ = len; }  // after the signature is stripped
  bool has_header() const { return len_ >= sizeof(Ehdr); }
  const Ehdr& header() const { return header_; }

  // Section headers, read once the kernel's checks say the table fits in the image.
  void read_section_headers();
  const std::vector<Shdr>& sections() const { return shdrs_; }
  std::size_t shnum() const { return shdrs_.size(); }

  // Bounded views: bytes beyond the image read as empty (the kernel would read garbage).
  std::string_view range(uint64_t offset, uint64_t size) const;
  std::string_view contents(const Shdr& s) const { return range(s.sh_offset, s.sh_size); }
  // NUL-terminated string at `offset` of section `s` (cut at the section or image end).
  std::string_view string_at(const Shdr& s, uint64_t offset) const;
  // The section name (through e_shstrndx), or "" when out of range.
  std::string_view section_name(std::size_t index) const;

  // A fixed-size LLVM ELF record at `offset` of the image, if it fits.
  template <class T>
  std::optional<T> record(uint64_t offset) const;

private:
  std::string_view bytes_;
  uint64_t len_;
  Ehdr header_{};
  std::vector<Shdr> shdrs_;
};

template <class T>
std::optional<T> Image::record(uint64_t offset) const {
  std::string_view r = range(offset, sizeof(T));
  if (r.size() != sizeof(T)) return std::nullopt;
  T t;
  __builtin_memcpy(&t, r.data(), sizeof(T));
  return t;
}

}  // namespace modforge::loader::kernel
