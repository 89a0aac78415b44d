#include "modpost/template.h"

#include "core/error.h"
#include "modpost/templates_embedded.h"

namespace modforge::modpost {

std::string_view template_text(std::string_view name) {
  for (const EmbeddedTemplate& t : kEmbeddedTemplates)
    if (t.name == name) return t.text;
  throw Error("no template named " + std::string(name));
}

std::string expand(std::string_view tpl, const TemplateValues& v) {
  std::string out;
  out.reserve(tpl.size() + 1024);
  std::size_t pos = 0;
  while (pos < tpl.size()) {
    const std::size_t open = tpl.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(tpl.substr(pos));
      break;
    }
    out.append(tpl.substr(pos, open - pos));
    const std::size_t close = tpl.find("}}", open);
    if (close == std::string_view::npos) throw Error("template: unclosed {{");
    std::string_view tag = tpl.substr(open + 2, close - open - 2);
    pos = close + 2;
    if (!tag.empty() && tag[0] == '#') {
      const std::string end = "{{/" + std::string(tag.substr(1)) + "}}";
      const std::size_t stop = tpl.find(end, pos);
      if (stop == std::string_view::npos) throw Error("template: section " + std::string(tag) + " not closed");
      if (v.flags.count(tag.substr(1))) out.append(expand(tpl.substr(pos, stop - pos), v));
      pos = stop + end.size();
      continue;
    }
    auto it = v.text.find(tag);
    if (it == v.text.end()) throw Error("template: no value for {{" + std::string(tag) + "}}");
    out.append(it->second);
  }
  return out;
}

}  // namespace modforge::modpost
