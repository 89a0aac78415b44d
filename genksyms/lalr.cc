#include "genksyms/lalr.h"

#include <algorithm>
#include <bitset>
#include <map>

namespace modforge::genksyms {

namespace {

using TokenSet = std::bitset<kNumTokens>;

struct Builder {
  std::span<const Rule> R = rules();
  // Items are positions in a flattened array of all right-hand sides, each rule's followed
  // by an end marker, as bison numbers them.
  std::vector<int> item_sym;   // symbol after the dot, or -1 - rule at the end of a rule
  std::vector<int> rule_start;
  std::vector<std::vector<int>> rules_of;  // nonterminal -> rules
  std::vector<std::bitset<kNumSymbols>> fderives;  // nonterminal -> rules derivable leftmost (as rule bits)
  std::vector<std::vector<bool>> fderive_rules;
  std::vector<bool> nullable;
  std::vector<TokenSet> first;

  struct State {
    std::vector<int> core;
    std::vector<int> items;  // closure, sorted by item number
    std::vector<std::pair<int, int>> trans;  // symbol -> state, sorted by symbol
    std::vector<int> reds;   // rules, in item order
    int sym = 0;
  };
  std::vector<State> states;
  std::map<std::vector<int>, int> by_core;
  int final_state = -1;

  void number_items() {
    for (std::size_t r = 0; r < R.size(); ++r) {
      rule_start.push_back(static_cast<int>(item_sym.size()));
      for (int k = 0; k < R[r].len; ++k) item_sym.push_back(R[r].rhs[k]);
      item_sym.push_back(-1 - static_cast<int>(r));
    }
    rules_of.assign(kNumSymbols, {});
    for (std::size_t r = 0; r < R.size(); ++r) rules_of[R[r].lhs].push_back(static_cast<int>(r));
  }

  void leftmost_closure() {
    // firsts(A): nonterminals that can stand first in a derivation from A, A included.
    std::vector<std::vector<bool>> firsts(kNumSymbols, std::vector<bool>(kNumSymbols, false));
    for (int a = kNumTokens; a < kNumSymbols; ++a) {
      firsts[a][a] = true;
      for (int r : rules_of[a])
        if (R[r].len && R[r].rhs[0] >= kNumTokens) firsts[a][R[r].rhs[0]] = true;
    }
    for (int k = kNumTokens; k < kNumSymbols; ++k)
      for (int i = kNumTokens; i < kNumSymbols; ++i)
        if (firsts[i][k])
          for (int j = kNumTokens; j < kNumSymbols; ++j)
            if (firsts[k][j]) firsts[i][j] = true;
    fderive_rules.assign(kNumSymbols, std::vector<bool>(R.size(), false));
    for (int a = kNumTokens; a < kNumSymbols; ++a)
      for (int b = kNumTokens; b < kNumSymbols; ++b)
        if (firsts[a][b])
          for (int r : rules_of[b]) fderive_rules[a][r] = true;
  }

  void first_sets() {
    nullable.assign(kNumSymbols, false);
    first.assign(kNumSymbols, TokenSet());
    for (int t = 0; t < kNumTokens; ++t) first[t].set(t);
    for (bool changed = true; changed;) {
      changed = false;
      for (const Rule& r : R) {
        bool all_null = true;
        TokenSet f = first[r.lhs];
        for (int k = 0; k < r.len && all_null; ++k) {
          f |= first[r.rhs[k]];
          all_null = nullable[r.rhs[k]];
        }
        if (f != first[r.lhs]) { first[r.lhs] = f; changed = true; }
        if (all_null && !nullable[r.lhs]) { nullable[r.lhs] = true; changed = true; }
      }
    }
  }

  std::vector<int> closure(const std::vector<int>& core) {
    std::vector<bool> ruleset(R.size(), false);
    for (int i : core)
      if (item_sym[i] >= kNumTokens)
        for (std::size_t r = 0; r < R.size(); ++r)
          if (fderive_rules[item_sym[i]][r]) ruleset[r] = true;
    std::vector<int> out;
    std::size_t c = 0;
    for (std::size_t r = 0; r < R.size(); ++r) {
      if (!ruleset[r]) continue;
      int item = rule_start[r];
      while (c < core.size() && core[c] < item) out.push_back(core[c++]);
      out.push_back(item);
    }
    while (c < core.size()) out.push_back(core[c++]);
    return out;
  }

  int get_state(int sym, const std::vector<int>& core) {
    auto it = by_core.find(core);
    if (it != by_core.end()) return it->second;
    int n = static_cast<int>(states.size());
    states.push_back({core, {}, {}, {}, sym});
    by_core.emplace(core, n);
    if (sym == S_END && n != 0) final_state = n;
    return n;
  }

  void lr0() {
    get_state(0, {0});
    for (std::size_t s = 0; s < states.size(); ++s) {
      std::vector<int> items = closure(states[s].core);
      std::vector<int> syms;
      std::map<int, std::vector<int>> kernels;
      std::vector<int> reds;
      for (int i : items) {
        int x = item_sym[i];
        if (x < 0) { reds.push_back(-1 - x); continue; }
        if (!kernels.count(x)) syms.push_back(x);
        kernels[x].push_back(i + 1);
      }
      std::sort(syms.begin(), syms.end());
      std::vector<std::pair<int, int>> trans;
      for (int x : syms) trans.push_back({x, get_state(x, kernels[x])});
      states[s].items = std::move(items);
      states[s].trans = std::move(trans);
      states[s].reds = std::move(reds);
    }
  }

  int target(int s, int sym) const {
    for (auto [x, t] : states[s].trans)
      if (x == sym) return t;
    return -1;
  }

  // LALR(1) lookaheads: per state and item, propagated over the LR(0) automaton to a fixpoint.
  std::vector<std::map<int, TokenSet>> lookaheads() {
    std::vector<std::map<int, TokenSet>> la(states.size());
    for (std::size_t s = 0; s < states.size(); ++s)
      for (int i : states[s].items) la[s][i];
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t s = 0; s < states.size(); ++s) {
        for (int i : states[s].items) {
          int x = item_sym[i];
          if (x < 0) continue;
          const TokenSet L = la[s][i];
          if (x >= kNumTokens) {
            // what can follow x here: first(rest), plus L when the rest can vanish
            TokenSet f;
            bool null_rest = true;
            for (int k = i + 1; item_sym[k] >= 0 && null_rest; ++k) {
              f |= first[item_sym[k]];
              null_rest = nullable[item_sym[k]];
            }
            if (null_rest) f |= L;
            for (int r : rules_of[x]) {
              TokenSet& dst = la[s][rule_start[r]];
              TokenSet merged = dst | f;
              if (merged != dst) { dst = merged; changed = true; }
            }
          }
          int t = target(static_cast<int>(s), x);
          TokenSet& dst = la[t][i + 1];
          TokenSet merged = dst | L;
          if (merged != dst) { dst = merged; changed = true; }
        }
      }
    }
    return la;
  }

  Tables build() {
    number_items();
    leftmost_closure();
    first_sets();
    lr0();
    auto la = lookaheads();
    Tables t;
    t.nstates = static_cast<int>(states.size());
    t.final_state = final_state;
    t.action.assign(states.size() * kNumTokens, 0);
    t.goto_state.assign(states.size() * kNumNonterminals, -1);
    t.default_rule.assign(states.size(), 0);
    t.needs_lookahead.assign(states.size(), 1);
    t.accessing_symbol.assign(states.size(), 0);
    for (std::size_t s = 0; s < states.size(); ++s) {
      const State& st = states[s];
      t.accessing_symbol[s] = static_cast<std::uint8_t>(st.sym);
      bool token_shift = false, error_shift = false;
      for (auto [x, to] : st.trans) {
        if (x < kNumTokens) token_shift = true;
        if (x == S_error) error_shift = true;
        if (x >= kNumTokens) t.goto_state[s * kNumNonterminals + (x - kNumTokens)] = static_cast<std::int16_t>(to);
      }
      std::int16_t* row = &t.action[s * kNumTokens];
      bool consistent = !(st.reds.size() > 1 || (st.reds.size() == 1 && token_shift));
      int def = -1;
      if (!consistent) {
        // later reductions first, so the earliest rule keeps a contested token
        for (auto r = st.reds.rbegin(); r != st.reds.rend(); ++r) {
          const TokenSet& L = la[s][rule_start[*r] + R[*r].len];
          for (int tok = 0; tok < kNumTokens; ++tok)
            if (L.test(tok)) row[tok] = static_cast<std::int16_t>(-*r);
        }
      }
      for (auto [x, to] : st.trans)
        if (x < kNumTokens) row[x] = static_cast<std::int16_t>(to);
      if (!st.reds.empty()) {
        if (consistent) {
          def = st.reds[0];
        } else if (!error_shift) {
          int max = 0;
          for (int r : st.reds) {
            int count = 0;
            for (int tok = 0; tok < kNumTokens; ++tok) count += row[tok] == -r;
            if (count > max) { max = count; def = r; }
          }
        }
      }
      if (def >= 0) {
        t.default_rule[s] = static_cast<std::int16_t>(def);
        for (int tok = 0; tok < kNumTokens; ++tok)
          if (row[tok] == -def) row[tok] = 0;
      }
      bool any = false;
      for (int tok = 0; tok < kNumTokens; ++tok) any |= row[tok] != 0;
      t.needs_lookahead[s] = any;
    }
    return t;
  }
};

}  // namespace

const Tables& tables() {
  static const Tables t = Builder().build();
  return t;
}

}  // namespace modforge::genksyms
