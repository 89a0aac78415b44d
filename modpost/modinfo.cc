#include "modpost/modinfo.h"

namespace modforge::modpost {

std::size_t Modinfo::skip(std::size_t pos, std::size_t left) const {
  // The real counter is decremented after each step and checked before it, so a string
  // that reaches the last byte of the section ends the walk.
  while (pos < data_.size() && data_[pos] != '\0') {
    ++pos;
    if (left-- <= 1) return std::string_view::npos;
  }
  while (pos < data_.size() && data_[pos] == '\0') {
    ++pos;
    if (left-- <= 1) return std::string_view::npos;
  }
  return pos < data_.size() ? pos : std::string_view::npos;
}

std::string_view Modinfo::value_at(std::size_t pos) const {
  std::string_view v = data_.substr(pos);
  return v.substr(0, v.find('\0'));
}

std::optional<std::string_view> Modinfo::scan(std::string_view tag, std::size_t pos) const {
  if (data_.empty()) return std::nullopt;
  std::size_t left = data_.size() - pos;
  while (pos != std::string_view::npos) {
    std::string_view here = data_.substr(pos);
    if (here.size() > tag.size() && here.substr(0, tag.size()) == tag && here[tag.size()] == '=')
      return value_at(pos + tag.size() + 1);
    const std::size_t next = skip(pos, left);
    if (next == std::string_view::npos) break;
    left -= next - pos;
    pos = next;
  }
  return std::nullopt;
}

std::optional<std::string_view> Modinfo::next(std::string_view tag, std::string_view prev) const {
  const std::size_t at = static_cast<std::size_t>(prev.data() - data_.data());
  const std::size_t from = skip(at, data_.size() - at);
  if (from == std::string_view::npos) return std::nullopt;
  return scan(tag, from);
}

}  // namespace modforge::modpost
