// The lines of a text, without their '\n' (a last line without one still counts; an
// empty text has none): for (std::string_view line : Lines(text)).
#pragma once
#include <cstddef>
#include <string_view>

namespace modforge {

class Lines {
public:
  explicit Lines(std::string_view text) : text_(text) {}

  class iterator {
  public:
    iterator(std::string_view text, std::size_t pos) : text_(text), pos_(pos) { find_end(); }
    std::string_view operator*() const { return text_.substr(pos_, end_ - pos_); }
    iterator& operator++() {
      pos_ = end_ + 1;
      find_end();
      return *this;
    }
    bool operator!=(const iterator& o) const { return pos_ != o.pos_; }

  private:
    void find_end() {
      if (pos_ >= text_.size()) {
        pos_ = end_ = text_.size();
        return;
      }
      end_ = text_.find('\n', pos_);
      if (end_ == std::string_view::npos) end_ = text_.size();
    }
    std::string_view text_;
    std::size_t pos_, end_ = 0;
  };

  iterator begin() const { return {text_, 0}; }
  iterator end() const { return {text_, text_.size()}; }

private:
  std::string_view text_;
};

// ASCII white space but '\n' (the line breaks are gone by then).
inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// `s` without leading and trailing blanks.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace modforge
