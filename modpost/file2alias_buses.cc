// One alias format per bus, as each do_*_entry of the kernel's file2alias.c prints it, and
// the table of buses per version.  The field layouts and constants come from the kernel
// headers (devtable_layout.h); what is written here is only the shape of each alias.
#include <array>
#include <cctype>
#include <string>

#include "modpost/file2alias_internal.h"

namespace modforge::modpost::f2a {
namespace {

// The (a, b) entry producers: `a` writes zero or more aliases itself, `b` returns one alias
// (or nothing) which the table walk writes.
template <bool (*F)(const Table&, const Entry&, std::string&)>
void one(const Table& t, uint64_t index) {
  std::string alias;
  if (F(t, Entry(t, index), alias)) t.emit(alias);
}

// C's toupper() in the C locale.
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// The first n bytes of a C string field, upper-cased ("fix broken pnp bus lowercasing").
std::string upper_id(std::string_view id, uint32_t n) {
  std::string s(id.substr(0, n));
  for (char& c : s) c = upper(c);
  return s;
}

// ---- usb: one entry becomes one alias per bcdDevice digit pattern ----

// incbcd(): steps a BCD (max 9) or hex (max 15) number by `inc`; returns the old value.
unsigned step_bcd(unsigned& bcd, int inc, unsigned char max, unsigned digits) {
  unsigned old = bcd;
  if (max > 0x9) {
    bcd += static_cast<unsigned>(inc);
    return old;
  }
  unsigned long long dec = 0, scale = 1;
  for (unsigned i = 0; i < digits; i++, scale *= 10) {
    unsigned long long d = (bcd >> (i * 4)) & 0xf;
    dec += (d > 9 ? 9 : d) * scale;
  }
  dec += static_cast<unsigned long long>(static_cast<long long>(inc));
  bcd = 0;
  scale = 1;
  for (unsigned i = 0; i < digits; i++, scale *= 10) bcd += static_cast<unsigned>(((dec / scale) % 10) << (i * 4));
  return old;
}

void usb_alias(const Table& t, const Entry& e, unsigned initial, int initial_digits, unsigned char lo,
               unsigned char hi, unsigned char max) {
  const auto& U = t.L.usb_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(U.match_flags_);
  std::string a = "usb:";
  add(a, "v", flags & C.USB_DEVICE_ID_MATCH_VENDOR, e, U.idVendor_);
  add(a, "p", flags & C.USB_DEVICE_ID_MATCH_PRODUCT, e, U.idProduct_);
  a += 'd';
  if (initial_digits) hex(a, initial, initial_digits);
  if (lo == hi) {
    hex(a, lo);
  } else if (lo > 0 || hi < max) {
    a += '[';
    hex(a, lo);
    if (lo > 0x9 || hi < 0xA) {
      a += '-';
      hex(a, hi);
    } else {
      // the range crosses 9/A, which fnmatch's ranges cannot: "[lo-9A-hi]"
      if (lo < 0x9) a += "-9";
      a += hi > 0xA ? "A-" : "";
      hex(a, hi);
    }
    a += ']';
  }
  if (initial_digits < static_cast<int>(U.bcdDevice_lo_.size * 2 - 1)) a += '*';
  add(a, "dc", flags & C.USB_DEVICE_ID_MATCH_DEV_CLASS, e, U.bDeviceClass_);
  add(a, "dsc", flags & C.USB_DEVICE_ID_MATCH_DEV_SUBCLASS, e, U.bDeviceSubClass_);
  add(a, "dp", flags & C.USB_DEVICE_ID_MATCH_DEV_PROTOCOL, e, U.bDeviceProtocol_);
  add(a, "ic", flags & C.USB_DEVICE_ID_MATCH_INT_CLASS, e, U.bInterfaceClass_);
  add(a, "isc", flags & C.USB_DEVICE_ID_MATCH_INT_SUBCLASS, e, U.bInterfaceSubClass_);
  add(a, "ip", flags & C.USB_DEVICE_ID_MATCH_INT_PROTOCOL, e, U.bInterfaceProtocol_);
  add(a, "in", flags & C.USB_DEVICE_ID_MATCH_INT_NUMBER, e, U.bInterfaceNumber_);
  add_wildcard(a);
  t.emit(a);
}

void usb_entry(const Table& t, uint64_t index) {
  Entry e(t, index);
  const auto& U = t.L.usb_device_id;
  uint64_t flags = e.get(U.match_flags_);
  const int digits = static_cast<int>(U.bcdDevice_lo_.size * 2);
  unsigned lo = flags & t.L.c.USB_DEVICE_ID_MATCH_DEV_LO ? static_cast<unsigned>(e.get(U.bcdDevice_lo_)) : 0u;
  unsigned hi = flags & t.L.c.USB_DEVICE_ID_MATCH_DEV_HI ? static_cast<unsigned>(e.get(U.bcdDevice_hi_)) : ~0u;

  // BCD unless some digit of the range is above 9.
  unsigned char max = 0x9;
  for (int n = 0; n < digits; n++) {
    unsigned char clo = (lo >> (n * 4)) & 0xf;
    unsigned char chi = ((hi > 0x9999 ? 0x9999 : hi) >> (n * 4)) & 0xf;
    if (clo > max || chi > max) {
      max = 0xf;
      break;
    }
  }
  // Empty slots kept for run-time ids would be catch-all aliases.
  if (!(e.get(U.idVendor_) | e.get(U.idProduct_) | e.get(U.bDeviceClass_) | e.get(U.bInterfaceClass_))) return;

  // Split the range into fnmatch patterns, lowest digit first.
  for (int n = digits - 1; lo <= hi; n--) {
    unsigned char clo = lo & 0xf, chi = hi & 0xf;
    if (chi > max) chi = max;
    lo >>= 4;
    hi >>= 4;
    if (lo == hi || !n) {
      usb_alias(t, e, lo, n, clo, chi, max);
      break;
    }
    if (clo > 0x0) usb_alias(t, e, step_bcd(lo, 1, max, digits), n, clo, max, max);
    if (chi < max) usb_alias(t, e, step_bcd(hi, -1, max, digits), n, 0x0, chi, max);
  }
}

// ---- of: two aliases per entry ----

void of_entry(const Table& t, uint64_t index) {
  Entry e(t, index);
  const auto& O = t.L.of_device_id;
  std::string_view name = e.str(O.name_), type = e.str(O.type_), compat = e.str(O.compatible_);
  std::string a = "of:N";
  a += name.empty() ? "*" : name;
  a += 'T';
  a += type.empty() ? "*" : type;
  if (!compat.empty()) {
    if (!type.empty()) a += '*';
    a += 'C';
    a += compat;
  }
  underscore_spaces(a);
  t.emit(a);
  a += 'C';
  add_wildcard(a);
  t.emit(a);
}

// ---- pnp and pnp_card: a pnp and an acpi alias per device id ----

void pnp_aliases(const Table& t, std::string_view id, uint32_t id_len) {
  std::string a = "pnp:d";
  a += id;
  a += '*';
  t.emit(a);
  t.emit("acpi*:" + upper_id(id, id_len) + ":*");
}

void pnp_entry(const Table& t, uint64_t index) {
  Entry e(t, index);
  const Field& id = t.L.pnp_device_id.id_;
  pnp_aliases(t, e.str(id), id.size);
}

void pnp_card_entry(const Table& t, uint64_t index) {
  const auto& P = t.L.pnp_card_device_id;
  const uint32_t devices = P.devs_.elem ? P.devs_.size / P.devs_.elem : 0;
  auto dev_id = [&](const Entry& e, uint32_t j) { return e.str(P.devs_.offset + j * P.devs_.elem + P.devs_id_.offset); };
  Entry e(t, index);
  for (uint32_t j = 0; j < devices; j++) {
    std::string_view id = dev_id(e, j);
    if (id.empty()) break;
    // Each device once per table: skip ids an earlier card listed.
    bool dup = false;
    for (uint64_t i2 = 0; i2 < index && !dup; i2++) {
      Entry other(t, i2);
      for (uint32_t j2 = 0; j2 < devices; j2++) {
        std::string_view id2 = dev_id(other, j2);
        if (id2.empty()) break;
        if (id2 == id) {
          dup = true;
          break;
        }
      }
    }
    if (!dup) pnp_aliases(t, id, P.devs_id_.size);
  }
}

// ---- the generic table: one alias per entry ----

bool hid(const Table& t, const Entry& e, std::string& a) {
  const auto& H = t.L.hid_device_id;
  a = "hid:";
  add(a, "b", differs(H.bus_, e.get(H.bus_), H.bus_any), e, H.bus_);
  add(a, "g", differs(H.group_, e.get(H.group_), H.group_any), e, H.group_);
  add(a, "v", differs(H.vendor_, e.get(H.vendor_), H.vendor_any), e, H.vendor_);
  add(a, "p", differs(H.product_, e.get(H.product_), H.product_any), e, H.product_);
  return true;
}

bool ieee1394(const Table& t, const Entry& e, std::string& a) {
  const auto& I = t.L.ieee1394_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(I.match_flags_);
  a = "ieee1394:";
  add(a, "ven", flags & C.IEEE1394_MATCH_VENDOR_ID, e, I.vendor_id_);
  add(a, "mo", flags & C.IEEE1394_MATCH_MODEL_ID, e, I.model_id_);
  add(a, "sp", flags & C.IEEE1394_MATCH_SPECIFIER_ID, e, I.specifier_id_);
  add(a, "ver", flags & C.IEEE1394_MATCH_VERSION, e, I.version_);
  add_wildcard(a);
  return true;
}

// pci and cdx: a prefix chosen by override_only, or a warning and no alias.
bool override_prefix(const Table& t, uint64_t override_only, uint64_t vfio, std::string_view bus, std::string& a) {
  if (override_only == 0) {
    a = std::string(bus) + ":";
  } else if (override_only == vfio) {
    a = "vfio_" + std::string(bus) + ":";
  } else {
    std::string upper_bus = upper_id(bus, static_cast<uint32_t>(bus.size()));
    t.report.warn(format("Unknown %s driver_override alias %08X\n", upper_bus.c_str(),
                         static_cast<unsigned>(override_only)));
    return false;
  }
  return true;
}

bool pci(const Table& t, const Entry& e, std::string& a) {
  const auto& P = t.L.pci_device_id;
  if (!override_prefix(t, e.get(P.override_only_), t.L.c.PCI_ID_F_VFIO_DRIVER_OVERRIDE, "pci", a)) return false;
  add(a, "v", differs(P.vendor_, e.get(P.vendor_), P.vendor_any), e, P.vendor_);
  add(a, "d", differs(P.device_, e.get(P.device_), P.device_any), e, P.device_);
  add(a, "sv", differs(P.subvendor_, e.get(P.subvendor_), P.subvendor_any), e, P.subvendor_);
  add(a, "sd", differs(P.subdevice_, e.get(P.subdevice_), P.subdevice_any), e, P.subdevice_);
  uint32_t cls = e.promoted(P.class_), mask = e.promoted(P.class_mask_);
  // base class, subclass and interface: each matched whole or not at all
  uint8_t parts[3] = {uint8_t(cls >> 16), uint8_t(cls >> 8), uint8_t(cls)};
  uint8_t masks[3] = {uint8_t(mask >> 16), uint8_t(mask >> 8), uint8_t(mask)};
  for (uint8_t m : masks)
    if (m != 0 && m != 0xFF) {
      std::string mod(t.modname);
      t.report.warn(format("Can't handle masks in %s:%04X\n", mod.c_str(), mask));
      return false;
    }
  add(a, "bc", masks[0] == 0xFF, parts[0], 1);
  add(a, "sc", masks[1] == 0xFF, parts[1], 1);
  add(a, "i", masks[2] == 0xFF, parts[2], 1);
  add_wildcard(a);
  return true;
}

bool ccw(const Table& t, const Entry& e, std::string& a) {
  const auto& W = t.L.ccw_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(W.match_flags_);
  a = "ccw:";
  add(a, "t", flags & C.CCW_DEVICE_ID_MATCH_CU_TYPE, e, W.cu_type_);
  add(a, "m", flags & C.CCW_DEVICE_ID_MATCH_CU_MODEL, e, W.cu_model_);
  add(a, "dt", flags & C.CCW_DEVICE_ID_MATCH_DEVICE_TYPE, e, W.dev_type_);
  add(a, "dm", flags & C.CCW_DEVICE_ID_MATCH_DEVICE_MODEL, e, W.dev_model_);
  add_wildcard(a);
  return true;
}

bool ap(const Table& t, const Entry& e, std::string& a) {
  a = "ap:t";
  hex(a, e.promoted(t.L.ap_device_id.dev_type_), 2);
  a += '*';
  return true;
}

bool css(const Table& t, const Entry& e, std::string& a) {
  a = "css:t";
  hex(a, e.promoted(t.L.css_device_id.type_), 1);
  return true;
}

bool serio(const Table& t, const Entry& e, std::string& a) {
  const auto& S = t.L.serio_device_id;
  a = "serio:";
  add(a, "ty", differs(S.type_, e.get(S.type_), S.type_any), e, S.type_);
  add(a, "pr", differs(S.proto_, e.get(S.proto_), S.proto_any), e, S.proto_);
  add(a, "id", differs(S.id_, e.get(S.id_), S.id_any), e, S.id_);
  add(a, "ex", differs(S.extra_, e.get(S.extra_), S.extra_any), e, S.extra_);
  add_wildcard(a);
  return true;
}

bool acpi(const Table& t, const Entry& e, std::string& a) {
  const auto& A = t.L.acpi_device_id;
  std::string_view id = e.str(A.id_);
  a = "acpi*:";
  if (!id.empty()) {
    a += id;
    a += ":*";
    return true;
  }
  // by PCI-style class: bb ss pp, "??" for a byte the mask ignores
  uint32_t cls = e.promoted(A.cls_), msk = e.promoted(A.cls_msk_);
  for (int shift = 16; shift >= 0; shift -= 8) {
    if ((msk >> shift) & 0xFF)
      hex(a, (cls >> shift) & 0xFF, 2, false);
    else
      a += "??";
  }
  a += ":*";
  return true;
}

bool pcmcia(const Table& t, const Entry& e, std::string& a) {
  const auto& P = t.L.pcmcia_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(P.match_flags_);
  a = "pcmcia:";
  add(a, "m", flags & C.PCMCIA_DEV_ID_MATCH_MANF_ID, e, P.manf_id_);
  add(a, "c", flags & C.PCMCIA_DEV_ID_MATCH_CARD_ID, e, P.card_id_);
  add(a, "f", flags & C.PCMCIA_DEV_ID_MATCH_FUNC_ID, e, P.func_id_);
  add(a, "fn", flags & C.PCMCIA_DEV_ID_MATCH_FUNCTION, e, P.function_);
  add(a, "pfn", flags & C.PCMCIA_DEV_ID_MATCH_DEVICE_NO, e, P.device_no_);
  const uint64_t prod[4] = {C.PCMCIA_DEV_ID_MATCH_PROD_ID1, C.PCMCIA_DEV_ID_MATCH_PROD_ID2,
                            C.PCMCIA_DEV_ID_MATCH_PROD_ID3, C.PCMCIA_DEV_ID_MATCH_PROD_ID4};
  const char* seps[4] = {"pa", "pb", "pc", "pd"};
  for (int i = 0; i < 4; i++) add(a, seps[i], flags & prod[i], e.promoted(P.prod_id_hash_, i), P.prod_id_hash_.elem);
  add_wildcard(a);
  return true;
}

bool vio(const Table& t, const Entry& e, std::string& a) {
  const auto& V = t.L.vio_device_id;
  std::string_view type = e.str(V.type_), compat = e.str(V.compat_);
  a = "vio:T";
  a += type.empty() ? "*" : type;
  a += 'S';
  a += compat.empty() ? "*" : compat;
  underscore_spaces(a);
  add_wildcard(a);
  return true;
}

// The set bits min..max of a kernel_ulong_t bitmap, each as "%X,*".
void input_bits(std::string& a, const Entry& e, const Field& f, uint64_t min, uint64_t max) {
  const uint64_t bits = 8 * uint64_t{f.elem};
  for (uint64_t i = min; i <= max; i++)
    if ((e.get(f, i / bits) >> (i % bits)) & 1) {
      hex(a, i);
      a += ",*";
    }
}

bool input(const Table& t, const Entry& e, std::string& a) {
  const auto& I = t.L.input_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(I.flags_);
  a = "input:";
  add(a, "b", flags & C.INPUT_DEVICE_ID_MATCH_BUS, e, I.bustype_);
  add(a, "v", flags & C.INPUT_DEVICE_ID_MATCH_VENDOR, e, I.vendor_);
  add(a, "p", flags & C.INPUT_DEVICE_ID_MATCH_PRODUCT, e, I.product_);
  add(a, "e", flags & C.INPUT_DEVICE_ID_MATCH_VERSION, e, I.version_);
  struct Bitmap {
    const char* tag;
    uint64_t match;
    const Field& field;
    uint64_t min, max;
  };
  const Bitmap maps[] = {
      {"-e*", C.INPUT_DEVICE_ID_MATCH_EVBIT, I.evbit_, 0, C.INPUT_DEVICE_ID_EV_MAX},
      {"k*", C.INPUT_DEVICE_ID_MATCH_KEYBIT, I.keybit_, C.INPUT_DEVICE_ID_KEY_MIN_INTERESTING, C.INPUT_DEVICE_ID_KEY_MAX},
      {"r*", C.INPUT_DEVICE_ID_MATCH_RELBIT, I.relbit_, 0, C.INPUT_DEVICE_ID_REL_MAX},
      {"a*", C.INPUT_DEVICE_ID_MATCH_ABSBIT, I.absbit_, 0, C.INPUT_DEVICE_ID_ABS_MAX},
      {"m*", C.INPUT_DEVICE_ID_MATCH_MSCIT, I.mscbit_, 0, C.INPUT_DEVICE_ID_MSC_MAX},
      {"l*", C.INPUT_DEVICE_ID_MATCH_LEDBIT, I.ledbit_, 0, C.INPUT_DEVICE_ID_LED_MAX},
      {"s*", C.INPUT_DEVICE_ID_MATCH_SNDBIT, I.sndbit_, 0, C.INPUT_DEVICE_ID_SND_MAX},
      {"f*", C.INPUT_DEVICE_ID_MATCH_FFBIT, I.ffbit_, 0, C.INPUT_DEVICE_ID_FF_MAX},
      {"w*", C.INPUT_DEVICE_ID_MATCH_SWBIT, I.swbit_, 0, C.INPUT_DEVICE_ID_SW_MAX},
  };
  for (const Bitmap& m : maps) {
    a += m.tag;
    if (flags & m.match) input_bits(a, e, m.field, m.min, m.max);
  }
  return true;
}

bool eisa(const Table& t, const Entry& e, std::string& a) {
  a = t.L.c.EISA_DEVICE_MODALIAS_FMT;
  a += e.str(t.L.eisa_device_id.sig_);
  a += '*';
  return true;
}

bool parisc(const Table& t, const Entry& e, std::string& a) {
  const auto& P = t.L.parisc_device_id;
  a = "parisc:";
  add(a, "t", differs(P.hw_type_, e.get(P.hw_type_), P.hw_type_any), e, P.hw_type_);
  add(a, "hv", differs(P.hversion_, e.get(P.hversion_), P.hversion_any), e, P.hversion_);
  add(a, "rev", differs(P.hversion_rev_, e.get(P.hversion_rev_), P.hversion_rev_any), e, P.hversion_rev_);
  add(a, "sv", differs(P.sversion_, e.get(P.sversion_), P.sversion_any), e, P.sversion_);
  add_wildcard(a);
  return true;
}

bool sdio(const Table& t, const Entry& e, std::string& a) {
  const auto& S = t.L.sdio_device_id;
  a = "sdio:";
  add(a, "c", differs(S.class_, e.get(S.class_), S.class_any), e, S.class_);
  add(a, "v", differs(S.vendor_, e.get(S.vendor_), S.vendor_any), e, S.vendor_);
  add(a, "d", differs(S.device_, e.get(S.device_), S.device_any), e, S.device_);
  add_wildcard(a);
  return true;
}

bool ssb(const Table& t, const Entry& e, std::string& a) {
  const auto& S = t.L.ssb_device_id;
  a = "ssb:";
  add(a, "v", differs(S.vendor_, e.get(S.vendor_), S.vendor_any), e, S.vendor_);
  add(a, "id", differs(S.coreid_, e.get(S.coreid_), S.coreid_any), e, S.coreid_);
  add(a, "rev", differs(S.revision_, e.get(S.revision_), S.revision_any), e, S.revision_);
  add_wildcard(a);
  return true;
}

bool bcma(const Table& t, const Entry& e, std::string& a) {
  const auto& B = t.L.bcma_device_id;
  a = "bcma:";
  add(a, "m", differs(B.manuf_, e.get(B.manuf_), B.manuf_any), e, B.manuf_);
  add(a, "id", differs(B.id_, e.get(B.id_), B.id_any), e, B.id_);
  add(a, "rev", differs(B.rev_, e.get(B.rev_), B.rev_any), e, B.rev_);
  add(a, "cl", differs(B.class_, e.get(B.class_), B.class_any), e, B.class_);
  add_wildcard(a);
  return true;
}

bool virtio(const Table& t, const Entry& e, std::string& a) {
  const auto& V = t.L.virtio_device_id;
  a = "virtio:";
  add(a, "d", differs(V.device_, e.get(V.device_), V.device_any), e, V.device_);
  add(a, "v", differs(V.vendor_, e.get(V.vendor_), V.vendor_any), e, V.vendor_);
  add_wildcard(a);
  return true;
}

// Bytes of a 16-byte id field, in the given order, as %02x / %02X, with '-' before the
// bytes listed in `dash_before`.
void uuid_text(std::string& a, const Entry& e, const Field& f, const std::array<int, 16>& order, bool upper) {
  for (int k = 0; k < 16; k++) {
    if (k == 4 || k == 6 || k == 8 || k == 10) a += '-';
    hex(a, e.byte(f.offset + order[k]), 2, upper);
  }
}
constexpr std::array<int, 16> kInOrder = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
// add_uuid()/add_guid(): the first three groups little-endian
constexpr std::array<int, 16> kMixedEndian = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

bool vmbus(const Table& t, const Entry& e, std::string& a) {
  const Field& g = t.L.hv_vmbus_device_id.guid_;
  a = "vmbus:";
  for (uint32_t i = 0; i < g.size; i++) hex(a, e.byte(g.offset + i), 2, false);
  return true;
}

// Buses whose alias is a prefix and a name field.
bool prefixed(std::string& a, std::string_view prefix, std::string_view name) {
  a = prefix;
  a += name;
  return true;
}

bool rpmsg(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.RPMSG_DEVICE_MODALIAS_FMT, e.str(t.L.rpmsg_device_id.name_));
}
bool i2c(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.I2C_MODULE_PREFIX, e.str(t.L.i2c_device_id.name_));
}
bool spi(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.SPI_MODULE_PREFIX, e.str(t.L.spi_device_id.name_));
}
bool platform(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.PLATFORM_MODULE_PREFIX, e.str(t.L.platform_device_id.name_));
}
bool mhi(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.MHI_DEVICE_MODALIAS_FMT, e.str(t.L.mhi_device_id.chan_));
}
bool mhi_ep(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.MHI_EP_DEVICE_MODALIAS_FMT, e.str(t.L.mhi_device_id.chan_));
}
bool auxiliary(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, t.L.c.AUXILIARY_MODULE_PREFIX, e.str(t.L.auxiliary_device_id.name_));
}
bool vchiq(const Table& t, const Entry& e, std::string& a) {
  return prefixed(a, "vchiq:", e.str(t.L.vchiq_device_id.name_));
}

bool i3c(const Table& t, const Entry& e, std::string& a) {
  const auto& I = t.L.i3c_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(I.match_flags_);
  a = "i3c:";
  add(a, "dcr", flags & C.I3C_MATCH_DCR, e, I.dcr_);
  add(a, "manuf", flags & C.I3C_MATCH_MANUF, e, I.manuf_id_);
  add(a, "part", flags & C.I3C_MATCH_PART, e, I.part_id_);
  add(a, "ext", flags & C.I3C_MATCH_EXTRA_INFO, e, I.extra_info_);
  return true;
}

bool slim(const Table& t, const Entry& e, std::string& a) {
  const auto& S = t.L.slim_device_id;
  a = "slim:";
  hex(a, e.promoted(S.manf_id_), 0, false);
  a += ':';
  hex(a, e.promoted(S.prod_code_), 0, false);
  a += ":*";
  return true;
}

bool dmi(const Table& t, const Entry& e, std::string& a) {
  const auto& D = t.L.dmi_system_id;
  const auto& M = t.L.dmi_strmatch;
  const auto& C = t.L.c;
  // modalias prefix of each DMI field, in the order the alias lists them
  const struct {
    const char* prefix;
    uint64_t field;
  } fields[] = {
      {"bvn", C.DMI_BIOS_VENDOR},     {"bvr", C.DMI_BIOS_VERSION},   {"bd", C.DMI_BIOS_DATE},
      {"br", C.DMI_BIOS_RELEASE},     {"efr", C.DMI_EC_FIRMWARE_RELEASE}, {"svn", C.DMI_SYS_VENDOR},
      {"pn", C.DMI_PRODUCT_NAME},     {"pvr", C.DMI_PRODUCT_VERSION}, {"rvn", C.DMI_BOARD_VENDOR},
      {"rn", C.DMI_BOARD_NAME},       {"rvr", C.DMI_BOARD_VERSION},  {"cvn", C.DMI_CHASSIS_VENDOR},
      {"ct", C.DMI_CHASSIS_TYPE},     {"cvr", C.DMI_CHASSIS_VERSION},
  };
  const uint32_t matches = D.matches_.elem ? D.matches_.size / D.matches_.elem : 0;
  const int shift = M.slot_.mask ? __builtin_ctz(M.slot_.mask) : 0;
  a = "dmi*";
  for (const auto& f : fields)
    for (uint32_t j = 0; j < matches; j++) {
      uint64_t at = D.matches_.offset + j * D.matches_.elem;
      unsigned slot = (e.byte(at + M.slot_.offset) & M.slot_.mask) >> shift;
      if (!slot || slot != f.field) continue;
      a += ':';
      a += f.prefix;
      a += '*';
      // printable ASCII but ':' (the field separator)
      for (char c : e.str(at + M.substr_.offset))
        if (c > ' ' && c < 127 && c != ':') a += c;
      a += '*';
    }
  a += ':';
  return true;
}

bool mdio(const Table& t, const Entry& e, std::string& a) {
  const auto& M = t.L.mdio_device_id;
  uint32_t id = e.promoted(M.phy_id_), mask = e.promoted(M.phy_id_mask_);
  a = t.L.c.MDIO_MODULE_PREFIX;
  for (int bit = 31; bit >= 0; bit--) a += !((mask >> bit) & 1) ? '?' : ((id >> bit) & 1) ? '1' : '0';
  return true;
}

bool zorro(const Table& t, const Entry& e, std::string& a) {
  const auto& Z = t.L.zorro_device_id;
  a = "zorro:";
  add(a, "i", differs(Z.id_, e.get(Z.id_), Z.id_any), e, Z.id_);
  return true;
}

bool isapnp(const Table& t, const Entry& e, std::string& a) {
  const auto& I = t.L.isapnp_device_id;
  unsigned vendor = e.promoted(I.vendor_), function = e.promoted(I.function_);
  // the EISA-style compressed vendor id: three 5-bit letters
  a = "pnp:d";
  a += static_cast<char>('A' + ((vendor >> 2) & 0x3f) - 1);
  a += static_cast<char>('A' + (((vendor & 3) << 3) | ((vendor >> 13) & 7)) - 1);
  a += static_cast<char>('A' + ((vendor >> 8) & 0x1f) - 1);
  for (int shift : {4, 0, 12, 8}) hex(a, (function >> shift) & 0x0f, 0, false);
  a += '*';
  return true;
}

bool ipack(const Table& t, const Entry& e, std::string& a) {
  const auto& I = t.L.ipack_device_id;
  a = "ipack:";
  add(a, "f", differs(I.format_, e.get(I.format_), I.format_any), e, I.format_);
  add(a, "v", differs(I.vendor_, e.get(I.vendor_), I.vendor_any), e, I.vendor_);
  add(a, "d", differs(I.device_, e.get(I.device_), I.device_any), e, I.device_);
  add_wildcard(a);
  return true;
}

bool amba(const Table& t, const Entry& e, std::string& a) {
  const auto& A = t.L.amba_id;
  uint32_t id = e.promoted(A.id_), mask = e.promoted(A.mask_);
  if ((id & mask) != id) {
    std::string mod(t.modname);
    t.report.fatal(format("%s: Masked-off bit(s) of AMBA device ID are non-zero: id=0x%08X, mask=0x%08X.  "
                          "Please fix this driver.\n",
                          mod.c_str(), id, mask));
  }
  // 8 digits, each exact, '?' or a [..] list of the digits the mask lets through
  a = "amba:d";
  for (int digit = 7; digit >= 0; digit--) {
    unsigned nibble = (id >> (4 * digit)) & 0xf, m = (mask >> (4 * digit)) & 0xf;
    if (m == 0) {
      a += '?';
    } else if (m == 0xf) {
      hex(a, nibble);
    } else {
      a += '[';
      for (unsigned i = 0; i < 0x10; i++)
        if ((i & m) == nibble) hex(a, i);
      a += ']';
    }
  }
  return true;
}

bool mipscdmm(const Table& t, const Entry& e, std::string& a) {
  a = "mipscdmm:t";
  hex(a, e.promoted(t.L.mips_cdmm_device_id.type_), 2);
  a += '*';
  return true;
}

bool x86cpu(const Table& t, const Entry& e, std::string& a) {
  const auto& X = t.L.x86_cpu_id;
  a = "cpu:type:x86,";
  add(a, "ven", differs(X.vendor_, e.get(X.vendor_), X.vendor_any), e, X.vendor_);
  add(a, "fam", differs(X.family_, e.get(X.family_), X.family_any), e, X.family_);
  add(a, "mod", differs(X.model_, e.get(X.model_), X.model_any), e, X.model_);
  a += ":feature:*";
  if (differs(X.feature_, e.get(X.feature_), X.feature_any)) {
    hex(a, e.promoted(X.feature_), 4);
    a += '*';
  }
  return true;
}

bool cpu(const Table& t, const Entry& e, std::string& a) {
  a = "cpu:type:*:feature:*";
  hex(a, e.promoted(t.L.cpu_feature.feature_), 4);
  a += '*';
  return true;
}

bool mei(const Table& t, const Entry& e, std::string& a) {
  const auto& M = t.L.mei_cl_device_id;
  std::string_view name = e.str(M.name_);
  a = t.L.c.MEI_CL_MODULE_PREFIX;
  a += name.empty() ? "*" : name;
  a += ':';
  uuid_text(a, e, M.uuid_, kMixedEndian, false);
  add(a, ":", differs(M.version_, e.get(M.version_), M.version_any), e, M.version_);
  a += ":*";
  return true;
}

bool rapidio(const Table& t, const Entry& e, std::string& a) {
  const auto& R = t.L.rio_device_id;
  a = "rapidio:";
  add(a, "v", differs(R.vid_, e.get(R.vid_), R.vid_any), e, R.vid_);
  add(a, "d", differs(R.did_, e.get(R.did_), R.did_any), e, R.did_);
  add(a, "av", differs(R.asm_vid_, e.get(R.asm_vid_), R.asm_vid_any), e, R.asm_vid_);
  add(a, "ad", differs(R.asm_did_, e.get(R.asm_did_), R.asm_did_any), e, R.asm_did_);
  add_wildcard(a);
  return true;
}

bool ulpi(const Table& t, const Entry& e, std::string& a) {
  const auto& U = t.L.ulpi_device_id;
  a = "ulpi:v";
  hex(a, e.promoted(U.vendor_), 4, false);
  a += 'p';
  hex(a, e.promoted(U.product_), 4, false);
  return true;
}

bool hdaudio(const Table& t, const Entry& e, std::string& a) {
  const auto& H = t.L.hda_device_id;
  a = "hdaudio:";
  add(a, "v", e.get(H.vendor_id_) != 0, e, H.vendor_id_);
  add(a, "r", e.get(H.rev_id_) != 0, e, H.rev_id_);
  add(a, "a", e.get(H.api_version_) != 0, e, H.api_version_);
  add_wildcard(a);
  return true;
}

bool sdw(const Table& t, const Entry& e, std::string& a) {
  const auto& S = t.L.sdw_device_id;
  a = "sdw:";
  add(a, "m", e.get(S.mfg_id_) != 0, e, S.mfg_id_);
  add(a, "p", e.get(S.part_id_) != 0, e, S.part_id_);
  add(a, "v", e.get(S.sdw_version_) != 0, e, S.sdw_version_);
  add(a, "c", e.get(S.class_id_) != 0, e, S.class_id_);
  add_wildcard(a);
  return true;
}

bool fslmc(const Table& t, const Entry& e, std::string& a) {
  const auto& F = t.L.fsl_mc_device_id;
  a = "fsl-mc:v";
  hex(a, e.promoted(F.vendor_), 8);
  a += 'd';
  a += e.str(F.obj_type_);
  return true;
}

bool tbsvc(const Table& t, const Entry& e, std::string& a) {
  const auto& T = t.L.tb_service_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(T.match_flags_);
  a = "tbsvc:k";
  if (flags & C.TBSVC_MATCH_PROTOCOL_KEY)
    a += e.str(T.protocol_key_);
  else
    a += '*';
  add(a, "p", flags & C.TBSVC_MATCH_PROTOCOL_ID, e, T.protocol_id_);
  add(a, "v", flags & C.TBSVC_MATCH_PROTOCOL_VERSION, e, T.protocol_version_);
  add(a, "r", flags & C.TBSVC_MATCH_PROTOCOL_REVISION, e, T.protocol_revision_);
  add_wildcard(a);
  return true;
}

bool typec(const Table& t, const Entry& e, std::string& a) {
  const auto& T = t.L.typec_device_id;
  a = "typec:id";
  hex(a, e.promoted(T.svid_), 4);
  add(a, "m", differs(T.mode_, e.get(T.mode_), T.mode_any), e, T.mode_);
  return true;
}

bool tee(const Table& t, const Entry& e, std::string& a) {
  a = "tee:";
  uuid_text(a, e, t.L.tee_client_device_id.uuid_, kInOrder, false);
  add_wildcard(a);
  return true;
}

bool wmi(const Table& t, const Entry& e, std::string& a) {
  constexpr size_t kUuidLen = 36, kAliasSize = 500;  // UUID_STRING_LEN, file2alias's ALIAS_SIZE
  std::string_view guid = e.str(t.L.wmi_device_id.guid_string_);
  std::string mod(t.modname), g(guid);
  if (guid.size() != kUuidLen) {
    t.report.warn(format("Invalid WMI device id 'wmi:%s' in '%s'\n", g.c_str(), mod.c_str()));
    return false;
  }
  a = t.L.c.WMI_MODULE_PREFIX;
  a += guid;
  if (a.size() >= kAliasSize) {
    t.report.warn(format("Could not generate all MODULE_ALIAS's in '%s'\n", mod.c_str()));
    return false;
  }
  return true;
}

bool ssam(const Table& t, const Entry& e, std::string& a) {
  const auto& S = t.L.ssam_device_id;
  const auto& C = t.L.c;
  uint64_t flags = e.get(S.match_flags_);
  a = "ssam:d";
  hex(a, e.promoted(S.domain_), 2);
  a += 'c';
  hex(a, e.promoted(S.category_), 2);
  add(a, "t", flags & C.SSAM_MATCH_TARGET, e, S.target_);
  add(a, "i", flags & C.SSAM_MATCH_INSTANCE, e, S.instance_);
  add(a, "f", flags & C.SSAM_MATCH_FUNCTION, e, S.function_);
  return true;
}

bool dfl(const Table& t, const Entry& e, std::string& a) {
  const auto& D = t.L.dfl_device_id;
  a = "dfl:t";
  hex(a, e.promoted(D.type_), 4);
  a += 'f';
  hex(a, e.promoted(D.feature_id_), 4);
  add_wildcard(a);
  return true;
}

bool ishtp(const Table& t, const Entry& e, std::string& a) {
  a = t.L.c.ISHTP_MODULE_PREFIX;
  a += '{';
  uuid_text(a, e, t.L.ishtp_device_id.guid_, kMixedEndian, true);
  a += '}';
  return true;
}

bool cdx(const Table& t, const Entry& e, std::string& a) {
  const auto& D = t.L.cdx_device_id;
  if (!override_prefix(t, e.get(D.override_only_), t.L.c.CDX_ID_F_VFIO_DRIVER_OVERRIDE, "cdx", a)) return false;
  add(a, "v", differs(D.vendor_, e.get(D.vendor_), D.vendor_any), e, D.vendor_);
  add(a, "d", differs(D.device_, e.get(D.device_), D.device_any), e, D.device_);
  add(a, "sv", differs(D.subvendor_, e.get(D.subvendor_), D.subvendor_any), e, D.subvendor_);
  add(a, "sd", differs(D.subdevice_, e.get(D.subdevice_), D.subdevice_any), e, D.subdevice_);
  add(a, "c", e.promoted(D.class_mask_) == 0xFFFFFF, e, D.class_);
  return true;
}

bool coreboot(const Table& t, const Entry& e, std::string& a) {
  a = "coreboot:t";
  hex(a, e.promoted(t.L.coreboot_device_id.tag_), 8);
  return true;
}

#define SIZE(s) [](const Layout& L) { return L.s.size; }
constexpr Versions since61{.v6_1 = true, .v6_12 = true};  // since 6.1
constexpr Versions since612{.v6_1 = false, .v6_12 = true};  // new in 6.12

const Bus kBuses[] = {
    {"usb", "usb", since61, SIZE(usb_device_id), usb_entry},
    {"of", "of", since61, SIZE(of_device_id), of_entry},
    {"pnp", "pnp", since61, SIZE(pnp_device_id), pnp_entry},
    {"pnp_card", "pnp", since61, SIZE(pnp_card_device_id), pnp_card_entry},
    {"hid", "hid", since61, SIZE(hid_device_id), one<hid>},
    {"ieee1394", "ieee1394", since61, SIZE(ieee1394_device_id), one<ieee1394>},
    {"pci", "pci", since61, SIZE(pci_device_id), one<pci>},
    {"ccw", "ccw", since61, SIZE(ccw_device_id), one<ccw>},
    {"ap", "ap", since61, SIZE(ap_device_id), one<ap>},
    {"css", "css", since61, SIZE(css_device_id), one<css>},
    {"serio", "serio", since61, SIZE(serio_device_id), one<serio>},
    {"acpi", "acpi", since61, SIZE(acpi_device_id), one<acpi>},
    {"pcmcia", "pcmcia", since61, SIZE(pcmcia_device_id), one<pcmcia>},
    {"vio", "vio", since61, SIZE(vio_device_id), one<vio>},
    {"input", "input", since61, SIZE(input_device_id), one<input>},
    {"eisa", "eisa", since61, SIZE(eisa_device_id), one<eisa>},
    {"parisc", "parisc", since61, SIZE(parisc_device_id), one<parisc>},
    {"sdio", "sdio", since61, SIZE(sdio_device_id), one<sdio>},
    {"ssb", "ssb", since61, SIZE(ssb_device_id), one<ssb>},
    {"bcma", "bcma", since61, SIZE(bcma_device_id), one<bcma>},
    {"virtio", "virtio", since61, SIZE(virtio_device_id), one<virtio>},
    {"vmbus", "vmbus", since61, SIZE(hv_vmbus_device_id), one<vmbus>},
    {"rpmsg", "rpmsg", since61, SIZE(rpmsg_device_id), one<rpmsg>},
    {"i2c", "i2c", since61, SIZE(i2c_device_id), one<i2c>},
    {"i3c", "i3c", since61, SIZE(i3c_device_id), one<i3c>},
    {"slim", "slim", since612, SIZE(slim_device_id), one<slim>},
    {"spi", "spi", since61, SIZE(spi_device_id), one<spi>},
    {"dmi", "dmi", since61, SIZE(dmi_system_id), one<dmi>},
    {"platform", "platform", since61, SIZE(platform_device_id), one<platform>},
    {"mdio", "mdio", since61, SIZE(mdio_device_id), one<mdio>},
    {"zorro", "zorro", since61, SIZE(zorro_device_id), one<zorro>},
    {"isapnp", "isapnp", since61, SIZE(isapnp_device_id), one<isapnp>},
    {"ipack", "ipack", since61, SIZE(ipack_device_id), one<ipack>},
    {"amba", "amba", since61, SIZE(amba_id), one<amba>},
    {"mipscdmm", "mipscdmm", since61, SIZE(mips_cdmm_device_id), one<mipscdmm>},
    {"x86cpu", "x86cpu", since61, SIZE(x86_cpu_id), one<x86cpu>},
    {"cpu", "cpu", since61, SIZE(cpu_feature), one<cpu>},
    {"mei", "mei", since61, SIZE(mei_cl_device_id), one<mei>},
    {"rapidio", "rapidio", since61, SIZE(rio_device_id), one<rapidio>},
    {"ulpi", "ulpi", since61, SIZE(ulpi_device_id), one<ulpi>},
    {"hdaudio", "hdaudio", since61, SIZE(hda_device_id), one<hdaudio>},
    {"sdw", "sdw", since61, SIZE(sdw_device_id), one<sdw>},
    {"fslmc", "fslmc", since61, SIZE(fsl_mc_device_id), one<fslmc>},
    {"tbsvc", "tbsvc", since61, SIZE(tb_service_id), one<tbsvc>},
    {"typec", "typec", since61, SIZE(typec_device_id), one<typec>},
    {"tee", "tee", since61, SIZE(tee_client_device_id), one<tee>},
    {"wmi", "wmi", since61, SIZE(wmi_device_id), one<wmi>},
    {"mhi", "mhi", since61, SIZE(mhi_device_id), one<mhi>},
    {"mhi_ep", "mhi_ep", since61, SIZE(mhi_device_id), one<mhi_ep>},
    {"auxiliary", "auxiliary", since61, SIZE(auxiliary_device_id), one<auxiliary>},
    {"ssam", "ssam", since61, SIZE(ssam_device_id), one<ssam>},
    {"dfl", "dfl", since61, SIZE(dfl_device_id), one<dfl>},
    {"ishtp", "ishtp", since61, SIZE(ishtp_device_id), one<ishtp>},
    {"cdx", "cdx", since612, SIZE(cdx_device_id), one<cdx>},
    {"vchiq", "vchiq", since612, SIZE(vchiq_device_id), one<vchiq>},
    {"coreboot", "coreboot", since612, SIZE(coreboot_device_id), one<coreboot>},
};
#undef SIZE

}  // namespace

std::span<const Bus> buses() { return kBuses; }

}  // namespace modforge::modpost::f2a
