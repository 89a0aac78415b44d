// EXPORT_SYMBOL handling: the full expansion of a symbol's definition, its CRC, and the
// warnings about types that changed against the reference file.
#include <cstdio>

#include "core/crc32.h"
#include "core/error.h"
#include "genksyms/engine.h"

namespace modforge::genksyms {

void Engine::export_symbol(std::string_view name) {
  Symbol* sym = find_symbol(name, SYM_NORMAL, false);
  if (!sym) {
    error_with_pos("export undefined symbol " + std::string(name));
    return;
  }
  if (settings_.dump_defs) {
    err_ += "Export ";
    err_ += name;
    err_ += " == <";
  }
  std::string text;
  std::vector<Symbol*> trail;
  sym->on_trail = true;
  trail.push_back(sym);
  expand(sym, text, trail);
  const std::uint32_t crc = sym_crc(text);

  bool has_changed = false;
  for (auto it = trail.rbegin(); it != trail.rend(); ++it) {
    Symbol* s = *it;
    if (s->status != STATUS_UNCHANGED) {
      if (!has_changed) {
        print_location();
        err_ += settings_.preserve ? "error" : "warning";
        err_ += ": ";
        err_ += name;
        err_ += ": modversion changed because of changes in ";
      } else {
        err_ += ", ";
      }
      if (s->type != SYM_NORMAL) {
        err_ += type_name(s->type);
        err_ += ' ';
      }
      err_ += s->name;
      if (s->status == STATUS_DEFINED) err_ += " (became defined)";
      has_changed = true;
      if (settings_.preserve) ++errors_;
    }
    s->on_trail = false;
  }
  if (has_changed) err_ += '\n';
  if (settings_.dump_defs) err_ += ">\n";

  char line[32];
  std::snprintf(line, sizeof line, " 0x%08x\n", crc);
  out_ += "#SYMVER ";
  out_ += name;
  out_ += line;
}

// Depth-first over definitions, as the real recursive expansion, but with an explicit stack:
// a long chain of typedefs must not overflow the C stack.
void Engine::expand(Symbol* root, std::string& text, std::vector<Symbol*>& trail) {
  struct Frame {
    Symbol* sym;
    std::uint32_t i;
  };
  std::vector<Frame> stack;
  auto emit = [&](std::string_view s) {
    text += s;
    text += ' ';
    if (settings_.dump_defs) {
      err_ += s;
      err_ += ' ';
    }
  };
  auto enter = [&](Symbol* s) {
    if (s->defn_len) stack.push_back({s, 0});
  };
  // A symbol is expanded once per export; later references print just its name.
  auto descend = [&](Symbol* s) {
    s->on_trail = true;
    trail.push_back(s);
    enter(s);
  };
  enter(root);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.i == f.sym->defn_len) {
      Symbol* done = f.sym;
      stack.pop_back();
      if (!done->visited) {
        done->visited = true;
        visited_.push_back(done);
      }
      continue;
    }
    const Item cur = f.sym->defn[f.i++];
    switch (cur.tag) {
      case SYM_NORMAL:
        emit(cur.str());
        break;
      case SYM_ENUM_CONST:
      case SYM_TYPEDEF: {
        Symbol* sub = find_symbol(cur.str(), cur.tag, false);
        if (!sub) {
          // The real tool dereferences a null symbol here and crashes.
          throw Error(std::string(cur_filename_ ? *cur_filename_ : "<stdin>") +
                          ": reference file refers to undefined " + std::string(type_name(cur.tag)) + " " +
                          std::string(cur.str()),
                      1);
        }
        if (sub->on_trail) emit(cur.str());
        else descend(sub);
        break;
      }
      case SYM_STRUCT:
      case SYM_UNION:
      case SYM_ENUM: {
        Symbol* sub = find_symbol(cur.str(), cur.tag, false);
        if (!sub) {
          error_with_pos("expand undefined " + std::string(type_name(cur.tag)) + " " + std::string(cur.str()));
          std::vector<Item> unknown = {{type_name(cur.tag), SYM_NORMAL},
                                       {cur.str(), SYM_NORMAL},
                                       {"{", SYM_NORMAL},
                                       {"UNKNOWN", SYM_NORMAL},
                                       {"}", SYM_NORMAL}};
          sub = add_items(cur.str(), cur.tag, unknown, false, false);
        }
        if (sub->on_trail) {
          emit(type_name(cur.tag));
          emit(cur.str());
        } else {
          descend(sub);
        }
        break;
      }
    }
  }
}

}  // namespace modforge::genksyms
