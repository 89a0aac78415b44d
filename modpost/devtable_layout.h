// The x86-64 layouts and constants of linux/mod_devicetable.h that file2alias reads, one
// set per kernel version, generated from the real headers (gen-devtable-layouts.sh).
// Member names are the kernel's field names plus "_" (some are C++ keywords: class).
#pragma once
#include <cstdint>
#include <string_view>

#include "core/kernel.h"

namespace modforge::modpost::devtable {

// Where a member sits in its struct.  Integers: size == elem; arrays: size is the whole
// array, elem one element; bitfields: the byte at `offset`, bits in `mask`.
struct Field {
  uint32_t offset = 0, size = 0, elem = 0;
  bool is_signed = false;
  uint8_t mask = 0;
};

// "field != CONSTANT" as C evaluates it: true for every value but `value`, or for every
// value when no value of the field's type compares equal (`reachable` false).
struct Any {
  uint64_t value = 0;
  bool reachable = false;
};

struct Layout {
#define DT_SINCE_6_12(...) __VA_ARGS__
#define DT_STRUCT(s) struct s##_layout { uint32_t size = 0; bool present = false;
#define DT_END(s) } s;
#define DT_INT(s, f) Field f##_;
#define DT_INTS(s, f) Field f##_;
#define DT_BYTES(s, f) Field f##_;
#define DT_RECS(s, f) Field f##_;
#define DT_ELEM_BYTES(s, a, f) Field a##_##f##_;
#define DT_BITS(s, f) Field f##_;
#define DT_ANY(s, f, expr) Any f##_any;
#define DT_CONST(name)
#define DT_STR(name)
#define DT_FMT(name)
#include "modpost/devtable_fields.def"
#undef DT_STRUCT
#undef DT_END
#undef DT_INT
#undef DT_INTS
#undef DT_BYTES
#undef DT_RECS
#undef DT_ELEM_BYTES
#undef DT_BITS
#undef DT_ANY
#undef DT_CONST
#undef DT_STR
#undef DT_FMT

  struct Constants {
#define DT_STRUCT(s)
#define DT_END(s)
#define DT_INT(s, f)
#define DT_INTS(s, f)
#define DT_BYTES(s, f)
#define DT_RECS(s, f)
#define DT_ELEM_BYTES(s, a, f)
#define DT_BITS(s, f)
#define DT_ANY(s, f, expr)
#define DT_CONST(name) uint64_t name = 0;
#define DT_STR(name) std::string_view name;
#define DT_FMT(name) std::string_view name;  // the part before "%s"
#include "modpost/devtable_fields.def"
#undef DT_CONST
#undef DT_STR
#undef DT_FMT
#define DT_CONST(name)
#define DT_STR(name)
#define DT_FMT(name)
  } c;
};
#undef DT_SINCE_6_12
#undef DT_STRUCT
#undef DT_END
#undef DT_INT
#undef DT_INTS
#undef DT_BYTES
#undef DT_RECS
#undef DT_ELEM_BYTES
#undef DT_BITS
#undef DT_ANY
#undef DT_CONST
#undef DT_STR
#undef DT_FMT

// The layouts of that kernel's headers (built once, then read-only).
const Layout& layout(Kernel kernel);

}  // namespace modforge::modpost::devtable
