// Shared by file2alias.cc (the table walk) and file2alias_buses.cc (one alias format per
// bus): the view of a device table's entries and the printf-like helpers the formats use.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "core/kernel.h"
#include "modpost/devtable_layout.h"
#include "modpost/report.h"

namespace modforge::modpost::f2a {

using devtable::Any;
using devtable::Field;
using devtable::Layout;

// One device table: `mem` starts at the table and runs to the end of what the real tool
// could read there (the rest of the mapped file, or the zeroed copy of a .bss table), since
// its %s conversions read C strings up to their NUL even past the field.
struct Table {
  const Layout& L;
  std::string_view mem;
  uint64_t id_size = 0;
  std::string_view modname;
  Report& report;
  std::string& out;  // dev_table_buf

  void emit(std::string_view alias) const;  // MODULE_ALIAS("<alias>");\n
};

// Entry `index` of a table.
class Entry {
public:
  Entry(const Table& t, uint64_t index);
  // An integer field (or array element `i`), little-endian, zero-extended.
  uint64_t get(const Field& f, uint64_t i = 0) const;
  // The field's value as C passes it to printf: promoted to int, read as unsigned int.
  uint32_t promoted(const Field& f, uint64_t i = 0) const;
  // The C string starting at `offset` in the entry (up to NUL or the end of memory).
  std::string_view str(uint64_t offset) const;
  std::string_view str(const Field& f) const { return str(f.offset); }
  uint8_t byte(uint64_t offset) const;

private:
  std::string_view at_;
};

// "field != ANY_VALUE" as C decides it.
inline bool differs(const Field& f, uint64_t raw, const Any& any) {
  if (!any.reachable) return true;
  uint64_t mask = f.size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * f.size)) - 1;
  return (raw & mask) != (any.value & mask);
}

// %0<width>X / %0<width>x
void hex(std::string& s, uint64_t v, int width = 0, bool upper = true);
// file2alias's ADD(): sep, then the field in as many hex digits as its size takes (none
// for an 8-byte field) when `cond`, else "*".
void add(std::string& s, std::string_view sep, bool cond, uint32_t value, uint32_t size);
void add(std::string& s, std::string_view sep, bool cond, const Entry& e, const Field& f);
// A trailing "*" unless there is one.
void add_wildcard(std::string& s);
// isspace() characters of the C locale become '_'.
void underscore_spaces(std::string& s);

// printf into a std::string (for diagnostics).
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Every alias producer sees the whole table and the index of its entry.
using EntryFn = void (*)(const Table&, uint64_t index);

// The versions whose file2alias knows a bus: one column per Kernel value.
struct Versions {
  bool v6_1, v6_12;
  bool has(Kernel k) const { return per_kernel(k, v6_1, v6_12); }
};

struct Bus {
  std::string_view name;          // <type> in __mod_<type>__..._device_table
  std::string_view id_name;       // what device_id_check calls it ("pnp" for pnp_card)
  Versions known;                 // the versions whose file2alias knows it
  uint32_t (*id_size)(const Layout&);
  EntryFn entry;
};

// Every bus of every version, in the real tool's order.
std::span<const Bus> buses();

}  // namespace modforge::modpost::f2a
