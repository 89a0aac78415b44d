#include "loader/kmod/elf.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <string>

namespace modforge::loader::kmod {

namespace {
constexpr std::size_t kIdent = 16;  // EI_NIDENT
}

uint64_t ModuleElf::field(std::string_view b, std::size_t at, std::size_t n) const {
  uint64_t v = 0;
  if (!msb_ && std::endian::native == std::endian::little) {
    std::memcpy(&v, b.data() + at, n);  // the common case: an x86-64 module on x86-64
    return v;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const uint64_t byte = static_cast<unsigned char>(b[at + i]);
    v |= byte << (8 * (msb_ ? n - 1 - i : i));
  }
  return v;
}

int ModuleElf::open(ByteSource& src) {
  src_ = &src;
  count_ = 0;
  table_ = names_ = {};
  found_.clear();
  const uint64_t size = src.size();
  // elf_identify
  if (size <= kIdent) return ENOEXEC;
  const std::string_view ehdr = src.at(0, std::min<uint64_t>(size, 64));
  if (ehdr.size() <= kIdent || ehdr.substr(0, 4) != std::string_view("\x7f" "ELF", 4)) return ENOEXEC;
  const unsigned char cls = static_cast<unsigned char>(ehdr[4]), data = static_cast<unsigned char>(ehdr[5]);
  if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) return EINVAL;
  is64_ = cls == 2;
  msb_ = data == 2;
  const std::size_t ehsize = is64_ ? 64 : 52, shsize = is64_ ? 64 : 40;
  if (size <= ehsize || ehdr.size() < ehsize) return EINVAL;
  const uint64_t shoff = is64_ ? field(ehdr, 40, 8) : field(ehdr, 32, 4);
  const uint64_t entsize = field(ehdr, is64_ ? 58 : 46, 2);
  count_ = field(ehdr, is64_ ? 60 : 48, 2);
  const uint64_t strndx = field(ehdr, is64_ ? 62 : 50, 2);
  if (entsize != shsize) return EINVAL;
  if (ehsize + shsize * count_ >= size) return EINVAL;
  // The part of the section header table that lies in the file, read at once.
  if (shoff < size) table_ = src.at(shoff, std::min<uint64_t>(size - shoff, shsize * count_));
  if (strndx == 0 || strndx >= count_) return EINVAL;
  const auto strs = header(strndx);
  if (!strs) return EINVAL;
  names_ = src.at(strs->offset, strs->size);
  if (names_.empty() || names_.back() != '\0') return EINVAL;
  return 0;
}

std::optional<SectionHeader> ModuleElf::header(uint64_t i) const {
  const std::size_t shsize = is64_ ? 64 : 40;
  if (i >= count_ || (i + 1) * shsize > table_.size()) return std::nullopt;
  const std::string_view e = table_.substr(i * shsize, shsize);
  SectionHeader h;
  h.name = static_cast<uint32_t>(field(e, 0, 4));
  h.type = static_cast<uint32_t>(field(e, 4, 4));
  h.offset = is64_ ? field(e, 24, 8) : field(e, 16, 4);
  h.size = is64_ ? field(e, 32, 8) : field(e, 20, 4);
  const uint64_t size = src_->size();
  if (h.offset > size || h.size > size - h.offset) return std::nullopt;  // not in the file
  return h;
}

std::optional<std::string_view> ModuleElf::section(std::string_view name) {
  for (const auto& [n, contents] : found_)
    if (n == name) return contents.data() ? std::optional(contents) : std::nullopt;
  std::optional<std::string_view> result;
  const std::size_t shsize = is64_ ? 64 : 40;
  for (uint64_t i = 1; i < count_ && !result; ++i) {
    // The name first (cheap), then whether the section lies in the file: the first section
    // that passes both wins.
    if ((i + 1) * shsize > table_.size()) break;
    const uint64_t nameoff = field(table_, i * shsize, 4);
    if (nameoff >= names_.size()) continue;
    const char* n = names_.data() + nameoff;  // NUL-terminated: the table ends with a NUL
    if (std::strlen(n) != name.size() || std::memcmp(n, name.data(), name.size()) != 0) continue;
    const auto h = header(i);
    if (!h) continue;
    result = src_->at(h->offset, h->size);
    if (!result->data()) result = std::string_view("", 0);  // found, even if empty
  }
  found_.emplace_back(name, result.value_or(std::string_view()));
  return result;
}

std::vector<std::string_view> section_strings(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty() && s.front() == '\0' && s.size() > 1) s.remove_prefix(1);
  if (s.size() <= 1) return out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t end = s.find('\0', i);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(i, end - i));
    i = end;
    while (i < s.size() && s[i] == '\0') ++i;
  }
  return out;
}

std::vector<VersionEntry> version_entries(std::string_view v) {
  std::vector<VersionEntry> out;
  out.reserve(v.size() / kVersionEntrySize);
  for (std::size_t off = 0; off + kVersionEntrySize <= v.size(); off += kVersionEntrySize) {
    VersionEntry e;
    for (std::size_t i = 0; i < 8; ++i) e.crc |= uint64_t{static_cast<unsigned char>(v[off + i])} << (8 * i);
    const std::string_view field = v.substr(off + 8, kVersionEntrySize - 8);
    e.name = field.substr(0, field.find('\0'));
    out.push_back(e);
  }
  return out;
}

}  // namespace modforge::loader::kmod
