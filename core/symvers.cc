#include "core/symvers.h"

#include <limits>

namespace modforge {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// glibc's strtoul(s, &end, 16) with the test "*end == '\0'" that read_dump applies: leading
// white space, a sign, an optional 0x, saturation at ULONG_MAX, and -- a quirk worth
// keeping -- an empty field converts nothing, leaves end at the (empty) field and so is
// accepted as 0.  The result is truncated to unsigned int as the C assignment does.
bool parse_crc(std::string_view s, uint32_t& crc) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\f' || s[i] == '\r' || s[i] == '\v')) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  // "0x" counts as a prefix only when a hex digit follows; otherwise the "0" is the number
  if (i + 2 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && hex_digit(s[i + 2]) >= 0)
    i += 2;
  std::size_t digits = 0;
  unsigned long value = 0;
  bool overflow = false;
  for (; i < s.size() && hex_digit(s[i]) >= 0; ++i, ++digits) {
    if (value > (std::numeric_limits<unsigned long>::max() >> 4)) overflow = true;
    value = (value << 4) | static_cast<unsigned long>(hex_digit(s[i]));
  }
  if (digits == 0) {  // no conversion: end is the start of the field
    crc = 0;
    return s.empty();
  }
  if (i != s.size()) return false;
  if (overflow) value = std::numeric_limits<unsigned long>::max();
  else if (negative) value = -value;
  crc = static_cast<uint32_t>(value);
  return true;
}

// Cuts `rest` at the first tab: the part before goes to `field`.
bool take_field(std::string_view& rest, std::string_view& field) {
  std::size_t tab = rest.find('\t');
  if (tab == std::string_view::npos) return false;
  field = rest.substr(0, tab);
  rest.remove_prefix(tab + 1);
  return true;
}

}  // namespace

SymversParseError::SymversParseError(std::string_view path, std::size_t line, std::vector<SymversDiagnostic> before)
    : Error(std::string(path) + ":" + std::to_string(line) + ": " + std::string(kSymversParseError), 1),
      line_(line),
      before_(std::move(before)) {}

void scan_symvers(std::string_view text, std::string_view path, SymversVisitor& v) {
  // modpost reads the file as one C string: a NUL byte ends it.
  text = text.substr(0, text.find('\0'));
  std::vector<SymversDiagnostic> seen;  // for the error, should one come
  std::size_t lineno = 0;
  // get_line(): every "\n" ends a line, and a final "\n" does not start another one
  while (!text.empty()) {
    ++lineno;
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);

    SymversEntry e;
    e.line = lineno;
    std::string_view crc;
    if (!take_field(line, crc) || !take_field(line, e.symbol) || !take_field(line, e.module) ||
        !take_field(line, e.export_type))
      throw SymversParseError(path, lineno, std::move(seen));
    e.ns = line;  // the rest, further tabs included
    if (e.symbol.empty() || e.module.empty() || !parse_crc(crc, e.crc))
      throw SymversParseError(path, lineno, std::move(seen));
    if (e.export_type == "EXPORT_SYMBOL_GPL") {
      e.gpl_only = true;
    } else if (e.export_type != "EXPORT_SYMBOL") {
      std::string msg;
      msg.append(e.symbol).append(": unknown license ").append(e.export_type).append(". skip");
      seen.push_back({lineno, std::move(msg)});
      v.diagnostic(seen.back());
      continue;
    }
    v.entry(e);
  }
}

SymversFile parse_symvers(std::string_view text, std::string_view path) {
  struct Collect : SymversVisitor {
    SymversFile out;
    void entry(const SymversEntry& e) override { out.entries.push_back(e); }
    void diagnostic(const SymversDiagnostic& d) override { out.diagnostics.push_back(d); }
  } c;
  c.out.entries.reserve(text.size() / 48);  // a real line is about 50 bytes
  scan_symvers(text, path, c);
  return std::move(c.out);
}

std::string format_symvers(std::span<const SymversEntry> entries) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  std::size_t size = 0;
  for (const auto& e : entries) size += 32 + e.symbol.size() + e.module.size() + e.ns.size();
  out.reserve(size);
  for (const auto& e : entries) {
    char crc[10] = {'0', 'x'};
    for (int i = 0; i < 8; ++i) crc[2 + i] = kHex[(e.crc >> (28 - 4 * i)) & 0xf];
    out.append(crc, sizeof crc).append(1, '\t');
    out.append(e.symbol).append(1, '\t').append(e.module).append(1, '\t');
    out.append(e.gpl_only ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL").append(1, '\t');
    out.append(e.ns).append(1, '\n');
  }
  return out;
}

}  // namespace modforge
