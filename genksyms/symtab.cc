// The token chain, the symbol table and the reference file (-r) of the genksyms engine.
#include <algorithm>
#include <new>
#include <cstdio>

#include "core/diag.h"
#include "core/error.h"
#include "genksyms/engine.h"

namespace modforge::genksyms {

namespace {
constexpr std::size_t kChunk = 4096;
}

char type_letter(SymType t) {
  static constexpr char kLetters[] = {0, 't', 'e', 's', 'u', 'E'};
  return kLetters[t];
}

std::string_view type_name(SymType t) {
  static constexpr std::string_view kNames[] = {"", "typedef", "enum", "struct", "union", "enum constant"};
  return kNames[t];
}

Engine::Engine(const Settings& settings, std::string& out, std::string& err)
    : settings_(settings), out_(out), err_(err) {}

Engine::~Engine() = default;

Node* Engine::alloc_node() {
  if (free_nodes_) {
    Node* n = free_nodes_;
    free_nodes_ = n->next;
    return n;
  }
  if (chunks_.empty() || chunk_used_ == kChunk) {
    chunks_.push_back(std::make_unique<Node[]>(kChunk));
    chunk_used_ = 0;
  }
  return &chunks_.back()[chunk_used_++];
}

void Engine::free_node(Node* n) {
  n->next = free_nodes_;
  free_nodes_ = n;
}

std::size_t Engine::nodes_allocated() const { return chunks_.size() * kChunk; }

void Engine::free_list(Node* s, Node* e) {
  // A list longer than all nodes ever made has a cycle, which the real tool would free twice.
  for (std::size_t n = 0, bound = nodes_allocated(); s != e && s; ++n) {
    if (n > bound) throw Error("genksyms: cyclic token list (the real genksyms frees a node twice here)", 1);
    Node* next = s->next;
    free_node(s);
    s = next;
  }
}

Node* Engine::copy_node(const Node* n) {
  Node* c = alloc_node();
  c->str = n->str;
  c->tag = n->tag;
  c->in_source = n->in_source;
  c->next = nullptr;
  return c;
}

Node* Engine::copy_list_range(Node* start, Node* end) {
  if (start == end || !start) return nullptr;
  Node* res = copy_node(start);
  Node* n = res;
  // Copying a cyclic list never ends in the real tool: it allocates until malloc fails.
  const std::size_t bound = nodes_allocated();
  std::size_t steps = 0;
  for (start = start->next; start != end && start; start = start->next) {
    if (++steps > bound) throw std::bad_alloc();
    n->next = copy_node(start);
    n = n->next;
  }
  n->next = nullptr;
  return res;
}

void Engine::remove_node(Node** p) {
  if (!p || !*p) return;
  Node* node = *p;
  *p = node->next;
  free_node(node);
}

void Engine::remove_list(Node** pb, Node** pe) {
  Node* b = *pb;
  Node* e = *pe;
  *pb = e;
  free_list(b, e);
}

const Item* Engine::store_items(const std::vector<Item>& defn) {
  if (defn.empty()) return nullptr;
  if (item_block_used_ + defn.size() > item_block_size_) {
    item_block_size_ = std::max<std::size_t>(defn.size(), 16384);
    item_blocks_.push_back(std::make_unique_for_overwrite<Item[]>(item_block_size_));
    item_block_used_ = 0;
  }
  Item* dst = item_blocks_.back().get() + item_block_used_;
  std::copy(defn.begin(), defn.end(), dst);
  item_block_used_ += defn.size();
  return dst;
}

std::string_view Engine::intern(std::string s) { return strings_.emplace_back(std::move(s)); }

void Engine::print_location() {
  diag::location(err_, cur_filename_ ? *cur_filename_ : std::string_view("<stdin>"),
                 cur_line_ ? *cur_line_ : idle_line_);
}

void Engine::error_with_pos(std::string_view msg) {
  if (!settings_.warnings) return;
  print_location();
  err_ += msg;
  err_ += '\n';
  ++errors_;
}

void Engine::print_list(std::string& to, const Item* items, std::size_t n) const {
  if (n == 0) {
    to += "(nil)";
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (char c = type_letter(items[i].tag)) {
      to += c;
      to += '#';
    }
    to += items[i].str();
    to += ' ';
  }
}

Symbol* Engine::find_symbol(std::string_view name, SymType ns, bool exact) {
  auto& map = (ns == SYM_ENUM || ns == SYM_STRUCT || ns == SYM_UNION) ? ns_struct_ : ns_normal_;
  Symbol* const* found = map.find(name);
  if (!found || !(*found)->is_declared) return nullptr;
  if (exact && (*found)->type != ns) return nullptr;
  return *found;
}

bool Engine::is_unknown_symbol(const Symbol& s) const {
  if (s.type != SYM_STRUCT && s.type != SYM_UNION && s.type != SYM_ENUM) return false;
  if (s.defn_len < 3) return false;
  const Item* d = s.defn + s.defn_len - 3;
  return d[0] == Item("{", SYM_NORMAL) && d[1] == Item("UNKNOWN", SYM_NORMAL) && d[2] == Item("}", SYM_NORMAL);
}

Symbol* Engine::add_symbol(std::optional<std::string_view> name, SymType type, Node* defn, bool is_extern) {
  // The chain runs newest token first; definitions are kept in source order.
  scratch_.clear();
  const std::size_t bound = nodes_allocated();
  for (Node* n = defn; n; n = n->next) {
    if (scratch_.size() > bound) throw std::bad_alloc();  // cyclic: see copy_list_range
    scratch_.push_back({n->str, n->tag});
  }
  std::reverse(scratch_.begin(), scratch_.end());
  free_list(defn, nullptr);
  return add_items(name, type, scratch_, is_extern, false);
}

Symbol* Engine::add_items(std::optional<std::string_view> name, SymType type, std::vector<Item>& defn,
                          bool is_extern, bool is_reference) {
  if (type == SYM_ENUM_CONST) {
    if (!defn.empty()) {
      last_enum_expr_ = defn;
      have_last_enum_expr_ = true;
      enum_counter_ = 1;
    } else {
      std::string_view num = intern(std::to_string(enum_counter_++));
      if (have_last_enum_expr_) {
        defn.push_back({"(", SYM_NORMAL});
        defn.insert(defn.end(), last_enum_expr_.begin(), last_enum_expr_.end());
        defn.push_back({")", SYM_NORMAL});
        defn.push_back({"+", SYM_NORMAL});
      }
      defn.push_back({num, SYM_NORMAL});
    }
  } else if (type == SYM_ENUM) {
    last_enum_expr_.clear();
    have_last_enum_expr_ = false;
    enum_counter_ = 0;
    if (!name) return nullptr;
  }
  if (!name) return nullptr;

  auto& map = (type == SYM_ENUM || type == SYM_STRUCT || type == SYM_UNION) ? ns_struct_ : ns_normal_;
  Symbol* const* slot = map.find(*name);
  Symbol* sym = slot ? *slot : nullptr;
  Status status = STATUS_UNCHANGED;
  if (sym) {
    if (is_reference) {
      // replaced below
    } else if (sym->type == type && sym->defn_len == defn.size() &&
               std::equal(defn.begin(), defn.end(), sym->defn)) {
      if (!sym->is_declared && sym->is_override) {
        print_location();
        err_ += type == SYM_NORMAL ? std::string(*name) : std::string(type_name(type)) + " " + std::string(*name);
        err_ += " modversion is unchanged\n";
      }
      sym->is_declared = true;
      note_declared(*sym);
      return sym;
    } else if (!sym->is_declared) {
      if (sym->is_override && settings_.preserve) {
        print_location();
        err_ += "ignoring ";
        err_ += type == SYM_NORMAL ? std::string(*name) : std::string(type_name(type)) + " " + std::string(*name);
        err_ += " modversion change\n";
        sym->is_declared = true;
        note_declared(*sym);
        return sym;
      }
      status = is_unknown_symbol(*sym) ? STATUS_DEFINED : STATUS_MODIFIED;
    } else {
      error_with_pos("redefinition of " + std::string(*name));
      return sym;
    }
    --nsyms_;
  }

  Symbol& s = symbols_.emplace_back();
  s.name = *name;
  s.type = type;
  s.defn = store_items(defn);
  s.defn_len = static_cast<std::uint32_t>(defn.size());
  s.is_extern = is_extern;
  s.is_declared = !is_reference;
  if (s.is_declared) note_declared(s);
  s.status = status;
  map.put(&s);

  if (settings_.debug) {
    err_ += "Defn for ";
    if (type == SYM_NORMAL) err_ += "type0 ";
    else { err_ += type_name(type); err_ += ' '; }
    err_ += *name;
    err_ += " == <";
    if (is_extern) err_ += "extern ";
    print_list(err_, s.defn, s.defn_len);
    err_ += ">\n";
  }
  ++nsyms_;
  return &s;
}

void Engine::read_reference(std::string_view text) {
  std::size_t pos = 0;
  bool eof = false;
  // One blank-separated token; nullopt where the real reader returns NULL (end of line or file).
  auto read_node = [&]() -> std::optional<Item> {
    std::size_t begin = 0, len = 0;
    bool in_string = false;
    for (;;) {
      if (pos >= text.size()) {
        eof = true;
        break;
      }
      char c = text[pos++];
      if (!in_string && c == ' ') {
        if (len == 0) continue;
        break;
      } else if (c == '"') {
        in_string = !in_string;
      } else if (c == '\n') {
        if (len == 0) return std::nullopt;
        --pos;
        break;
      }
      if (len >= 255) throw Error("Token too long", 1);
      if (len == 0) begin = pos - 1;
      ++len;
    }
    if (len == 0) return std::nullopt;
    std::string_view s = text.substr(begin, len);
    s = s.substr(0, s.find('\0'));  // the real reader keeps C strings
    if (s.size() >= 2 && s[1] == '#') {
      for (SymType t : {SYM_NORMAL, SYM_TYPEDEF, SYM_ENUM, SYM_STRUCT, SYM_UNION, SYM_ENUM_CONST})
        if (s[0] == type_letter(t)) return Item{s.substr(2), t};
      throw Error(std::string("Unknown type ") + s[0], 1);
    }
    return Item{s, SYM_NORMAL};
  };

  std::vector<Item> defn;
  while (!eof) {
    bool is_extern = false, is_override = false;
    std::optional<Item> sym = read_node();
    if (sym && sym->tag == SYM_NORMAL && sym->str() == "override") {
      is_override = true;
      sym = read_node();
    }
    if (!sym) continue;
    std::optional<Item> def = read_node();
    if (def && def->tag == SYM_NORMAL && def->str() == "extern") {
      is_extern = true;
      def = read_node();
    }
    defn.clear();
    while (def) {
      defn.push_back(*def);
      def = read_node();
    }
    Symbol* s = add_items(sym->str(), sym->tag, defn, is_extern, true);
    if (s) s->is_override = is_override;
  }
}

std::string Engine::types() {
  std::string t;
  for (Symbol* s : visited_) {
    if (s->is_override) t += "override ";
    if (char c = type_letter(s->type)) {
      t += c;
      t += '#';
    }
    t += s->name;
    t += ' ';
    if (s->is_extern) t += "extern ";
    print_list(t, s->defn, s->defn_len);
    t += '\n';
  }
  return t;
}

void Engine::print_occupancy() {
  char buf[128];
  std::snprintf(buf, sizeof buf, "Hash table occupancy %d/%d = %g\n", nsyms_, 4096,
                static_cast<double>(nsyms_) / 4096.0);
  err_ += buf;
}

}  // namespace modforge::genksyms
