#include "abi/symtypes_gen_parse.h"

#include <algorithm>
#include <charconv>
#include <regex>

namespace modforge::abi::symgen {

namespace {

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> f;
  size_t pos = 0;
  for (;;) {
    size_t t = line.find('\t', pos);
    f.push_back(line.substr(pos, t == std::string_view::npos ? std::string_view::npos : t - pos));
    if (t == std::string_view::npos) break;
    pos = t + 1;
  }
  return f;
}

template <class F>
void for_lines(std::string_view text, F&& f) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    f(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
}

}  // namespace

void parse_records(std::string_view text, std::map<std::string, Record>& by_target) {
  for_lines(text, [&](std::string_view line) {
    auto fields = split_tabs(line);
    if (fields.size() != 6 || fields[1].empty()) return;
    Record r{std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
             std::string(fields[3]), std::string(fields[4]), std::string(fields[5])};
    by_target[r.target] = std::move(r);
  });
}

std::string module_of(std::string_view c_flags) {
  if (c_flags.find(" -DMODULE ") == std::string_view::npos && !c_flags.ends_with(" -DMODULE")) return "vmlinux";
  constexpr std::string_view key = "-DKBUILD_MODFILE='\"";
  size_t p = c_flags.find(key);
  if (p == std::string_view::npos) return "vmlinux";
  p += key.size();
  size_t q = c_flags.find('"', p);
  return std::string(c_flags.substr(p, q == std::string_view::npos ? std::string_view::npos : q - p));
}

// 6.12 takes the list from `nm` of the object (its local __export_symbol_<x> labels, in nm's
// sorted order); 6.1 greps the ___EXPORT_SYMBOL lines and rewrites them with sed, and sed
// passes a line its expression does not match through unchanged.
std::string asm_exports(Kernel kernel, const std::string& preprocessed) {
  std::string out;
  if (kernel == Kernel::v6_12) {
    static const std::regex label(R"(__export_symbol_([A-Za-z0-9_.$]+):)");
    std::vector<std::string> names;
    for (std::sregex_iterator it(preprocessed.begin(), preprocessed.end(), label), end; it != end; ++it)
      names.push_back((*it)[1]);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (auto& n : names) out += "EXPORT_SYMBOL(" + n + ");\n";
    return out;
  }
  static const std::regex word(R"(\b___EXPORT_SYMBOL\b)");
  static const std::regex subst(R"(.*___EXPORT_SYMBOL[[:space:]]*([a-zA-Z0-9_]*)[[:space:]]*,.*)");
  for_lines(preprocessed, [&](std::string_view v) {
    if (v.find("___EXPORT_SYMBOL") == std::string_view::npos) return;  // the cheap test first
    std::string line(v);
    if (!std::regex_search(line, word)) return;
    std::smatch m;
    if (std::regex_match(line, m, subst)) out += "EXPORT_SYMBOL(" + m[1].str() + ");\n";
    else out += line + "\n";
  });
  return out;
}

bool may_export_text(std::string_view text) {
  if (text.find("EXPORT_") != std::string_view::npos) return true;
  // #include "x.c" (kernel/sched/build_utility.c); std::regex over every source would cost seconds
  for (size_t p = text.find(".c\""); p != std::string_view::npos; p = text.find(".c\"", p + 1)) {
    size_t bol = text.rfind('\n', p);
    bol = bol == std::string_view::npos ? 0 : bol + 1;
    std::string_view line = text.substr(bol, p - bol);
    size_t hash = line.find_first_not_of(" \t");
    if (hash != std::string_view::npos && line[hash] == '#' && line.find("include") != std::string_view::npos) return true;
  }
  return false;
}

std::vector<std::string> missing_files(const std::string& err) {
  static const std::regex missing(R"(fatal error: ([^:\n]+): No such file or directory)");
  std::vector<std::string> out;
  for (std::sregex_iterator it(err.begin(), err.end(), missing), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

std::vector<std::pair<std::string, std::uint32_t>> symver_lines(std::string_view out) {
  std::vector<std::pair<std::string, std::uint32_t>> found;
  for_lines(out, [&](std::string_view line) {
    if (!line.starts_with("#SYMVER ")) return;
    line.remove_prefix(8);
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return;
    std::string_view hex = line.substr(sp + 1);
    if (hex.starts_with("0x")) hex.remove_prefix(2);
    std::uint32_t crc = 0;
    auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), crc, 16);
    if (ec != std::errc() || end != hex.data() + hex.size()) return;
    found.emplace_back(std::string(line.substr(0, sp)), crc);
  });
  return found;
}

}  // namespace modforge::abi::symgen
