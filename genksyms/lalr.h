// LALR(1) tables for the genksyms grammar, built the way bison builds them: the same LR(0)
// state numbering, the same conflict resolution (shift over reduce, the earlier rule among
// reduces) and the same default reductions.  The parser reads a lookahead token exactly
// when the real parser does, which decides when typedefs become known to the scanner and
// which line a diagnostic names.
#pragma once
#include <cstdint>
#include <vector>

#include "genksyms/grammar.h"

namespace modforge::genksyms {

struct Tables {
  int nstates = 0;
  int final_state = 0;
  // action[s * kNumTokens + t]: > 0 shift to that state, < 0 reduce by rule -a, 0 default.
  std::vector<std::int16_t> action;
  // goto_state[s * kNumNonterminals + (A - kNumTokens)]
  std::vector<std::int16_t> goto_state;
  std::vector<std::int16_t> default_rule;  // 0: none (error)
  std::vector<std::uint8_t> needs_lookahead;  // 0: take the default without reading a token
  std::vector<std::uint8_t> accessing_symbol;

  int act(int s, int t) const { return action[static_cast<std::size_t>(s) * kNumTokens + t]; }
  int go(int s, int nonterminal) const {
    return goto_state[static_cast<std::size_t>(s) * (kNumSymbols - kNumTokens) + (nonterminal - kNumTokens)];
  }
};

constexpr int kNumNonterminals = kNumSymbols - kNumTokens;

// Built on first use; immutable afterwards.
const Tables& tables();

}  // namespace modforge::genksyms
