// The tiny template language of templates/*.in: {{name}} and {{#flag}}...{{/flag}}.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace modforge::modpost {

struct TemplateValues {
  std::map<std::string, std::string, std::less<>> text;
  std::set<std::string, std::less<>> flags;
};

// The embedded template of that name (e.g. "mod-6.12"); throws Error when there is none.
std::string_view template_text(std::string_view name);

// Expands `tpl`.  An unknown {{name}} or an unclosed section is a bug in the template and
// throws Error.
std::string expand(std::string_view tpl, const TemplateValues& v);

}  // namespace modforge::modpost
