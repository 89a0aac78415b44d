#include "loader/kernel/image.h"

#include <llvm/Object/ELF.h>

namespace modforge::loader::kernel {

Image::Image(std::string_view bytes) : bytes_(bytes), len_(bytes.size()) {
  if (!has_header()) return;
  // LLVM's ELFFile only asks that the header fits; the kernel's checks come after.
  auto elf = llvm::object::ELFFile<llvm::object::ELF64LE>::create(
      llvm::StringRef(bytes_.data(), bytes_.size()));
  if (elf) {
    header_ = elf->getHeader();
  } else {
    llvm::consumeError(elf.takeError());
    if (auto h = record<Ehdr>(0)) header_ = *h;
  }
}

void Image::read_section_headers() {
  shdrs_.clear();
  const uint64_t n = header_.e_shnum;
  auto elf = llvm::object::ELFFile<llvm::object::ELF64LE>::create(
      llvm::StringRef(bytes_.data(), bytes_.size()));
  if (elf) {
    // LLVM agrees with the kernel unless the table is misaligned or e_shnum is 0 (where
    // LLVM takes the count from section 0); then the records are read where the kernel
    // reads them.
    auto secs = elf->sections();
    if (secs && secs->size() == n) {
      shdrs_.assign(secs->begin(), secs->end());
      return;
    }
    if (!secs) llvm::consumeError(secs.takeError());
  } else {
    llvm::consumeError(elf.takeError());
  }
  shdrs_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    auto s = record<Shdr>(header_.e_shoff + i * sizeof(Shdr));
    shdrs_.push_back(s ? *s : Shdr{});
  }
}

std::string_view Image::range(uint64_t offset, uint64_t size) const {
  const uint64_t len = std::min<uint64_t>(len_, bytes_.size());
  if (offset >= len) return {};
  return bytes_.substr(offset, std::min<uint64_t>(size, len - offset));
}

std::string_view Image::string_at(const Shdr& s, uint64_t offset) const {
  if (offset >= s.sh_size && s.sh_type != llvm::ELF::SHT_NOBITS) return {};
  std::string_view r = range(s.sh_offset + offset, s.sh_size - std::min<uint64_t>(offset, s.sh_size));
  return r.substr(0, r.find('\0'));
}

std::string_view Image::section_name(std::size_t index) const {
  if (index >= shdrs_.size() || header_.e_shstrndx >= shdrs_.size()) return {};
  return string_at(shdrs_[header_.e_shstrndx], shdrs_[index].sh_name);
}

}  // namespace modforge::loader::kernel
