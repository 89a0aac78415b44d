#include "loader/kmod/kofile.h"

#include <cstring>

#include "core/decompress.h"
#include "core/error.h"
#include "core/input.h"

namespace modforge::loader::kmod {

KoFile::KoFile(KoFile&&) noexcept = default;
KoFile& KoFile::operator=(KoFile&&) noexcept = default;
KoFile::~KoFile() = default;

KoFile KoFile::open(const std::string& path) {
  Input in = Input::from_path(path);
  return from_bytes(std::string(in.bytes()), path);
}

KoFile KoFile::from_bytes(std::string bytes, std::string name) {
  KoFile k;
  k.name_ = std::move(name);
  k.image_ = compression_of(bytes) == Compression::none ? std::move(bytes) : decompress(bytes, k.name_);
  k.load();
  return k;
}

void KoFile::load() {
  elf_ = std::make_unique<elf::ElfFile>(elf::ElfFile::from_bytes(image_, name_));
  MemorySource src(image_);
  ModuleElf kelf;
  if (const int err = kelf.open(src)) throw Error(name_ + ": " + std::strerror(err));
  if (auto info = kelf.section(".modinfo")) modinfo_ = modinfo_entries(*info);
  if (auto v = kelf.section("__versions")) versions_ = version_entries(*v);
}

std::optional<std::string_view> KoFile::modinfo_value(std::string_view key) const {
  for (const ModinfoEntry& e : modinfo_)
    if (e.key == key) return e.value;
  return std::nullopt;
}

}  // namespace modforge::loader::kmod
