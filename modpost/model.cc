#include "modpost/model.h"

#include <cstring>

namespace modforge::modpost {

std::string_view Model::keep(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(arena_.allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

Module& Model::new_module(std::string_view name) {
  Module& m = modules_.emplace_back();
  m.name = std::string(name);
  m.is_vmlinux = m.name == "vmlinux";
  if (!module_index_.find(m.name)) module_index_.put(&m);
  return m;
}

Module* Model::find_module(std::string_view name) {
  auto* p = module_index_.find(name);
  return p ? *p : nullptr;
}

Symbol& Model::add_export(std::string_view name, Module& mod) {
  Symbol& s = symbols_.emplace_back();
  s.name = keep(name);
  s.module = &mod;
  if (auto* prev = exports_.find(s.name)) s.older = *prev;
  exports_.put(&s);
  mod.exported.push_back(&s);
  return s;
}

Symbol* Model::find(std::string_view name) const {
  // ".foo" matches "foo" (a PPC64 rule the real lookup applies on every architecture)
  if (!name.empty() && name[0] == '.') name.remove_prefix(1);
  auto* p = exports_.find(name);
  return p ? *p : nullptr;
}

Symbol* Model::find_in(std::string_view name, const Module* mod) const {
  for (Symbol* s = find(name); s; s = s->older)
    if (s->module == mod) return s;
  return nullptr;
}

Symbol& Model::add_unresolved(std::string_view name, Module& mod, bool weak) {
  Symbol& s = symbols_.emplace_back();
  s.name = keep(name);
  s.weak = weak;
  mod.unresolved.push_back(&s);
  return s;
}

}  // namespace modforge::modpost
