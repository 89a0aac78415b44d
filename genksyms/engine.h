// The genksyms engine: one run over one preprocessed translation unit.  It keeps the real
// tool's data model (a reversed chain of token nodes that the grammar actions cut and
// splice, a symbol table in two namespaces, an expansion trail per export) so that every
// output, warning and debug line comes out in the same order and with the same text.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash_index.h"
#include "genksyms/scanner.h"

namespace modforge::genksyms {

enum SymType : std::uint8_t { SYM_NORMAL, SYM_TYPEDEF, SYM_ENUM, SYM_STRUCT, SYM_UNION, SYM_ENUM_CONST };
enum Status : std::uint8_t { STATUS_UNCHANGED, STATUS_DEFINED, STATUS_MODIFIED };

// "t#" style prefixes and names of the symbol kinds, as genksyms prints them.
char type_letter(SymType t);
std::string_view type_name(SymType t);

struct Node {
  Node* next;
  std::string_view str;
  SymType tag;
  bool in_source;
};

// One token of a stored definition: 16 bytes, a view into the input or the reference file.
struct Item {
  Item() = default;
  Item(std::string_view s, SymType t) : ptr(s.data()), len(static_cast<std::uint32_t>(s.size())), tag(t) {}
  std::string_view str() const { return {ptr, len}; }
  bool operator==(const Item& o) const { return tag == o.tag && str() == o.str(); }

  const char* ptr = nullptr;
  std::uint32_t len = 0;
  SymType tag = SYM_NORMAL;
};

struct Symbol {
  std::string_view name;
  SymType type = SYM_NORMAL;
  Status status = STATUS_UNCHANGED;
  bool is_extern = false;
  bool is_declared = false;
  bool is_override = false;
  bool visited = false;
  bool on_trail = false;
  const Item* defn = nullptr;  // in Engine's item arena; empty means no definition
  std::uint32_t defn_len = 0;
};

struct Settings {
  int debug = 0;            // -d, repeatable
  bool dump_defs = false;   // -D
  bool warnings = false;    // -w / -q
  bool preserve = false;    // -p
};

class Engine {
public:
  Engine(const Settings& settings, std::string& out, std::string& err);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void read_reference(std::string_view text);  // -r; throws Error on fatal input
  void parse(std::string_view input);
  std::string types();  // the -T file
  void print_occupancy();  // -d's closing line
  int errors() const { return errors_; }

private:
  friend class Parser;
  // token chain
  Node* alloc_node();
  std::size_t nodes_allocated() const;
  void free_node(Node* n);
  void free_list(Node* s, Node* e);
  Node* copy_node(const Node* n);
  Node* copy_list_range(Node* start, Node* end);
  void remove_node(Node** p);
  void remove_list(Node** pb, Node** pe);

  // symbols
  // False when no typedef or enum constant of that name was ever declared: most tokens are
  // neither, and this spares them a hash lookup.
  bool maybe_declared(std::string_view name) const {
    const std::uint32_t h = filter_hash(name);
    return (declared_filter_[h >> 6] >> (h & 63)) & 1;
  }
  static std::uint32_t filter_hash(std::string_view s) {
    if (s.empty()) return 0;
    std::uint32_t h = static_cast<std::uint32_t>(s.size());
    h = h * 31 + static_cast<unsigned char>(s[0]);
    h = h * 31 + static_cast<unsigned char>(s[s.size() - 1]);
    h = h * 31 + static_cast<unsigned char>(s[s.size() / 2]);
    if (s.size() > 2) h = h * 31 + static_cast<unsigned char>(s[s.size() - 2]);
    return (h * 2654435761u) >> 16;
  }
  void note_declared(const Symbol& s) {
    if (s.type == SYM_TYPEDEF || s.type == SYM_ENUM_CONST) {
      const std::uint32_t h = filter_hash(s.name);
      declared_filter_[h >> 6] |= std::uint64_t(1) << (h & 63);
    }
  }
  Symbol* find_symbol(std::string_view name, SymType ns, bool exact);
  Symbol* add_symbol(std::optional<std::string_view> name, SymType type, Node* defn, bool is_extern);
  Symbol* add_items(std::optional<std::string_view> name, SymType type, std::vector<Item>& defn,
                    bool is_extern, bool is_reference);
  bool is_unknown_symbol(const Symbol& s) const;
  std::string_view intern(std::string s);
  void print_list(std::string& to, const Item* items, std::size_t n) const;

  // diagnostics
  void print_location();
  void error_with_pos(std::string_view msg);

  // exports
  void export_symbol(std::string_view name);
  void expand(Symbol* root, std::string& text, std::vector<Symbol*>& trail);

  const Settings settings_;
  std::string& out_;
  std::string& err_;
  int errors_ = 0;
  int nsyms_ = 0;

  std::optional<std::string_view> cur_filename_;
  int* cur_line_ = nullptr;  // the scanner's line counter while parsing
  int idle_line_ = 1;

  // nodes come from chunks and are recycled through a free list
  std::vector<std::unique_ptr<Node[]>> chunks_;
  std::size_t chunk_used_ = 0;
  Node* free_nodes_ = nullptr;

  const Item* store_items(const std::vector<Item>& defn);

  std::deque<Symbol> symbols_;
  struct SymbolName {
    std::string_view operator()(const Symbol* s) const { return s->name; }
  };
  HashIndex<Symbol*, SymbolName> ns_normal_{4096}, ns_struct_{1024};
  // Definitions never move once stored: blocks of items, each definition contiguous.
  std::vector<std::unique_ptr<Item[]>> item_blocks_;
  std::size_t item_block_used_ = 0, item_block_size_ = 0;
  std::deque<std::string> strings_;
  std::vector<Symbol*> visited_;
  std::vector<std::uint64_t> declared_filter_ = std::vector<std::uint64_t>(1024);  // 65536 bits

  // enumerator numbering, carried from one enum constant to the next
  int enum_counter_ = 0;
  std::vector<Item> last_enum_expr_;
  bool have_last_enum_expr_ = false;
  std::vector<Item> scratch_;
};

}  // namespace modforge::genksyms
