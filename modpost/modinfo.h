// The .modinfo section as modpost walks it: NUL-separated "tag=value" strings, with runs
// of NUL padding between them.  Values are views into the section, cut at the section end.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace modforge::modpost {

class Modinfo {
public:
  Modinfo() = default;
  explicit Modinfo(std::string_view section) : data_(section) {}

  // The first value of `tag` (get_modinfo), or the next one after `prev` (a value this
  // object returned before: get_next_modinfo).
  std::optional<std::string_view> get(std::string_view tag) const { return scan(tag, 0); }
  std::optional<std::string_view> next(std::string_view tag, std::string_view prev) const;

private:
  // next_string(): from `pos`, with `left` bytes counted from there, the start of the
  // following string, or npos when the count runs out first.
  std::size_t skip(std::size_t pos, std::size_t left) const;
  std::optional<std::string_view> scan(std::string_view tag, std::size_t pos) const;
  std::string_view value_at(std::size_t pos) const;

  std::string_view data_;
};

}  // namespace modforge::modpost
