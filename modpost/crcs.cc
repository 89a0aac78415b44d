#include "modpost/crcs.h"

#include <climits>
#include <cstring>

namespace modforge::modpost {

namespace {

constexpr std::size_t kPathMax = 4096;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// strtoul(p, &end, 0) from a digit: 0x hex, 0 octal, else decimal; saturating.
unsigned long parse_number(std::string_view s, std::size_t& pos) {
  int base = 10;
  if (s[pos] == '0') {
    if (pos + 2 < s.size() && (s[pos + 1] == 'x' || s[pos + 1] == 'X') && digit_value(s[pos + 2]) < 16) {
      base = 16;
      pos += 2;
    } else {
      base = 8;
    }
  }
  unsigned long v = 0;
  bool overflow = false;
  while (pos < s.size() && digit_value(s[pos]) < base) {
    const unsigned long d = static_cast<unsigned long>(digit_value(s[pos]));
    if (v > (ULONG_MAX - d) / static_cast<unsigned long>(base)) overflow = true;
    else v = v * static_cast<unsigned long>(base) + d;
    ++pos;
  }
  return overflow ? ULONG_MAX : v;
}

// extract_crcs_for_object()
void crcs_of_object(Report& report, std::string_view object, std::vector<SymverLine>& out) {
  const std::size_t slash = object.rfind('/');
  const std::size_t dirlen = slash == std::string_view::npos ? 0 : slash + 1;
  std::string cmd_file;
  cmd_file.append(object.substr(0, dirlen)).append(".").append(object.substr(dirlen)).append(".cmd");
  if (cmd_file.size() >= kPathMax) {
    report.error(cmd_file.substr(0, kPathMax - 1) + ": too long path was truncated\n");
    return;
  }
  const TextFile file = read_text_file(report, cmd_file);
  const std::string_view text = file.text;
  constexpr std::string_view marker = "\n#SYMVER ";
  std::size_t p = 0;
  // memmem: a .cmd file is mostly dependency lines, scanned fastest for the whole marker
  auto next = [&](std::size_t from) -> std::size_t {
    if (from >= text.size()) return std::string_view::npos;
    const void* hit = ::memmem(text.data() + from, text.size() - from, marker.data(), marker.size());
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text.data()) : std::string_view::npos;
  };
  while ((p = next(p)) != std::string::npos) {
    const std::size_t name = p + marker.size();
    const std::size_t space = text.find(' ', name);
    if (space == std::string::npos) break;
    p = space + 1;
    if (p >= text.size() || !is_digit(text[p])) continue;
    const unsigned long crc = parse_number(text, p);
    if (p >= text.size() || text[p] != '\n') continue;
    out.push_back({std::string(text.substr(name, space - name)), static_cast<uint32_t>(crc)});
  }
}

}  // namespace

std::vector<SymverLine> read_symver_lines(Report& report, const std::string& modname, bool is_vmlinux) {
  std::vector<SymverLine> out;
  std::string objlist = is_vmlinux ? ".vmlinux.objs" : modname + ".mod";
  if (objlist.size() >= kPathMax) {
    report.error(objlist.substr(0, kPathMax - 1) + ": too long path was truncated\n");
    return out;
  }
  const TextFile file = read_text_file(report, objlist);
  const std::string_view text = file.text;
  // strsep() over "\n": the list ends at its first empty line
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view obj = std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (obj.empty()) break;
    crcs_of_object(report, obj, out);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

void set_crcs(Model& model, Module& mod, const std::vector<SymverLine>& lines) {
  for (const SymverLine& l : lines)
    if (Symbol* sym = model.find_in(l.name, &mod)) {
      sym->crc = l.crc;
      sym->crc_valid = true;
    }
}

}  // namespace modforge::modpost
