#include "loader/module/kofile.h"

#include <cstring>

#include "core/decompress.h"
#include "core/error.h"
#include "core/input.h"

namespace modforge::loader {

namespace {
// struct modversion_info: unsigned long crc; char name[64 - sizeof(unsigned long)].
constexpr std::size_t kVersionEntrySize = 64;
}  // namespace

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
  if (auto info = elf_->section_contents(".modinfo")) {
    std::string_view rest = *info;
    while (!rest.empty()) {
      std::size_t end = rest.find('\0');
      std::string_view s = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      if (s.empty()) continue;
      std::size_t eq = s.find('=');
      if (eq == std::string_view::npos)
        modinfo_.push_back({s, {}});
      else
        modinfo_.push_back({s.substr(0, eq), s.substr(eq + 1)});
    }
  }
  if (auto v = elf_->section_contents("__versions")) {
    for (std::size_t off = 0; off + kVersionEntrySize <= v->size(); off += kVersionEntrySize) {
      VersionEntry e;
      std::memcpy(&e.crc, v->data() + off, sizeof e.crc);
      std::string_view field = v->substr(off + sizeof e.crc, kVersionEntrySize - sizeof e.crc);
      e.name = field.substr(0, field.find('\0'));
      versions_.push_back(e);
    }
  }
}

std::optional<std::string_view> KoFile::modinfo_value(std::string_view key) const {
  for (const ModinfoEntry& e : modinfo_)
    if (e.key == key) return e.value;
  return std::nullopt;
}

}  // namespace modforge::loader
