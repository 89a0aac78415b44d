// What modpost knows after reading its inputs: the modules in the order it met them, the
// symbols each exports and the symbols each leaves unresolved, and a name index over all
// exports.  Names are copied into an arena, since an object's mapping is released once it
// has been read (the real tool frees its files the same way).
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash_index.h"

namespace modforge::modpost {

struct Module;

struct Symbol {
  std::string_view name;
  Module* module = nullptr;       // exporter (exports); resolved owner (unresolved ones)
  std::string_view ns;            // namespace; "" is the default one
  uint32_t crc = 0;
  bool crc_valid = false;
  bool weak = false;
  bool is_func = false;
  bool gpl_only = false;
  bool used = false;
  Symbol* older = nullptr;        // the export of the same name added before this one
};

struct Module {
  std::string name;  // the .o path without ".o", or the name from a Module.symvers line
  bool is_vmlinux = false;
  bool from_dump = false;
  bool has_init = false;
  bool has_cleanup = false;
  bool gpl_compatible = true;  // until a licence says otherwise
  bool seen = false;
  std::vector<Symbol*> exported;
  std::vector<Symbol*> unresolved;
  std::vector<std::string_view> imported_ns;
  std::vector<std::string_view> missing_ns;
  std::string dev_table;   // MODULE_ALIAS lines from device tables
  std::string srcversion;  // empty: none
};

// "basename" as modpost prints it: the part after the last '/'.
inline std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

inline bool contains_ns(const std::vector<std::string_view>& list, std::string_view ns) {
  for (auto n : list)
    if (n == ns) return true;
  return false;
}

class Model {
public:
  Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  std::string_view keep(std::string_view s);  // a copy in the arena

  Module& new_module(std::string_view name);
  Module* find_module(std::string_view name);  // the first of that name
  const std::deque<Module>& modules() const { return modules_; }
  std::deque<Module>& modules() { return modules_; }

  // Exports: find() gives the newest export of that name, as the real hash chains do.
  Symbol& add_export(std::string_view name, Module& mod);
  Symbol* find(std::string_view name) const;
  Symbol* find_in(std::string_view name, const Module* mod) const;
  Symbol& add_unresolved(std::string_view name, Module& mod, bool weak);

private:
  struct NameOf {
    std::string_view operator()(const Symbol* s) const { return s->name; }
  };
  struct ModNameOf {
    std::string_view operator()(const Module* m) const { return m->name; }
  };
  std::pmr::monotonic_buffer_resource arena_{1 << 16};
  std::deque<Module> modules_;
  std::deque<Symbol> symbols_;
  // a vmlinux Module.symvers holds some 25,000 exports: a fuller table keeps modpost's
  // peak memory at the real tool's
  HashIndex<Symbol*, NameOf> exports_{4096, 80};
  HashIndex<Module*, ModNameOf> module_index_{256};
};

}  // namespace modforge::modpost
