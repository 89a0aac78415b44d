// The second lexer stage (which turns attribute, asm, typeof, bracket, brace and
// initializer runs into single phrase tokens and recognises typedef names) and the LALR
// driver, which follows bison's skeleton step for step: when it reads a lookahead, how it
// recovers from errors, and what it prints with -d -d.
#include <array>
#include <cstdio>
#include <cstdlib>

#include "genksyms/engine.h"
#include "genksyms/lalr.h"

namespace modforge::genksyms {

namespace {

struct Keyword {
  std::string_view name;
  Sym token;
};

constexpr Keyword kKeywords[] = {
    {"__GENKSYMS_EXPORT_SYMBOL", EXPORT_SYMBOL_KEYW},
    {"__asm", ASM_KEYW}, {"__asm__", ASM_KEYW}, {"__attribute", ATTRIBUTE_KEYW},
    {"__attribute__", ATTRIBUTE_KEYW}, {"__const", CONST_KEYW}, {"__const__", CONST_KEYW},
    {"__extension__", EXTENSION_KEYW}, {"__inline", INLINE_KEYW}, {"__inline__", INLINE_KEYW},
    {"__signed", SIGNED_KEYW}, {"__signed__", SIGNED_KEYW}, {"__typeof", TYPEOF_KEYW},
    {"__typeof__", TYPEOF_KEYW}, {"__volatile", VOLATILE_KEYW}, {"__volatile__", VOLATILE_KEYW},
    {"__builtin_va_list", VA_LIST_KEYW}, {"__int128", BUILTIN_INT_KEYW},
    {"__int128_t", BUILTIN_INT_KEYW}, {"__uint128_t", BUILTIN_INT_KEYW}, {"_Bool", BOOL_KEYW},
    {"__restrict", RESTRICT_KEYW}, {"__restrict__", RESTRICT_KEYW}, {"restrict", RESTRICT_KEYW},
    {"asm", ASM_KEYW}, {"_Static_assert", STATIC_ASSERT_KEYW}, {"auto", AUTO_KEYW},
    {"char", CHAR_KEYW}, {"const", CONST_KEYW}, {"double", DOUBLE_KEYW}, {"enum", ENUM_KEYW},
    {"extern", EXTERN_KEYW}, {"float", FLOAT_KEYW}, {"inline", INLINE_KEYW}, {"int", INT_KEYW},
    {"long", LONG_KEYW}, {"register", REGISTER_KEYW}, {"short", SHORT_KEYW},
    {"signed", SIGNED_KEYW}, {"static", STATIC_KEYW}, {"struct", STRUCT_KEYW},
    {"typedef", TYPEDEF_KEYW}, {"typeof", TYPEOF_KEYW}, {"union", UNION_KEYW},
    {"unsigned", UNSIGNED_KEYW}, {"void", VOID_KEYW}, {"volatile", VOLATILE_KEYW},
};

// Keywords by a cheap hash of length and end characters; built once.
struct KeywordTable {
  static constexpr int kSize = 256;
  static unsigned slot(std::string_view s) {
    return (static_cast<unsigned>(s.size()) * 31u + static_cast<unsigned char>(s[0]) * 7u +
            static_cast<unsigned char>(s[s.size() - 1]) * 3u + static_cast<unsigned char>(s[s.size() / 2])) %
           kSize;
  }
  std::array<std::array<std::int8_t, 4>, kSize> entries{};
  KeywordTable() {
    for (auto& e : entries) e.fill(-1);
    for (std::size_t i = 0; i < std::size(kKeywords); ++i) {
      auto& e = entries[slot(kKeywords[i].name)];
      std::size_t k = 0;
      while (e[k] >= 0) ++k;  // at most three keywords share a slot (checked by a test)
      e[k] = static_cast<std::int8_t>(i);
    }
  }
};

int reserved_word(std::string_view s) {
  // Every keyword starts with '_' or a lower-case letter and is 3 to 24 bytes long.
  if (s.size() < 3 || s.size() > 24 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return -1;
  static const KeywordTable table;
  for (std::int8_t i : table.entries[KeywordTable::slot(s)]) {
    if (i < 0) break;
    if (kKeywords[i].name == s) return tok(kKeywords[i].token);
  }
  return -1;
}

// glibc atoi: strtol's value (saturated to long) converted to int.
int c_atoi(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  unsigned long long v = 0;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > (9223372036854775807ULL - static_cast<unsigned>(s[i] - '0')) / 10) overflow = true;
    if (!overflow) v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  long long l;
  if (overflow) l = neg ? (-9223372036854775807LL - 1) : 9223372036854775807LL;
  else l = neg ? -static_cast<long long>(v) : static_cast<long long>(v);
  return static_cast<int>(static_cast<unsigned long long>(l) & 0xffffffffULL);
}

enum LexState { ST_NORMAL, ST_ATTRIBUTE, ST_ASM, ST_TYPEOF, ST_TYPEOF_1, ST_BRACKET, ST_BRACE,
                ST_EXPRESSION, ST_STATIC_ASSERT };

constexpr int kInitDepth = 200;
constexpr int kMaxDepth = 10000;

}  // namespace

class Parser {
public:
  Parser(Engine& e, std::string_view input) : e_(e), sc_(input), t_(tables()) {
    next_node_ = e_.alloc_node();
    next_node_->next = nullptr;
    trace_ = e_.settings_.debug > 1;
    e_.cur_line_ = &sc_.line;
  }
  ~Parser() {
    e_.idle_line_ = sc_.line;
    e_.cur_line_ = nullptr;
  }

  void run();

private:
  using Value = Node**;

  int lex();
  void app(std::string_view text);
  void record_compound(Value keyw, Value ident, Value body, SymType type);
  bool action(int rule, Value* rhs, Value& val);  // false: the action asked for YYERROR

  void trace(std::string_view s) { if (trace_) e_.err_ += s; }
  void trace_symbol(std::string_view title, int sym);
  void trace_stack();
  void trace_state(int s);

  Engine& e_;
  Scanner sc_;
  const Tables& t_;
  bool trace_ = false;

  // second-stage lexer state
  LexState lexstate_ = ST_NORMAL;
  int suppress_type_lookup_ = 0;
  int dont_want_brace_phrase_ = 0;
  Node* next_node_ = nullptr;
  std::optional<std::string_view> source_file_;
  bool in_source_file_ = false;
  Value yylval_ = nullptr;

  // grammar action state
  bool is_typedef_ = false;
  bool is_extern_ = false;
  std::optional<std::string_view> current_name_;
  Node* decl_spec_ = nullptr;

  // The parser stacks: bison's limit is 10000 entries, so they never grow past that.
  std::vector<int> states_ = std::vector<int>(kMaxDepth + 1);
  std::vector<Value> values_ = std::vector<Value>(kMaxDepth + 1);
  int top_ = 0;  // index of the top entry
  void push(int state, Value v) {
    ++top_;
    states_[top_] = state;
    values_[top_] = v;
  }
};

void Parser::app(std::string_view text) {
  // The real tool keeps tokens as C strings: a NUL byte ends one.
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos) text = text.substr(0, nul);
  Node* cur = next_node_;
  next_node_ = e_.alloc_node();
  next_node_->next = cur;
  cur->str = text;
  // Declared enum constants all have identifier names (enumerators are IDENT tokens).
  const unsigned char c0 = text.empty() ? 0 : static_cast<unsigned char>(text[0]);
  const bool ident = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_' || c0 == '$';
  cur->tag = ident && e_.maybe_declared(text) && e_.find_symbol(text, SYM_ENUM_CONST, true) ? SYM_ENUM_CONST : SYM_NORMAL;
  cur->in_source = in_source_file_;
}

int Parser::lex() {
  int count = 0;
  int token;
  for (;;) {  // each pass reads one first-stage token; phrases loop until they close
    // A brace phrase is a function body, which every grammar rule drops whole: only its
    // closing brace is kept, the rest skipped without tokens.
    token = lexstate_ == ST_BRACE ? sc_.skip_braces(count) : sc_.next();
    if (token == 0) return 0;
    if (token == tok(FILENAME)) {
      std::string_view t = sc_.text();
      std::size_t q1 = t.find('"') + 1;
      std::string_view file = t.substr(q1, t.find('"', q1) - q1);
      file = file.substr(0, file.find('\0'));  // a C string
      e_.cur_filename_ = file;
      sc_.line = c_atoi(t.substr(2));
      if (!source_file_) {
        source_file_ = file;
        in_source_file_ = true;
      } else {
        in_source_file_ = file == *source_file_;
      }
      continue;
    }
    const std::string_view text = sc_.text();
    switch (lexstate_) {
      case ST_NORMAL:
        if (token == tok(IDENT)) {
          app(text);
          int r = reserved_word(text);
          if (r >= 0) {
            token = r;
            switch (r - kNamed) {
              case ATTRIBUTE_KEYW: lexstate_ = ST_ATTRIBUTE; count = 0; continue;
              case ASM_KEYW: lexstate_ = ST_ASM; count = 0; continue;
              case TYPEOF_KEYW: lexstate_ = ST_TYPEOF; count = 0; continue;
              case STRUCT_KEYW: case UNION_KEYW: case ENUM_KEYW:
                dont_want_brace_phrase_ = 3;
                suppress_type_lookup_ = 2;
                goto fini;
              case EXPORT_SYMBOL_KEYW: goto fini;
              case STATIC_ASSERT_KEYW: lexstate_ = ST_STATIC_ASSERT; count = 0; continue;
              default: break;
            }
          }
          if (!suppress_type_lookup_ && e_.maybe_declared(text) && e_.find_symbol(text, SYM_TYPEDEF, true))
            token = tok(TYPE);
          goto fini;
        }
        switch (token) {
          case '[':
            app(text);
            lexstate_ = ST_BRACKET;
            count = 1;
            continue;
          case '{':
            app(text);
            if (dont_want_brace_phrase_) goto fini;
            lexstate_ = ST_BRACE;
            count = 1;
            continue;
          case '=': case ':':
            app(text);
            lexstate_ = ST_EXPRESSION;
            goto fini;
          default:
            app(text);
            goto fini;
        }
      case ST_ATTRIBUTE:
      case ST_ASM:
      case ST_STATIC_ASSERT:
        app(text);
        if (token == '(') {
          ++count;
        } else if (token == ')' && --count == 0) {
          token = tok(lexstate_ == ST_ATTRIBUTE ? ATTRIBUTE_PHRASE
                      : lexstate_ == ST_ASM     ? ASM_PHRASE
                                                : STATIC_ASSERT_PHRASE);
          lexstate_ = ST_NORMAL;
          goto fini;
        }
        continue;
      case ST_TYPEOF_1:
        if (token == tok(IDENT)) {
          if (reserved_word(text) >= 0 || (e_.maybe_declared(text) && e_.find_symbol(text, SYM_TYPEDEF, true))) {
            sc_.push_back_last_after_paren();
            lexstate_ = ST_NORMAL;
            token = tok(TYPEOF_KEYW);
            goto fini;
          }
          app("(");
        }
        lexstate_ = ST_TYPEOF;
        [[fallthrough]];
      case ST_TYPEOF:
        if (token == '(') {
          if (++count == 1) lexstate_ = ST_TYPEOF_1;
          else app(text);
          continue;
        }
        app(text);
        if (token == ')' && --count == 0) {
          lexstate_ = ST_NORMAL;
          token = tok(TYPEOF_PHRASE);
          goto fini;
        }
        continue;
      case ST_BRACKET:
        app(text);
        if (token == '[') {
          ++count;
        } else if (token == ']' && --count == 0) {
          token = tok(BRACKET_PHRASE);
          lexstate_ = ST_NORMAL;
          goto fini;
        }
        continue;
      case ST_BRACE:  // skip_braces() returned the closing brace
        app(text);
        token = tok(BRACE_PHRASE);
        lexstate_ = ST_NORMAL;
        goto fini;
      case ST_EXPRESSION:
        switch (token) {
          case '(': case '[': case '{':
            ++count;
            app(text);
            continue;
          case '}':
            if (count == 0) {
              sc_.push_back_last();
              lexstate_ = ST_NORMAL;
              token = tok(EXPRESSION_PHRASE);
              goto fini;
            }
            [[fallthrough]];
          case ')': case ']':
            --count;
            app(text);
            continue;
          case ',': case ';':
            if (count == 0) {
              sc_.push_back_last();
              lexstate_ = ST_NORMAL;
              token = tok(EXPRESSION_PHRASE);
              goto fini;
            }
            app(text);
            continue;
          default:
            app(text);
            continue;
        }
    }
  }
fini:
  if (suppress_type_lookup_ > 0) --suppress_type_lookup_;
  if (dont_want_brace_phrase_ > 0) --dont_want_brace_phrase_;
  yylval_ = &next_node_->next;
  return token;
}

void Parser::record_compound(Value keyw, Value ident, Value body, SymType type) {
  Node* b = *body;
  Node* i = *ident;
  if (i->in_source) {
    e_.remove_node(keyw);
    (*ident)->tag = type;
    e_.remove_list(body, ident);
    return;
  }
  Node* r = e_.copy_node(i);
  r->tag = type;
  r->next = (*keyw)->next;
  *body = r;
  (*keyw)->next = nullptr;
  e_.add_symbol(i->str, type, b, is_extern_);
}

// $k is rhs[k - 1].  Mirrors the actions of the kernel's grammar, rule by rule.
bool Parser::action(int rule, Value* rhs, Value& val) {
  auto $ = [&](int k) -> Value& { return rhs[k - 1]; };
  auto first = [](std::initializer_list<Value> vs) -> Value {
    for (Value v : vs)
      if (v) return v;
    return nullptr;
  };
  const SymType decl_type = is_typedef_ ? SYM_TYPEDEF : SYM_NORMAL;
  switch (rule) {
    case 3:
      is_typedef_ = false;
      is_extern_ = false;
      current_name_.reset();
      decl_spec_ = nullptr;
      break;
    case 4:
      if ($(2)) {
        e_.free_list(*$(2), nullptr);
        *$(2) = nullptr;
      }
      break;
    case 5: case 7: is_typedef_ = true; break;
    case 6: val = $(4); break;
    case 8: val = $(3); break;
    case 14: case 15: val = $(2); break;
    case 16:
      if (current_name_) {
        Node* decl = (*$(3))->next;
        (*$(3))->next = nullptr;
        e_.add_symbol(current_name_, decl_type, decl, is_extern_);
        current_name_.reset();
      }
      val = $(3);
      break;
    case 17: val = nullptr; break;
    case 18: e_.free_list(decl_spec_, nullptr); val = $(1); break;
    case 19: {
      Node* decl = *$(1);
      *$(1) = nullptr;
      if (decl_spec_) decl_spec_ = e_.copy_list_range(decl_spec_, nullptr);
      e_.add_symbol(current_name_, decl_type, decl, is_extern_);
      current_name_.reset();
      val = $(1);
      break;
    }
    case 20: {
      Node* decl = *$(3);
      *$(3) = nullptr;
      e_.free_list(*$(2), nullptr);
      *$(2) = decl_spec_;
      if (decl_spec_) decl_spec_ = e_.copy_list_range(decl_spec_, nullptr);
      e_.add_symbol(current_name_, decl_type, decl, is_extern_);
      current_name_.reset();
      val = $(3);
      break;
    }
    case 21: val = first({$(4), $(3), $(2), $(1)}); break;
    case 22: decl_spec_ = nullptr; break;
    case 24: decl_spec_ = *$(1); break;
    case 25: decl_spec_ = *$(2); break;
    case 26: e_.remove_node($(1)); val = $(1); break;
    case 31: is_extern_ = true; val = $(1); break;
    case 32: is_extern_ = false; val = $(1); break;
    case 37: case 38: case 39:
      e_.remove_node($(1));
      (*$(2))->tag = rule == 37 ? SYM_STRUCT : rule == 38 ? SYM_UNION : SYM_ENUM;
      val = $(2);
      break;
    case 40: case 41: case 42:
      record_compound($(1), $(2), $(3), rule == 40 ? SYM_STRUCT : rule == 41 ? SYM_UNION : SYM_ENUM);
      val = $(3);
      break;
    case 43: e_.add_symbol(std::nullopt, SYM_ENUM, nullptr, false); val = $(2); break;
    case 44: case 45: val = $(2); break;
    case 58: (*$(1))->tag = SYM_TYPEDEF; val = $(1); break;
    case 59: val = first({$(2), $(1)}); break;
    case 60: val = nullptr; break;
    case 63: val = $(2); break;
    case 67: e_.remove_node($(1)); val = $(1); break;
    case 68: val = $(2); break;
    case 70: case 71:
      if (current_name_) {
        e_.error_with_pos("unexpected second declaration name");
        return false;
      }
      current_name_ = (*$(1))->str;
      val = $(1);
      break;
    case 72: case 73: val = $(4); break;
    case 74: val = $(2); break;
    case 75: val = $(3); break;
    case 76: val = $(2); break;
    case 80: case 81: val = $(4); break;
    case 82: val = $(2); break;
    case 83: case 84: val = $(3); break;
    case 85: val = $(2); break;
    case 87: val = $(3); break;
    case 88: val = nullptr; break;
    case 91: val = $(3); break;
    case 92: case 93: val = first({$(2), $(1)}); break;
    case 95: val = nullptr; break;
    case 96: case 97: e_.remove_node($(1)); val = $(1); break;
    case 98: case 99: val = $(4); break;
    case 100: val = $(2); break;
    case 101: case 102: val = $(3); break;
    case 103: {
      Node* decl = *$(2);
      *$(2) = nullptr;
      e_.add_symbol(current_name_, SYM_NORMAL, decl, is_extern_);
      val = $(3);
      break;
    }
    case 104: val = nullptr; break;
    case 106: e_.remove_list($(2), &(*$(1))->next); val = $(2); break;
    case 107: case 108: val = $(3); break;
    case 109: val = nullptr; break;
    case 112: val = $(2); break;
    case 113: val = $(3); break;
    case 114: val = $(2); break;
    case 115: val = nullptr; break;
    case 118: val = $(3); break;
    case 119: val = first({$(2), $(1)}); break;
    case 120: case 122: val = $(2); break;
    case 123: val = nullptr; break;
    case 125: val = $(3); break;
    case 126: val = $(4); break;
    case 129: e_.add_symbol((*$(1))->str, SYM_ENUM_CONST, nullptr, false); break;
    case 130: {
      Node* expr = e_.copy_list_range(*$(3), *$(2));
      e_.add_symbol((*$(1))->str, SYM_ENUM_CONST, expr, false);
      break;
    }
    case 131: val = $(2); break;
    case 132: val = nullptr; break;
    case 134: e_.export_symbol((*$(3))->str); val = $(5); break;
    case 135: val = $(2); break;
    default: break;
  }
  return true;
}

void Parser::trace_symbol(std::string_view title, int sym) {
  if (!trace_) return;
  std::string& o = e_.err_;
  o += title;
  o += sym < kNumTokens ? " token " : " nterm ";
  o += symbol_name(sym);
  o += " ()\n";
}

void Parser::trace_stack() {
  if (!trace_) return;
  std::string& o = e_.err_;
  o += "Stack now";
  for (int i = 0; i <= top_; ++i) {
    o += ' ';
    o += std::to_string(states_[i]);
  }
  o += '\n';
}

void Parser::trace_state(int s) {
  if (!trace_) return;
  e_.err_ += "Entering state " + std::to_string(s) + "\n";
}

void Parser::run() {
  int stacksize = kInitDepth;
  int yychar = -2;  // no lookahead
  int yytoken = 0;
  int errstatus = 0;
  int state = 0;
  int rule = 0;
  std::span<const Rule> R = rules();
  auto translate = [](int c) -> int {
    if (c <= 0) return S_END;
    if (c >= kNamed) return c - kNamed;
    return translate_char(c);
  };

  trace("Starting parse\n");
  top_ = 0;
  states_[0] = 0;
  values_[0] = nullptr;
  enum class Step { NewState, Backup, Default, Reduce, ErrLab, ErrLab1, ErrorLab, Accept, Abort, Exhausted };
  Step step = Step::NewState;
  int yylen = 0;
  for (;;) {
    switch (step) {
      case Step::NewState: {
        if (trace_) {
          trace_state(state);
          trace_stack();
        }
        if (top_ >= stacksize - 1) {
          if (stacksize >= kMaxDepth) { step = Step::Exhausted; break; }
          stacksize = std::min(stacksize * 2, kMaxDepth);
          trace("Stack size increased to " + std::to_string(stacksize) + "\n");
          if (top_ >= stacksize - 1) { step = Step::Abort; break; }
        }
        if (state == t_.final_state) { step = Step::Accept; break; }
        step = Step::Backup;
        break;
      }
      case Step::Backup: {
        if (!t_.needs_lookahead[state]) { step = Step::Default; break; }
        if (yychar == -2) {
          trace("Reading a token\n");
          yychar = lex();
        }
        if (yychar <= 0) {
          yychar = 0;
          yytoken = S_END;
          trace("Now at end of input.\n");
        } else {
          yytoken = translate(yychar);
          if (trace_) trace_symbol("Next token is", yytoken);
        }
        int a = t_.act(state, yytoken);
        if (a == 0) { step = Step::Default; break; }
        if (a < 0) { rule = -a; step = Step::Reduce; break; }
        if (errstatus) --errstatus;
        if (trace_) trace_symbol("Shifting", yytoken);
        state = a;
        push(state, yylval_);
        yychar = -2;
        step = Step::NewState;
        break;
      }
      case Step::Default:
        rule = t_.default_rule[state];
        step = rule == 0 ? Step::ErrLab : Step::Reduce;
        break;
      case Step::Reduce: {
        const Rule& r = R[static_cast<std::size_t>(rule)];
        yylen = r.len;
        Value* rhs = &values_[top_ + 1 - yylen];
        Value val = yylen ? rhs[0] : nullptr;
        if (trace_) {
          e_.err_ += "Reducing stack by rule " + std::to_string(rule) + " (line " + std::to_string(r.line) + "):\n";
          for (int k = 0; k < yylen; ++k) {
            e_.err_ += "   $" + std::to_string(k + 1) + " =";
            trace_symbol("", t_.accessing_symbol[states_[top_ + 1 - yylen + k]]);
          }
        }
        if (!action(rule, rhs, val)) { step = Step::ErrorLab; break; }
        if (trace_) trace_symbol("-> $$ =", r.lhs);
        top_ -= yylen;
        yylen = 0;
        state = t_.go(states_[top_], r.lhs);
        push(state, val);
        step = Step::NewState;
        break;
      }
      case Step::ErrLab:
        if (!errstatus) e_.error_with_pos("syntax error");
        if (errstatus == 3) {
          if (yychar <= 0) {
            if (yychar == 0) { step = Step::Abort; break; }
          } else {
            if (trace_) trace_symbol("Error: discarding", translate(yychar));
            yychar = -2;
          }
        }
        step = Step::ErrLab1;
        break;
      case Step::ErrorLab:
        top_ -= yylen;
        yylen = 0;
        if (trace_) trace_stack();
        state = states_[top_];
        step = Step::ErrLab1;
        break;
      case Step::ErrLab1: {
        errstatus = 3;
        int to = 0;
        for (;;) {
          if (t_.needs_lookahead[state]) {
            int a = t_.act(state, S_error);
            if (a > 0) { to = a; break; }
          }
          if (top_ == 0) break;
          if (trace_) trace_symbol("Error: popping", t_.accessing_symbol[state]);
          --top_;
          state = states_[top_];
          if (trace_) trace_stack();
        }
        if (!to) { step = Step::Abort; break; }
        if (trace_) trace_symbol("Shifting", t_.accessing_symbol[to]);
        state = to;
        push(state, yylval_);
        step = Step::NewState;
        break;
      }
      case Step::Exhausted:
        e_.error_with_pos("memory exhausted");
        [[fallthrough]];
      case Step::Accept:
      case Step::Abort:
        if (trace_) {
          if (yychar != -2) trace_symbol("Cleanup: discarding lookahead", translate(yychar));
          top_ -= yylen;
          trace_stack();
          while (top_ > 0) {
            trace_symbol("Cleanup: popping", t_.accessing_symbol[states_[top_]]);
            --top_;
          }
        }
        return;
    }
  }
}

void Engine::parse(std::string_view input) {
  Parser p(*this, input);
  p.run();
}

}  // namespace modforge::genksyms
