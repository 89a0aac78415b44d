// First stage of the genksyms lexer: splits preprocessed C into the tokens the kernel's flex
// rules produce (longest match, earlier rule on ties), keeps the line count, and reports
// "# <line> "<file>"" markers.  Tokens are views into the input; nothing is copied.
#pragma once
#include <string_view>

#include "genksyms/grammar.h"

namespace modforge::genksyms {

// Token codes: a character stands for itself (as a signed char, like flex's yytext[0]);
// named tokens are kNamed + their grammar symbol.
constexpr int kNamed = 256;
constexpr int tok(Sym s) { return kNamed + s; }

class Scanner {
public:
  explicit Scanner(std::string_view input) : in_(input) {}

  int next();  // 0 at the end of the input
  // The rest of a brace phrase (a function body) whose depth is `depth`, without making
  // tokens: counts '{' and '}' outside string and character literals as next() would
  // split them, keeps the line count.  Returns '}' when the depth reaches 0, FILENAME for a
  // line marker met on the way (text() holds it; call again to go on), 0 at the end.
  int skip_braces(int& depth);
  std::string_view text() const { return text_; }
  int line = 1;

  // flex unput() of the character just matched: it will be scanned again.
  void push_back_last() { pos_ = last_start_; }
  // flex yyless(0) + unput('('): rescan the last token, preceded by a '('.
  void push_back_last_after_paren() {
    pos_ = last_start_;
    paren_pending_ = true;
  }

private:
  int match_at_line_start();
  int number_or_char(std::size_t p);

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t last_start_ = 0;
  std::string_view text_;
  bool at_bol_ = true;
  bool paren_pending_ = false;
};

}  // namespace modforge::genksyms
