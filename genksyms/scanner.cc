#include "genksyms/scanner.h"

#include <array>
#include <cstdint>

namespace modforge::genksyms {

namespace {

// Character classes, one table lookup each.
enum : std::uint8_t { kIdentStart = 1, kIdent = 2, kDigit = 4, kSpace = 8 };
constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kIdentStart | kIdent;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kIdentStart | kIdent;
  t['_'] = t['$'] = kIdentStart | kIdent;
  for (int c = '0'; c <= '9'; ++c) t[c] = kIdent | kDigit;
  for (char c : {' ', '\t', '\f', '\v', '\r'}) t[static_cast<unsigned char>(c)] = kSpace;
  return t;
}();

bool is_ident_start(unsigned char c) { return kClass[c] & kIdentStart; }
bool is_ident_char(unsigned char c) { return kClass[c] & kIdent; }
bool is_digit(unsigned char c) { return kClass[c] & kDigit; }
bool is_space(unsigned char c) { return kClass[c] & kSpace; }
bool is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

// Length of the longest integer literal at s[p] ({INT} of the kernel's lex.l), 0 if none.
std::size_t int_len(std::string_view s, std::size_t p) {
  auto at = [&](std::size_t i) -> unsigned char { return i < s.size() ? s[i] : 0; };
  std::size_t j = p;
  if (at(j) == '0' && (at(j + 1) == 'x' || at(j + 1) == 'X') && is_hex(at(j + 2))) {
    j += 2;
    while (is_hex(at(j))) ++j;
  } else if (at(j) == '0') {
    ++j;
    while (at(j) >= '0' && at(j) <= '7') ++j;
  } else if (at(j) >= '1' && at(j) <= '9') {
    while (is_digit(at(j))) ++j;
  } else {
    return 0;
  }
  auto u = [](unsigned char c) { return c == 'u' || c == 'U'; };
  auto l = [](unsigned char c) { return c == 'l' || c == 'L'; };
  if (u(at(j))) j += l(at(j + 1)) ? 2 : 1;
  else if (l(at(j))) j += u(at(j + 1)) ? 2 : 1;
  return j - p;
}

// Length of the longest floating literal at s[p] ({REAL}), 0 if none.
std::size_t real_len(std::string_view s, std::size_t p) {
  auto at = [&](std::size_t i) -> unsigned char { return i < s.size() ? s[i] : 0; };
  auto exp_len = [&](std::size_t j) -> std::size_t {
    if (at(j) != 'e' && at(j) != 'E') return 0;
    std::size_t k = j + 1;
    if (at(k) == '+' || at(k) == '-') ++k;
    if (!is_digit(at(k))) return 0;
    while (is_digit(at(k))) ++k;
    return k - j;
  };
  auto fsuf = [&](std::size_t j) -> std::size_t {
    unsigned char c = at(j);
    return (c == 'f' || c == 'F' || c == 'l' || c == 'L') ? 1 : 0;
  };
  std::size_t j = p;
  while (is_digit(at(j))) ++j;
  std::size_t digits = j - p;
  if (at(j) == '.') {
    std::size_t k = j + 1;
    while (is_digit(at(k))) ++k;
    if (digits == 0 && k == j + 1) return 0;
    k += exp_len(k);
    k += fsuf(k);
    return k - p;
  }
  if (digits == 0) return 0;
  std::size_t e = exp_len(j);
  if (!e) return 0;
  j += e;
  j += fsuf(j);
  return j - p;
}

// A quoted literal (STRING or CHAR rule) starting at the quote s[p]: the length through the
// closing quote, or 0 if the rule does not match (a backslash before a newline, or no end).
std::size_t quoted_len(std::string_view s, std::size_t p) {
  const char q = s[p];
  std::size_t j = p + 1;
  while (j < s.size()) {
    char c = s[j];
    if (c == q) return j + 1 - p;
    if (c == '\\') {
      if (j + 1 >= s.size() || s[j + 1] == '\n') return 0;
      j += 2;
      continue;
    }
    ++j;
  }
  return 0;
}

bool is_mc_token(char a, char b) {
  switch (b) {
    case '=':
      switch (a) {
        case '~': case '%': case '^': case '&': case '*': case '+': case '=': case '|':
        case '<': case '>': case '/': case '-':
          return true;
      }
      break;
    case '&': return a == '&';
    case '|': return a == '|';
    case '>': return a == '-' || a == '>';
    case '<': return a == '<';
  }
  return false;
}

}  // namespace

// At the start of a line, '#' begins a line marker or a directive that runs through the
// newline.  Returns FILENAME, -1 for a directive already consumed, or 0 when neither matches.
int Scanner::match_at_line_start() {
  std::size_t nl = in_.find('\n', pos_);
  if (nl == std::string_view::npos) return 0;
  // FILENAME: #[ \t]+{INT}[ \t]+"[^"\n]+".*\n
  std::size_t j = pos_ + 1;
  bool marker = false;
  if (j < nl && is_blank(in_[j])) {
    while (j < nl && is_blank(in_[j])) ++j;
    std::size_t run = j;
    while (run < nl && !is_blank(in_[run])) ++run;
    std::size_t n = int_len(in_.substr(0, run), j);
    if (n && j + n == run && run < nl) {
      j = run;
      while (j < nl && is_blank(in_[j])) ++j;
      if (j < nl && in_[j] == '"') {
        std::size_t close = in_.find('"', j + 1);
        marker = close != std::string_view::npos && close < nl && close > j + 1;
      }
    }
  }
  text_ = in_.substr(pos_, nl + 1 - pos_);
  pos_ = nl + 1;
  at_bol_ = true;
  if (marker) return tok(FILENAME);
  ++line;
  return -1;
}

namespace {
// Bytes that matter inside a brace phrase; every other byte belongs to a token that can
// neither open nor close a brace nor hide one.  NUL ends the input, as in next().
constexpr std::array<bool, 256> kBraceStop = [] {
  std::array<bool, 256> t{};
  for (char c : {'\0', '\n', '"', '\'', '{', '}', '#'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
}  // namespace

int Scanner::skip_braces(int& depth) {
  const char* const base = in_.data();
  const std::size_t size = in_.size();
  std::size_t p = pos_;
  for (;;) {
    while (p < size && !kBraceStop[static_cast<unsigned char>(base[p])]) ++p;
    if (p >= size) {
      pos_ = p;
      text_ = {};
      return 0;
    }
    const char c = base[p];
    switch (c) {
      case '\0':  // next() returns a NUL byte as token 0, the end of the input
        pos_ = p + 1;
        text_ = in_.substr(p, 1);
        return 0;
      case '\n':
        ++line;
        ++p;
        continue;
      case '#':
        // Only at the start of a line, where next() would try a marker or a directive:
        // a newline before it (tokens other than literals never span lines, and literals
        // are skipped whole).
        if (p > 0 && base[p - 1] == '\n') {
          pos_ = p;
          last_start_ = p;
          at_bol_ = true;
          int t = match_at_line_start();
          p = pos_;
          if (t > 0) return t;
          if (t < 0) continue;
        }
        ++p;
        continue;
      case '"':
      case '\'': {
        std::size_t n = quoted_len(in_, p);
        p += n ? n : 1;
        continue;
      }
      case '{':
        ++depth;
        ++p;
        continue;
      default:  // '}'
        ++p;
        if (--depth == 0) {
          last_start_ = p - 1;
          pos_ = p;
          text_ = in_.substr(p - 1, 1);
          at_bol_ = false;
          return '}';
        }
        continue;
    }
  }
}

int Scanner::next() {
  if (paren_pending_) {
    paren_pending_ = false;
    text_ = "(";
    at_bol_ = false;
    return '(';
  }
  for (;;) {
    if (pos_ >= in_.size()) {
      text_ = {};
      return 0;
    }
    const std::size_t p = pos_;
    last_start_ = p;
    const char c = in_[p];
    if (c == '#' && at_bol_) {
      int t = match_at_line_start();
      if (t > 0) return t;
      if (t < 0) continue;
    }
    if (c == '\n') {
      ++line;
      ++pos_;
      at_bol_ = true;
      continue;
    }
    if (is_space(static_cast<unsigned char>(c))) {
      while (pos_ < in_.size() && is_space(static_cast<unsigned char>(in_[pos_]))) ++pos_;
      at_bol_ = false;
      continue;
    }
    at_bol_ = false;
    std::size_t n = 0;
    int kind = 0;
    if (c == '"' || c == '\'') {
      n = quoted_len(in_, p);
      kind = c == '"' ? tok(STRING_LIT) : tok(CHAR_LIT);
    } else if (c == 'L' && p + 1 < in_.size() && (in_[p + 1] == '"' || in_[p + 1] == '\'')) {
      std::size_t q = quoted_len(in_, p + 1);
      if (q) {
        n = q + 1;
        kind = in_[p + 1] == '"' ? tok(STRING_LIT) : tok(CHAR_LIT);
      }
    }
    if (!n && is_ident_start(static_cast<unsigned char>(c))) {
      std::size_t j = p + 1;
      while (j < in_.size() && is_ident_char(static_cast<unsigned char>(in_[j]))) ++j;
      n = j - p;
      kind = tok(IDENT);
    }
    if (!n && p + 1 < in_.size() && is_mc_token(c, in_[p + 1])) {
      n = 2;
      kind = tok(OTHER);
    }
    if (!n && (is_digit(static_cast<unsigned char>(c)) || c == '.')) {
      std::size_t i = int_len(in_, p), r = real_len(in_, p);
      if (r > i) {
        n = r;
        kind = tok(REAL_LIT);
      } else if (i) {
        n = i;
        kind = tok(INT_LIT);
      } else if (c == '.' && in_.substr(p, 3) == "...") {
        n = 3;
        kind = tok(DOTS);
      }
    }
    if (!n) {
      n = 1;
      kind = static_cast<signed char>(c);
    }
    pos_ = p + n;
    text_ = in_.substr(p, n);
    return kind;
  }
}

}  // namespace modforge::genksyms
