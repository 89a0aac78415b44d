#include "abi/type_diff.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "abi/symtypes.h"

namespace modforge::abi {

namespace {

using Toks = std::span<const SymToken>;
constexpr std::size_t npos = static_cast<std::size_t>(-1);

struct Range {
  std::size_t b, e;
};

bool opens(std::string_view s) { return s == "(" || s == "[" || s == "{"; }
bool closes(std::string_view s) { return s == ")" || s == "]" || s == "}"; }

// The index of the token closing the group opened at `i` (or t.size()).
std::size_t match(Toks t, std::size_t i) {
  int depth = 0;
  for (std::size_t j = i; j < t.size(); ++j) {
    if (opens(t[j].text)) ++depth;
    else if (closes(t[j].text) && --depth == 0) return j;
  }
  return t.size();
}

// [b, e) cut at the separators outside any bracket; empty pieces dropped.
std::vector<Range> split(Toks t, std::size_t b, std::size_t e, std::string_view sep) {
  std::vector<Range> out;
  int depth = 0;
  std::size_t start = b;
  for (std::size_t j = b; j < e; ++j) {
    const std::string_view s = t[j].text;
    if (opens(s)) ++depth;
    else if (closes(s)) --depth;
    else if (depth == 0 && s == sep) {
      if (j > start) out.push_back({start, j});
      start = j + 1;
    }
  }
  if (e > start) out.push_back({start, e});
  return out;
}

std::string join(Toks t, std::size_t b, std::size_t e) {
  std::string s;
  for (std::size_t j = b; j < e; ++j) {
    if (!s.empty()) s += ' ';
    s += t[j].text;
  }
  return s;
}

// C words that are never a declarator's name (typedef names are t# references already).
bool is_keyword(std::string_view s) {
  static const std::unordered_set<std::string_view> kw = {
      "struct", "union", "enum", "const", "volatile", "signed", "unsigned", "int", "char", "short", "long",
      "void", "float", "double", "_Bool", "__signed__", "__volatile__", "restrict", "__restrict", "__restrict__",
      "_Atomic", "typeof", "__typeof__", "__typeof", "__extension__", "__attribute__", "inline", "__inline",
      "__inline__", "static", "extern", "register", "auto", "__int128", "__const", "__const__", "_Complex",
      "asm", "__asm__", "typedef", "UNKNOWN", "__seg_gs", "__seg_fs", "typeof_unqual", "__typeof_unqual__"};
  return kw.count(s) != 0;
}

bool is_identifier(const SymToken& t) {
  if (t.is_ref() || t.text.empty()) return false;
  const char c0 = t.text[0];
  if (!(c0 == '_' || (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z'))) return false;
  for (char c : t.text)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return !is_keyword(t.text);
}

// The index of the name a declarator [b, e) declares, or npos (abstract declarator).
std::size_t declarator_name(Toks t, std::size_t b, std::size_t e) {
  // `( * name ) ( ... )`, `( * name [ 4 ] )`: a pointer to a function or an array
  for (std::size_t j = b; j + 1 < e; ++j) {
    if (t[j].text == "(" && t[j + 1].text == "*") {
      std::size_t k = j + 1;
      while (k < e && (t[k].text == "*" || t[k].text == "const" || t[k].text == "volatile")) ++k;
      if (k < e && is_identifier(t[k])) return k;
      break;
    }
    if (opens(t[j].text)) j = match(t.subspan(0, e), j);
  }
  std::size_t name = npos;
  for (std::size_t j = b; j < e; ++j) {
    const std::string_view s = t[j].text;
    if (s == ":") break;  // a bit-field's width
    if (opens(s)) {
      j = std::min(match(t.subspan(0, e), j), e);
      continue;
    }
    if ((s == "struct" || s == "union" || s == "enum") && j + 1 < e && is_identifier(t[j + 1])) {
      ++j;  // an untagged struct's tag
      continue;
    }
    if (is_identifier(t[j])) name = j;
  }
  return name;
}

struct Item {
  std::string name, text;
  std::size_t decl_b, decl_e;  // the whole declaration it belongs to, for reference_step
};

// The members inside a struct/union body [b, e): declarations at ';', declarators at ',';
// an anonymous struct/union's members count as the outer one's, as C sees them.
void collect_members(Toks t, std::size_t b, std::size_t e, std::vector<Item>& out, int& anon) {
  for (const Range& r : split(t, b, e, ";")) {
    // `[const] struct { ... } [__attribute__ ((...))]`: no declarator after the braces
    std::size_t kw = r.b;
    while (kw < r.e && (t[kw].text == "const" || t[kw].text == "volatile")) ++kw;
    if (kw + 1 < r.e && (t[kw].text == "struct" || t[kw].text == "union") && t[kw + 1].text == "{") {
      const std::size_t close = match(t, kw + 1);
      if (close < r.e && declarator_name(t, close + 1, r.e) == npos) {
        collect_members(t, kw + 2, close, out, anon);
        continue;
      }
    }
    const std::vector<Range> ds = split(t, r.b, r.e, ",");
    if (ds.empty()) continue;  // commas alone (malformed input): no member to compare
    const std::size_t n0 = declarator_name(t, ds[0].b, ds[0].e);
    // where the first declarator starts: its name, after the pointers and parentheses before it
    std::size_t start = n0 == npos ? ds[0].e : n0;
    while (start > ds[0].b && (t[start - 1].text == "*" || t[start - 1].text == "(" ||
                               t[start - 1].text == "const" || t[start - 1].text == "volatile"))
      --start;
    const std::string spec = join(t, ds[0].b, start);
    for (std::size_t i = 0; i < ds.size(); ++i) {
      const std::size_t db = i == 0 ? start : ds[i].b;
      const std::size_t n = i == 0 ? n0 : declarator_name(t, ds[i].b, ds[i].e);
      Item it;
      it.name = n == npos ? "#" + std::to_string(anon++) : std::string(t[n].text);
      const std::string decl = join(t, db, ds[i].e);
      it.text = spec.empty() ? decl : decl.empty() ? spec : spec + " " + decl;
      it.decl_b = r.b;
      it.decl_e = r.e;
      out.push_back(std::move(it));
    }
  }
}

// The outermost `{ ... }` of a definition: the index of '{', or npos.
std::size_t body_brace(Toks t) {
  for (std::size_t j = 0; j < t.size(); ++j)
    if (t[j].text == "{") return j;
    else if (t[j].text == "(" || t[j].text == "[") return npos;
  return npos;
}

std::vector<Item> members_of(Toks t) {
  std::vector<Item> out;
  const std::size_t ob = body_brace(t);
  if (ob == npos) return out;
  int anon = 0;
  collect_members(t, ob + 1, std::min(match(t, ob), t.size()), out, anon);
  return out;
}

struct Enumerator {
  std::string name, text, value;  // value: the effective one, "<last explicit> + n"
  std::size_t b, e;
};

std::vector<Enumerator> enumerators_of(Toks t) {
  std::vector<Enumerator> out;
  const std::size_t ob = body_brace(t);
  if (ob == npos) return out;
  std::string base = "0";
  int offset = 0;
  for (const Range& r : split(t, ob + 1, std::min(match(t, ob), t.size()), ",")) {
    Enumerator en;
    en.name = std::string(t[r.b].text);
    en.text = join(t, r.b, r.e);
    en.b = r.b;
    en.e = r.e;
    if (r.e - r.b >= 3 && t[r.b + 1].text == "=") {
      base = join(t, r.b + 2, r.e);
      offset = 0;
    }
    en.value = offset == 0 ? base : base + " + " + std::to_string(offset);
    ++offset;
    out.push_back(std::move(en));
  }
  return out;
}

// Longest increasing subsequence membership: which of `seq` keep their relative order.
std::vector<bool> in_order(const std::vector<int>& seq) {
  const std::size_t n = seq.size();
  std::vector<int> len(n, 1), prev(n, -1);
  int best = -1;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (seq[j] < seq[i] && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = static_cast<int>(j);
      }
    if (best < 0 || len[i] > len[best]) best = static_cast<int>(i);
  }
  std::vector<bool> keep(n, false);
  for (int i = best; i >= 0; i = prev[i]) keep[i] = true;
  return keep;
}

void diff_members(const std::vector<Item>& o, const std::vector<Item>& n, std::vector<TypeDetail>& out) {
  std::unordered_map<std::string_view, int> oi, ni;
  for (std::size_t i = 0; i < o.size(); ++i) oi.try_emplace(o[i].name, static_cast<int>(i));
  for (std::size_t i = 0; i < n.size(); ++i) ni.try_emplace(n[i].name, static_cast<int>(i));
  std::vector<int> common_new;  // new positions of the common members, in old order
  std::vector<int> common_old;
  for (std::size_t i = 0; i < o.size(); ++i) {
    auto it = ni.find(o[i].name);
    if (it == ni.end()) {
      out.push_back({"member-removed", o[i].name, o[i].text, "", static_cast<int>(i), -1});
      continue;
    }
    common_old.push_back(static_cast<int>(i));
    common_new.push_back(it->second);
    if (o[i].text != n[it->second].text)
      out.push_back({"member-retyped", o[i].name, o[i].text, n[it->second].text, static_cast<int>(i), it->second});
  }
  for (std::size_t i = 0; i < n.size(); ++i)
    if (!oi.count(n[i].name)) out.push_back({"member-added", n[i].name, "", n[i].text, -1, static_cast<int>(i)});
  const std::vector<bool> keep = in_order(common_new);
  for (std::size_t k = 0; k < keep.size(); ++k)
    if (!keep[k]) {
      const Item& it = o[common_old[k]];
      out.push_back({"member-reordered", it.name, it.text, n[common_new[k]].text, common_old[k], common_new[k]});
    }
}

// True when the only change is enumerators appended after the last old one.
bool diff_enumerators(Toks ot, Toks nt, std::vector<TypeDetail>& out) {
  const std::vector<Enumerator> o = enumerators_of(ot), n = enumerators_of(nt);
  std::unordered_map<std::string_view, int> oi, ni;
  for (std::size_t i = 0; i < o.size(); ++i) oi.try_emplace(o[i].name, static_cast<int>(i));
  for (std::size_t i = 0; i < n.size(); ++i) ni.try_emplace(n[i].name, static_cast<int>(i));
  bool appended_only = true;
  for (std::size_t i = 0; i < o.size(); ++i) {
    auto it = ni.find(o[i].name);
    if (it == ni.end()) {
      out.push_back({"enumerator-removed", o[i].name, o[i].text, "", static_cast<int>(i), -1});
      appended_only = false;
      continue;
    }
    const Enumerator& ne = n[it->second];
    if (o[i].value != ne.value) {
      std::string ot_ = o[i].text, nt_ = ne.text;
      if (ot_ == nt_) {  // implicitly renumbered
        ot_ += " (= " + o[i].value + ")";
        nt_ += " (= " + ne.value + ")";
      }
      out.push_back({"enumerator-revalued", o[i].name, ot_, nt_, static_cast<int>(i), it->second});
      appended_only = false;
    } else if (it->second != static_cast<int>(i) || o[i].text != ne.text) {
      appended_only = false;
    }
  }
  for (std::size_t i = 0; i < n.size(); ++i)
    if (!oi.count(n[i].name)) {
      out.push_back({"enumerator-added", n[i].name, "", n[i].text, -1, static_cast<int>(i)});
      if (i < o.size()) appended_only = false;
    }
  return appended_only && n.size() > o.size();
}

struct FunctionShape {
  bool function = false;
  std::size_t name = npos;
  std::vector<Range> params;
};

FunctionShape function_shape(std::string_view export_name, Toks t) {
  FunctionShape f;
  for (std::size_t j = 0; j < t.size(); ++j) {
    if (t[j].text == export_name) {
      f.name = j;
      break;
    }
    if (opens(t[j].text)) j = match(t, j);
  }
  if (f.name == npos || f.name + 1 >= t.size() || t[f.name + 1].text != "(") return f;
  f.function = true;
  const std::size_t close = match(t, f.name + 1);
  f.params = split(t, f.name + 2, close, ",");
  return f;
}

void diff_function(std::string_view name, Toks o, Toks n, std::vector<TypeDetail>& out) {
  const FunctionShape fo = function_shape(name, o), fn = function_shape(name, n);
  if (!fo.function && !fn.function) {  // an exported variable
    auto text = [](Toks t) {
      const std::size_t b = !t.empty() && t[0].text == "extern" ? 1 : 0;
      return join(t, b, t.size());
    };
    out.push_back({"variable-retyped", std::string(name), text(o), text(n), -1, -1});
    return;
  }
  if (!fo.function || !fn.function) {
    out.push_back({"other", std::string(name), join(o, 0, o.size()), join(n, 0, n.size()), -1, -1});
    return;
  }
  const std::string ro = join(o, 0, fo.name), rn = join(n, 0, fn.name);
  if (ro != rn) out.push_back({"return-type", "", ro, rn, -1, -1});
  const std::size_t common = std::min(fo.params.size(), fn.params.size());
  for (std::size_t i = 0; i < std::max(fo.params.size(), fn.params.size()); ++i) {
    const std::string label = std::to_string(i + 1);
    const int ii = static_cast<int>(i);
    if (i < common) {
      const std::string a = join(o, fo.params[i].b, fo.params[i].e), b = join(n, fn.params[i].b, fn.params[i].e);
      if (a != b) out.push_back({"parameter-retyped", label, a, b, ii, ii});
    } else if (i < fo.params.size()) {
      out.push_back({"parameter-removed", label, join(o, fo.params[i].b, fo.params[i].e), "", ii, -1});
    } else {
      out.push_back({"parameter-added", label, "", join(n, fn.params[i].b, fn.params[i].e), -1, ii});
    }
  }
}

// A typedef's (or an export variable's) definition without the word "typedef".
std::string typedef_text(Toks t) {
  std::string s;
  for (const SymToken& x : t) {
    if (x.text == "typedef") continue;
    if (!s.empty()) s += ' ';
    s += x.text;
  }
  return s;
}

// The keyword before a definition's '{': struct, union or enum.
std::string_view brace_kind(Toks t, std::size_t ob) {
  for (std::size_t j = ob; j-- > 0;)
    if (t[j].text == "struct" || t[j].text == "union" || t[j].text == "enum") return t[j].text;
  return {};
}

}  // namespace

TypeChange compare_definitions(std::string_view key, Toks o, Toks n) {
  TypeChange c;
  c.cls = "break";
  const std::string base(key_base(key));
  if (is_unknown_body(o) && !is_unknown_body(n)) {
    c.cls = "became-defined";
    c.details.push_back({"became-defined", base, join(o, 0, o.size()), join(n, 0, n.size()), -1, -1});
    return c;
  }
  if (!is_unknown_body(o) && is_unknown_body(n)) {
    c.details.push_back({"became-declared", base, join(o, 0, o.size()), join(n, 0, n.size()), -1, -1});
    return c;
  }
  const KeyKind kind = key_kind(key);
  const std::size_t obo = body_brace(o), obn = body_brace(n);
  const bool braces = obo != npos && obn != npos && brace_kind(o, obo) == brace_kind(n, obn);
  switch (kind) {
    case KeyKind::EnumConst:
      c.details.push_back({"enumerator-revalued", base, join(o, 0, o.size()), join(n, 0, n.size()), -1, -1});
      break;
    case KeyKind::Export:
      diff_function(key, o, n, c.details);
      break;
    case KeyKind::Typedef:
      if (!braces) {
        c.details.push_back({"typedef-retargeted", base, typedef_text(o), typedef_text(n), -1, -1});
        break;
      }
      [[fallthrough]];
    default:
      if (braces && brace_kind(o, obo) == "enum") {
        if (diff_enumerators(o, n, c.details)) c.cls = "enum-appended";
      } else if (braces) {
        diff_members(members_of(o), members_of(n), c.details);
        // tokens outside the braces (a typedef struct's name, say)
        const std::size_t co = match(o, obo), cn = match(n, obn);
        if (join(o, 0, obo) != join(n, 0, obn) || join(o, co, o.size()) != join(n, cn, n.size()))
          if (kind == KeyKind::Typedef)
            c.details.push_back({"typedef-retargeted", base, typedef_text(o), typedef_text(n), -1, -1});
      }
      break;
  }
  if (c.details.empty())
    c.details.push_back({"other", base, join(o, 0, o.size()), join(n, 0, n.size()), -1, -1});
  return c;
}

std::string reference_step(std::string_view key, Toks t, std::size_t index) {
  switch (key_kind(key)) {
    case KeyKind::Export: {
      const FunctionShape f = function_shape(key, t);
      if (!f.function) return "type";
      if (index < f.name) return "return type";
      for (std::size_t i = 0; i < f.params.size(); ++i)
        if (index >= f.params[i].b && index < f.params[i].e) return "parameter " + std::to_string(i + 1);
      return "type";
    }
    case KeyKind::EnumConst:
      return "";
    default: {
      const std::size_t ob = body_brace(t);
      if (ob == npos || index < ob) return "";
      if (brace_kind(t, ob) == "enum") {
        for (const Enumerator& e : enumerators_of(t))
          if (index >= e.b && index < e.e) return "enumerator " + e.name;
        return "";
      }
      const std::vector<Item> items = members_of(t);
      for (const Item& it : items)
        if (index >= it.decl_b && index < it.decl_e) return "member " + it.name;
      return "";
    }
  }
}


namespace {

// One changed type as found under the exports: a key with one (old, new) pair of definitions.
struct CauseAcc {
  std::uint32_t key;     // old corpus' key id
  std::uint32_t od, nd;  // definitions
  std::vector<std::pair<std::string, Chain>> hits;  // export, chain
  std::string final_key;
};

// The types reachable from an export through both corpora at once.  A type whose own record
// differs is a cause; under a changed record only the references both sides share are
// followed.  Exports of one (old file, new file) pair share the graph of that pair: it is
// built once (every reachable type, its edges, whether it changed), the types that lead to a
// change are marked, and each export is then walked breadth-first through those only, so
// that its chains are the shortest and clean subtrees are never entered again.
class Explainer {
public:
  Explainer(const SymtypesCorpus& o, const SymtypesCorpus& n) : o_(o), n_(n) {
    o2n_.resize(o.key_count());
    for (std::uint32_t k = 0; k < o.key_count(); ++k) o2n_[k] = n.find_key(o.key_name(k));
    node_.assign(o.key_count(), Node{});
    walk_stamp_.assign(o.key_count(), 0);
    parent_.resize(o.key_count());
  }

  enum class Outcome { Causes, NoTypeChange, Unexplained };

  // Builds the graph of the file pair from these exports' records (all of one pair).
  void build_pair(std::uint32_t ofile, std::uint32_t nfile, const std::vector<std::uint32_t>& export_keys) {
    ++pair_;
    ofile_ = ofile;
    missing_ = false;
    edges_.clear();
    std::vector<std::uint32_t> queue, changed;
    for (std::uint32_t k : export_keys) {
      const auto* oe = o_.find_export(o_.key_name(k));
      const auto* ne = n_.find_export(o_.key_name(k));
      add_node(k, oe->def, ne->def, queue);
    }
    for (std::size_t qi = 0; qi < queue.size(); ++qi) {
      const std::uint32_t k = queue[qi];
      Node& nd = node_[k];
      nd.edge_begin = static_cast<std::uint32_t>(edges_.size());
      const Toks ot = o_.tokens(o_.definition(nd.od));
      const Toks nt = n_.tokens(n_.definition(nd.nd));
      for (std::size_t ti = 0; ti < ot.size(); ++ti) {
        const SymToken& t = ot[ti];
        if (!t.is_ref()) continue;
        if (nd.changed) {
          bool shared = false;
          for (const SymToken& u : nt)
            if (u.is_ref() && u.text == t.text) {
              shared = true;
              break;
            }
          if (!shared) continue;
        }
        if (node_[t.ref].pair != pair_) {
          const std::uint32_t nk = o2n_[t.ref];
          const std::uint32_t od = o_.lookup(ofile, t.ref);
          const std::uint32_t ndf = nk == kNoId ? kNoId : n_.lookup(nfile, nk);
          if (od == kNoId || ndf == kNoId) {
            missing_ = true;
            continue;
          }
          add_node(t.ref, od, ndf, queue);
        }
        edges_.push_back({t.ref, static_cast<std::uint32_t>(ti)});
      }
      node_[k].edge_end = static_cast<std::uint32_t>(edges_.size());
      if (node_[k].changed) changed.push_back(k);
    }
    // the types that lead to a change: backwards from the changed ones
    std::vector<std::pair<std::uint32_t, std::uint32_t>> rev;  // (child, parent)
    for (std::uint32_t k : queue)
      for (std::uint32_t e = node_[k].edge_begin; e < node_[k].edge_end; ++e) rev.emplace_back(edges_[e].key, k);
    std::sort(rev.begin(), rev.end());
    for (std::uint32_t k : changed) node_[k].dirty = true;
    for (std::size_t qi = 0; qi < changed.size(); ++qi) {
      auto it = std::lower_bound(rev.begin(), rev.end(), std::make_pair(changed[qi], std::uint32_t(0)));
      for (; it != rev.end() && it->first == changed[qi]; ++it)
        if (!node_[it->second].dirty) {
          node_[it->second].dirty = true;
          changed.push_back(it->second);
        }
    }
  }

  Outcome walk(const std::string& symbol, std::uint32_t export_key, std::vector<std::size_t>& found) {
    ++epoch_;
    std::vector<std::uint32_t> queue;
    if (node_[export_key].dirty) {
      walk_stamp_[export_key] = epoch_;
      parent_[export_key] = {kNoId, 0};
      queue.push_back(export_key);
    }
    for (std::size_t qi = 0; qi < queue.size(); ++qi) {
      const std::uint32_t k = queue[qi];
      const Node& nd = node_[k];
      if (nd.changed) found.push_back(cause(k, nd.od, nd.nd, symbol, chain(k)));
      for (std::uint32_t e = nd.edge_begin; e < nd.edge_end; ++e) {
        const Edge& ed = edges_[e];
        if (!node_[ed.key].dirty || walk_stamp_[ed.key] == epoch_) continue;
        walk_stamp_[ed.key] = epoch_;
        parent_[ed.key] = {k, ed.token};
        queue.push_back(ed.key);
      }
    }
    if (!found.empty()) return Outcome::Causes;
    return missing_ ? Outcome::Unexplained : Outcome::NoTypeChange;
  }

  std::vector<CauseAcc>& causes() { return causes_; }

private:
  struct Node {
    std::uint32_t pair = 0;
    std::uint32_t od = kNoId, nd = kNoId;
    std::uint32_t edge_begin = 0, edge_end = 0;
    bool changed = false, dirty = false;
  };
  struct Edge {
    std::uint32_t key, token;
  };

  void add_node(std::uint32_t k, std::uint32_t od, std::uint32_t nd, std::vector<std::uint32_t>& queue) {
    Node& n = node_[k];
    n.pair = pair_;
    n.od = od;
    n.nd = nd;
    n.edge_begin = n.edge_end = 0;
    n.changed = o_.definition(od).body != n_.definition(nd).body;
    n.dirty = false;
    queue.push_back(k);
  }

  std::size_t cause(std::uint32_t key, std::uint32_t od, std::uint32_t nd, const std::string& symbol, Chain c) {
    const std::uint64_t id = (std::uint64_t(od) << 32) | nd;
    auto [it, fresh] = cause_ids_.try_emplace(id, causes_.size());
    if (fresh) causes_.push_back({key, od, nd, {}, {}});
    causes_[it->second].hits.emplace_back(symbol, std::move(c));
    return it->second;
  }

  // export -> step -> type -> step -> ... -> the type `key`, from the walk's parent links.
  Chain chain(std::uint32_t key) {
    std::vector<std::uint32_t> path;
    for (std::uint32_t k = key; k != kNoId; k = parent_[k].key) path.push_back(k);
    std::reverse(path.begin(), path.end());
    Chain c;
    if (path.size() == 1) {
      c.push_back(readable_key(o_.key_name(key)));
      return c;
    }
    for (std::size_t i = 1; i < path.size(); ++i) {
      const std::uint32_t pk = path[i - 1];
      const std::uint32_t pd = node_[pk].od;
      const std::uint32_t ti = parent_[path[i]].token;
      const std::uint64_t memo_id = (std::uint64_t(pd) << 32) | ti;
      auto it = steps_.find(memo_id);
      if (it == steps_.end())
        it = steps_.emplace(memo_id, reference_step(o_.key_name(pk), o_.tokens(o_.definition(pd)), ti)).first;
      if (!it->second.empty()) c.push_back(it->second);
      c.push_back(readable_key(o_.key_name(path[i])));
    }
    return c;
  }

  const SymtypesCorpus& o_;
  const SymtypesCorpus& n_;
  std::vector<std::uint32_t> o2n_;
  std::vector<Node> node_;
  std::vector<Edge> edges_;
  std::uint32_t pair_ = 0, ofile_ = kNoId;
  bool missing_ = false;
  std::vector<std::uint32_t> walk_stamp_;
  std::uint32_t epoch_ = 0;
  struct Parent {
    std::uint32_t key, token;
  };
  std::vector<Parent> parent_;
  std::unordered_map<std::uint64_t, std::size_t> cause_ids_;
  std::vector<CauseAcc> causes_;
  std::unordered_map<std::uint64_t, std::string> steps_;
};

}  // namespace

void explain_crc_changes(const SymtypesCorpus& old_types, const SymtypesCorpus& new_types, AbiDiff& diff) {
  diff.have_symtypes = true;
  Explainer ex(old_types, new_types);
  std::vector<std::vector<std::size_t>> per_change(diff.changes.size());
  std::vector<std::string> no_change;
  // the changes grouped by (old file, new file): each pair's graph is built once
  struct Job {
    std::uint32_t ofile, nfile, key;
    std::size_t change;
  };
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < diff.changes.size(); ++i) {
    const SymbolChange& ch = diff.changes[i];
    if (ch.kind != "crc") continue;
    const auto* oe = old_types.find_export(ch.symbol);
    const auto* ne = new_types.find_export(ch.symbol);
    if (!oe || !ne) {
      diff.unexplained.push_back(ch.symbol);
      continue;
    }
    jobs.push_back({oe->file, ne->file, oe->key, i});
  }
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.ofile != b.ofile ? a.ofile < b.ofile : a.nfile < b.nfile;
  });
  for (std::size_t b = 0; b < jobs.size();) {
    std::size_t e = b;
    std::vector<std::uint32_t> keys;
    while (e < jobs.size() && jobs[e].ofile == jobs[b].ofile && jobs[e].nfile == jobs[b].nfile) keys.push_back(jobs[e++].key);
    ex.build_pair(jobs[b].ofile, jobs[b].nfile, keys);
    for (std::size_t j = b; j < e; ++j) {
      const SymbolChange& ch = diff.changes[jobs[j].change];
      switch (ex.walk(ch.symbol, jobs[j].key, per_change[jobs[j].change])) {
        case Explainer::Outcome::Causes: break;
        case Explainer::Outcome::NoTypeChange: no_change.push_back(ch.symbol); break;
        case Explainer::Outcome::Unexplained: diff.unexplained.push_back(ch.symbol); break;
      }
    }
    b = e;
  }
  std::vector<CauseAcc>& acc = ex.causes();
  // One key may have changed in different ways in different files (declared in one, defined in
  // another): the variant with the most exports keeps the key, the others get "#2", "#3"...
  std::vector<std::size_t> order(acc.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return acc[a].hits.size() > acc[b].hits.size();
  });
  std::unordered_map<std::uint32_t, int> variants;
  for (std::size_t i : order) {
    const int v = ++variants[acc[i].key];
    acc[i].final_key = std::string(old_types.key_name(acc[i].key));
    if (v > 1) acc[i].final_key += "#" + std::to_string(v);
  }
  for (std::size_t i : order) {
    CauseAcc& a = acc[i];
    const std::string_view key = old_types.key_name(a.key);
    TypeChange tc = compare_definitions(key, old_types.tokens(old_types.definition(a.od)),
                                        new_types.tokens(new_types.definition(a.nd)));
    RootCause rc;
    rc.key = a.final_key;
    rc.type = readable_key(key);
    rc.cls = tc.cls;
    rc.details = std::move(tc.details);
    std::sort(a.hits.begin(), a.hits.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& [sym, chain] : a.hits) {
      rc.exports.push_back(sym);
      rc.chains.push_back(std::move(chain));
    }
    diff.causes.push_back(std::move(rc));
  }
  if (!no_change.empty()) {
    RootCause rc;
    rc.cls = "no-type-change";
    std::sort(no_change.begin(), no_change.end());
    rc.exports = no_change;
    rc.chains.resize(no_change.size());
    diff.causes.push_back(std::move(rc));
  }
  std::stable_sort(diff.causes.begin(), diff.causes.end(), [](const RootCause& a, const RootCause& b) {
    if (a.exports.size() != b.exports.size()) return a.exports.size() > b.exports.size();
    return a.key < b.key;
  });
  for (std::size_t i = 0; i < diff.changes.size(); ++i) {
    SymbolChange& ch = diff.changes[i];
    for (std::size_t c : per_change[i]) ch.root_causes.push_back(acc[c].final_key);
    if (!ch.root_causes.empty()) ch.root_cause = ch.root_causes.front();
  }
  std::sort(diff.unexplained.begin(), diff.unexplained.end());
}

}  // namespace modforge::abi
