// The device-table walk of file2alias: find the table behind a __mod_*_device_table
// symbol, check its size and terminator as device_id_check does, and hand every entry but
// the terminator to its bus's alias format (file2alias_buses.cc).
#include "modpost/file2alias.h"

#include <cstdarg>
#include <cstdio>
#include <string>

#include "modpost/file2alias_internal.h"

namespace modforge::modpost {
namespace f2a {

void Table::emit(std::string_view alias) const {
  out += "MODULE_ALIAS(\"";
  out += alias;
  out += "\");\n";
}

Entry::Entry(const Table& t, uint64_t index) : at_(t.mem.substr(index * t.id_size)) {}

uint8_t Entry::byte(uint64_t offset) const {
  return offset < at_.size() ? static_cast<uint8_t>(at_[offset]) : 0;
}

uint64_t Entry::get(const Field& f, uint64_t i) const {
  uint64_t v = 0, at = f.offset + i * f.elem;
  for (uint32_t b = 0; b < f.elem && b < 8; b++) v |= uint64_t{byte(at + b)} << (8 * b);
  return v;
}

uint32_t Entry::promoted(const Field& f, uint64_t i) const {
  uint64_t v = get(f, i);
  if (f.is_signed && f.elem < 8 && (v >> (8 * f.elem - 1)) & 1) v |= ~uint64_t{0} << (8 * f.elem);
  return static_cast<uint32_t>(v);
}

std::string_view Entry::str(uint64_t offset) const {
  if (offset >= at_.size()) return {};
  std::string_view s = at_.substr(offset);
  return s.substr(0, s.find('\0'));
}

void hex(std::string& s, uint64_t v, int width, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char buf[24];
  int n = 0;
  do {
    buf[n++] = digits[v & 0xf];
    v >>= 4;
  } while (v);
  for (; n < width; n++) buf[n] = '0';
  while (n) s += buf[--n];
}

void add(std::string& s, std::string_view sep, bool cond, uint32_t value, uint32_t size) {
  s += sep;
  if (!cond)
    s += '*';
  else if (size == 1 || size == 2 || size == 4)
    hex(s, value, static_cast<int>(size * 2));
}

void add(std::string& s, std::string_view sep, bool cond, const Entry& e, const Field& f) {
  add(s, sep, cond, e.promoted(f), f.size);
}

void add_wildcard(std::string& s) {
  if (s.empty() || s.back() != '*') s += '*';
}

void underscore_spaces(std::string& s) {
  for (char& c : s)
    if (c == ' ' || (c >= '\t' && c <= '\r')) c = '_';
}

std::string format(const char* fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = std::vsnprintf(nullptr, 0, fmt, ap);
  va_end(ap);
  std::string s(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, ap2);
  va_end(ap2);
  return s;
}

namespace {

// device_id_check: the size must be a whole number of entries, the last one all zeros.
void check_table(const Table& t, std::string_view id_name, uint64_t size) {
  std::string m(t.modname), id(id_name);
  auto n = static_cast<unsigned long>(t.id_size), sz = static_cast<unsigned long>(size);
  if (size % t.id_size || size < t.id_size)
    t.report.fatal(format("%s: sizeof(struct %s_device_id)=%lu is not a modulo of the size of section "
                          "__mod_%s__<identifier>_device_table=%lu.\n"
                          "Fix definition of struct %s_device_id in mod_devicetable.h\n",
                          m.c_str(), id.c_str(), n, id.c_str(), sz, id.c_str()));
  std::string_view last = t.mem.substr(size - t.id_size, t.id_size);
  if (last.find_first_not_of('\0') == std::string_view::npos) return;
  t.report.raw(format("%s: struct %s_device_id is %lu bytes.  The last of %lu is:\n", m.c_str(), id.c_str(), n,
                      sz / n));
  for (char c : last) t.report.raw(format("0x%02x ", static_cast<unsigned char>(c)));
  t.report.raw("\n");
  t.report.fatal(format("%s: struct %s_device_id is not terminated with a NULL entry!\n", m.c_str(), id.c_str()));
}

constexpr uint32_t kShtNobits = 8, kSttObject = 1, kShnLoreserve = 0xff00;
// Beyond this a .bss table is not a table but a corrupt symbol; the real tool would try
// to calloc() it.
constexpr uint64_t kMaxZeroTable = uint64_t{1} << 28;

}  // namespace
}  // namespace f2a

std::string_view device_table_bus(std::string_view symname) {
  constexpr std::string_view prefix = "__mod_", suffix = "_device_table";
  if (!symname.starts_with(prefix)) return {};
  std::string_view name = symname.substr(prefix.size());
  if (!name.ends_with(suffix)) return {};
  size_t sep = name.find("__");  // the first "__" anywhere, as strstr finds it
  if (sep == std::string_view::npos) return {};
  return name.substr(0, sep);
}

void handle_device_table(const elf::ElfFile& elf, const elf::Symbol& sym, std::string_view symname,
                         std::string_view modname, Kernel kernel, Report& report, std::string& aliases) {
  using namespace f2a;
  auto sections = elf.sections();
  // A section-relative object; reserved indices (SHN_ABS, SHN_COMMON) are no section.
  if (sym.section_index == 0 || sym.section_index >= sections.size()) return;
  if (sym.section_index >= kShnLoreserve && sym.section_name.empty()) return;
  if (sym.type != kSttObject) return;
  if (!symname.starts_with("__mod_") || !symname.ends_with("_device_table")) return;
  std::string_view bus_name = device_table_bus(symname);
  if (bus_name.data() == nullptr) return;

  const Bus* bus = nullptr;
  for (const Bus& b : buses())
    if (b.name == bus_name && b.known.has(kernel)) {
      bus = &b;
      break;
    }
  if (!bus) return;

  const Layout& L = devtable::layout(kernel);
  const elf::Section& sec = sections[sym.section_index];
  std::string zeros;
  std::string_view mem;
  auto where = [&] { return format("%.*s: %.*s", int(modname.size()), modname.data(), int(symname.size()), symname.data()); };
  // The real test is a bit test (sh_type & SHT_NOBITS), so SHT_INIT_ARRAY and other
  // types with that bit count as all-zero too.
  if (sec.type & kShtNobits) {
    if (sym.size > kMaxZeroTable) report.fatal(where() + ": device table is too large\n");
    zeros.assign(sym.size, '\0');
    mem = zeros;
  } else {
    std::string_view file = elf.bytes();
    uint64_t start = sec.offset + sym.value;
    if (start < sec.offset || start > file.size() || sym.size > file.size() - start)
      report.fatal(where() + ": device table lies outside the file\n");
    mem = file.substr(start);
  }

  Table t{L, mem, bus->id_size(L), modname, report, aliases};
  if (t.id_size == 0) return;  // not in this version's headers (the bus table prevents it)
  check_table(t, bus->id_name, sym.size);
  uint64_t count = sym.size / t.id_size - 1;  // the last entry is the terminator
  for (uint64_t i = 0; i < count; i++) bus->entry(t, i);
}

}  // namespace modforge::modpost
