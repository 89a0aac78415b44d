// file2alias against the real modpost of 6.1 and 6.12: tiny objects with device tables
// (built by gcc from C snippets that include each kernel's own mod_devicetable.h) go through
// the real modpost and through ours; the MODULE_ALIAS lines of the real .mod.c and its
// standard error must equal our aliases and our Report, byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/elf.h"
#include "modpost/file2alias.h"
#include "tests/support.h"

namespace fs = std::filesystem;
using modforge::Kernel;
namespace t = modforge::test;

namespace {

struct Version {
  Kernel kernel;
  const char* name;
  const char* modpost;
  const char* headers;
};
const Version kVersions[] = {
    {Kernel::v6_1, "6.1", "/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64",
     "/usr/src/linux-headers-6.1.0-56-common"},
    {Kernel::v6_12, "6.12", "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64",
     "/usr/src/linux-headers-6.12.117+deb12-common"},
};

// The user-space setting in which file2alias.c itself includes the header, and a license
// so that the real modpost has nothing else to say about the object.
std::string preamble(const Version& v) {
  return "#include <stdint.h>\n"
         "typedef uint64_t kernel_ulong_t;\n#define BITS_PER_LONG 64\n"
         "typedef uint32_t __u32; typedef uint16_t __u16; typedef unsigned char __u8;\n"
         "typedef struct { __u8 b[16]; } guid_t; typedef struct { __u8 b[16]; } uuid_t;\n"
         "typedef struct { __u8 b[16]; } uuid_le;\n#define UUID_STRING_LEN 36\n"
         "#include \"" + std::string(v.headers) + "/include/linux/mod_devicetable.h\"\n"
         "static const char lic[] __attribute__((section(\".modinfo\"), used)) = \"license=GPL\";\n"
         "#define TABLE(bus, type) const struct type __mod_##bus##__t_device_table[]\n";
}

struct Result {
  std::string err;      // standard error
  std::string aliases;  // the MODULE_ALIAS lines of the .mod.c
  bool fatal = false;
};

void require_tools(const Version& v) {
  ASSERT_TRUE(fs::exists(v.modpost)) << v.modpost << " is missing: run scripts/setup.sh (linux-headers packages)";
  ASSERT_TRUE(fs::exists(std::string(v.headers) + "/include/linux/mod_devicetable.h")) << v.headers << " is missing";
  ASSERT_TRUE(fs::exists("/usr/bin/gcc")) << "gcc is missing";
}

// Compiles each source to <dir>/<name>.o with one gcc run; returns the object paths.
std::vector<std::string> compile(const Version& v, const std::string& dir,
                                 const std::vector<std::pair<std::string, std::string>>& sources) {
  std::vector<std::string> args = {"-c", "-O0", "-w"}, objects;
  for (const auto& [name, body] : sources) {
    t::write_file(dir + "/" + name + ".c", preamble(v) + body);
    args.push_back(dir + "/" + name + ".c");
    objects.push_back(dir + "/" + name + ".o");
  }
  // gcc -c without -o writes each object into the working directory: go through sh
  std::string cmd = "cd '" + dir + "' && /usr/bin/gcc";
  for (const auto& a : args) cmd += " '" + a + "'";
  t::Outcome o = t::run_program("/bin/sh", {"-c", cmd}, "");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  return objects;
}

std::string alias_lines(const std::string& mod_c) {
  std::string out;
  size_t at = 0;
  while ((at = mod_c.find("MODULE_ALIAS(\"", at)) != std::string::npos) {
    size_t end = mod_c.find('\n', at);
    out += mod_c.substr(at, end - at + 1);
    at = end;
  }
  return out;
}

Result run_real(const Version& v, const std::string& object) {
  std::string mod_c = object.substr(0, object.size() - 2) + ".mod.c";
  fs::remove(mod_c);
  t::Outcome o = t::run_program(v.modpost, {object}, "");
  Result r;
  r.err = o.err;
  r.fatal = o.exit_code != 0;
  if (fs::exists(mod_c)) r.aliases = alias_lines(t::read_file(mod_c));
  return r;
}

// modpost's remove_dot(), enough for the names these objects hold
std::string_view remove_dot(std::string_view s) {
  size_t n = s.find('.');
  if (n == 0 || n == std::string_view::npos) return s;
  size_t m = 0;
  while (n + 1 + m < s.size() && std::isdigit(static_cast<unsigned char>(s[n + 1 + m]))) m++;
  return m && (n + 1 + m == s.size() || s[n + 1 + m] == '.') ? s.substr(0, n) : s;
}

Result run_ours(const Version& v, const std::string& object) {
  modforge::modpost::Report report(v.kernel);
  Result r;
  std::string modname = object.substr(0, object.size() - 2);
  try {
    auto elf = modforge::elf::ElfFile::open(object);
    for (const auto& sym : elf.symbols())
      modforge::modpost::handle_device_table(elf, sym, remove_dot(sym.name), modname, v.kernel, report, r.aliases);
  } catch (const modforge::modpost::Fatal&) {
    r.fatal = true;
    r.aliases.clear();  // the real tool exits before writing the .mod.c
  }
  r.err = report.text();
  return r;
}

struct Counts {
  size_t aliases = 0, fatal = 0, objects = 0, diagnostic_lines = 0;
};

// Each source compiled, then compared; counts what the real tool did.
Counts compare(const Version& v, const std::vector<std::pair<std::string, std::string>>& sources) {
  std::string dir = t::temp_dir();
  Counts n;
  for (const std::string& object : compile(v, dir, sources)) {
    Result real = run_real(v, object), ours = run_ours(v, object);
    SCOPED_TRACE(std::string(v.name) + " " + fs::path(object).filename().string());
    EXPECT_EQ(ours.err, real.err);
    EXPECT_EQ(ours.aliases, real.aliases);
    EXPECT_EQ(ours.fatal, real.fatal);
    for (char c : real.aliases) n.aliases += c == '\n';
    n.fatal += real.fatal;
    for (char c : real.err) n.diagnostic_lines += c == '\n';
    n.objects++;
  }
  return n;
}

// ---- the snippets ----

const char* kUsb = R"(
TABLE(usb, usb_device_id) = {
  { .match_flags = 0x000f, .idVendor = 0x1234, .idProduct = 0x5678, .bcdDevice_lo = 0x0105, .bcdDevice_hi = 0x0233 },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0000, .bcdDevice_hi = 0x9999 },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0007, .bcdDevice_hi = 0x000c },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0009, .bcdDevice_hi = 0x000a },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0003, .bcdDevice_hi = 0x000a },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x1a2b, .bcdDevice_hi = 0xf00f },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0000, .bcdDevice_hi = 0xffff },
  { .match_flags = 0x000f, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0480, .bcdDevice_hi = 0x0480 },
  { .match_flags = 0x0007, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_lo = 0x0199 },
  { .match_flags = 0x000b, .idVendor = 0x1, .idProduct = 0x2, .bcdDevice_hi = 0x0100 },
  { .match_flags = 0x0003, .idVendor = 0x46d, .idProduct = 0xc52b },
  { .match_flags = 0x0380, .bInterfaceClass = 0xe0, .bInterfaceSubClass = 0x01, .bInterfaceProtocol = 0x01 },
  { .match_flags = 0x0470, .bDeviceClass = 9, .bDeviceSubClass = 0, .bDeviceProtocol = 3, .bInterfaceNumber = 2 },
  { .match_flags = 0x0001, .idVendor = 0 },
  { .driver_info = 42 },
  { 0 } };
)";

const char* kOf = R"(
TABLE(of, of_device_id) = {
  { .compatible = "vendor,chip" },
  { .name = "node", .type = "serial" },
  { .type = "network card", .compatible = "a b\tc" },
  { .name = "n" },
  { .data = (void *)1 },
  { } };
)";

const char* kPnp = R"(
TABLE(pnp, pnp_device_id) = { { .id = "PNP0c02" }, { .id = "abc0001" }, { .id = "" }, { } };
TABLE(pnp_card, pnp_card_device_id) = {
  { .id = "CARD001", .devs = { { "pnp0a01" }, { "PNP0B02" } } },
  { .id = "CARD002", .devs = { { "PNP0B02" }, { "xyz0003" }, { "" }, { "PNP0C04" } } },
  { } };
)";

const char* kPci = R"(
TABLE(pci, pci_device_id) = {
  { .vendor = 0x8086, .device = 0x1234, .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID },
  { .vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,
    .class = 0x010601, .class_mask = 0xffffff },
  { .vendor = 0x1, .device = 0x2, .subvendor = 0x3, .subdevice = 0x4, .class = 0x0c0330, .class_mask = 0xffff00 },
  { .vendor = 0x1, .device = 0x2, .class = 0x0c0330, .class_mask = 0xff00f0 },
  { .vendor = 0x10de, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID, .override_only = 1 },
  { .vendor = 0x10de, .override_only = 7 },
  { } };
)";

const char* kAcpiInput = R"(
TABLE(acpi, acpi_device_id) = {
  { "PNP0C0A", 0 }, { "", 0, 0x010601, 0xffffff }, { "", 0, 0x0c0300, 0xff00ff }, { "", 0, 0, 0 }, { } };
TABLE(input, input_device_id) = {
  { .flags = INPUT_DEVICE_ID_MATCH_EVBIT | INPUT_DEVICE_ID_MATCH_KEYBIT,
    .evbit = { 0x6 }, .keybit = { [2] = 0x3, [4] = 0x8000000000000001ULL } },
  { .flags = 0x0f, .bustype = 3, .vendor = 0x46d, .product = 0xc52b, .version = 0x111 },
  { .flags = 0xff0, .relbit = { 0x3 }, .absbit = { 0x7 }, .mscbit = { 0x10 }, .ledbit = { 1 },
    .sndbit = { 2 }, .ffbit = { [1] = 0x1 }, .swbit = { 0x4000 } },
  { .driver_info = 1 },
  { } };
)";

const char* kDmiAmba = R"(
TABLE(dmi, dmi_system_id) = {
  { .ident = "x", .matches = { { DMI_SYS_VENDOR, 0, "Dell Inc." }, { DMI_PRODUCT_NAME, 1, "Latitude: E6430" },
                               { DMI_BIOS_DATE, 0, "\x01\x7f\xc3\xa9ok" }, { DMI_CHASSIS_TYPE, 0, "10" } } },
  { .matches = { { DMI_BOARD_NAME, 0, "" }, { DMI_NONE, 0, "none" } } },
  { .callback = (void *)1 },
  { } };
TABLE(amba, amba_id) = { { 0x000bb000, 0x000ff000 }, { 0x00041011, 0x00ffffff }, { 0x1030, 0xf0f3 }, { 0, 0 }, { } };
)";

const char* kGeneric = R"(
TABLE(hid, hid_device_id) = { { .bus = 3, .vendor = 0x46d, .product = 0xc52b }, { .bus = HID_BUS_ANY, .group = 1, .vendor = HID_ANY_ID, .product = 5 }, { .driver_data = 1 }, { } };
TABLE(ieee1394, ieee1394_device_id) = { { .match_flags = 0xf, .vendor_id = 0xa02d, .model_id = 1, .specifier_id = 2, .version = 3 }, { .match_flags = 0x4, .specifier_id = 0x609e }, { .driver_data = 1 }, { } };
TABLE(ccw, ccw_device_id) = { { .match_flags = 0xf, .cu_type = 0x3088, .cu_model = 8, .dev_type = 0x3390, .dev_model = 1 }, { .match_flags = 1, .cu_type = 0x1731 }, { .driver_info = 1 }, { } };
TABLE(ap, ap_device_id) = { { .dev_type = 0x0a }, { .match_flags = 1, .dev_type = 0 }, { } };
TABLE(css, css_device_id) = { { .type = 0 }, { .match_flags = 1, .type = 0x1f }, { } };
TABLE(serio, serio_device_id) = { { SERIO_ANY, SERIO_ANY, SERIO_ANY, SERIO_ANY }, { 1, 2, 3, 4 }, { 0xff, 0, 0xff, 0x10 }, { } };
TABLE(pcmcia, pcmcia_device_id) = { { .match_flags = 0x1ff, .manf_id = 0x105, .card_id = 0xea15, .func_id = 2, .function = 1, .device_no = 3, .prod_id_hash = { 0x1, 0xdeadbeef, 3, 4 } }, { .match_flags = 0x30, .prod_id_hash = { 0x12345678, 0x9abcdef0 } }, { .driver_info = 1 }, { } };
TABLE(vio, vio_device_id) = { { "network", "IBM,l-lan" }, { "", "a b" }, { "x", "" }, { } };
TABLE(eisa, eisa_device_id) = { { "ABC1234" }, { "", 1 }, { } };
TABLE(parisc, parisc_device_id) = { { 0xff, 0xff, 0xffff, 0xffffffff }, { 1, 2, 3, 4 }, { } };
TABLE(sdio, sdio_device_id) = { { .class = SDIO_ANY_ID, .vendor = 0x2d0, .device = SDIO_ANY_ID }, { .class = 7, .vendor = (__u16)SDIO_ANY_ID, .device = 0x4329 }, { .driver_data = 1 }, { } };
TABLE(ssb, ssb_device_id) = { { 0x4243, 0x812, 0xff }, { 0xffff, 0xffff, 5 }, { } };
TABLE(bcma, bcma_device_id) = { { 0x4bf, 0x812, 0xff, 0xff }, { 0xffff, 0xffff, 1, 2 }, { } };
TABLE(virtio, virtio_device_id) = { { 1, VIRTIO_DEV_ANY_ID }, { VIRTIO_DEV_ANY_ID, 0x1af4 }, { } };
TABLE(vmbus, hv_vmbus_device_id) = { { .guid = { { 0x63, 0x51, 0x61, 0xf8, 0x3e, 0xdf, 0xc5, 0x46, 0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e } } }, { .guid = { { 1 } } }, { } };
TABLE(rpmsg, rpmsg_device_id) = { { "rpmsg-raw" }, { "", 1 }, { } };
TABLE(i2c, i2c_device_id) = { { "lm75", 0 }, { "", 1 }, { } };
TABLE(i3c, i3c_device_id) = { { .match_flags = 0xf, .dcr = 0x63, .manuf_id = 0x105, .part_id = 0x1234, .extra_info = 0xffff }, { .match_flags = 2, .manuf_id = 0x1 }, { .data = (void *)1 }, { } };
TABLE(spi, spi_device_id) = { { "m25p80" }, { } };
TABLE(platform, platform_device_id) = { { "serial8250" }, { "" , 1 }, { } };
TABLE(mdio, mdio_device_id) = { { 0x0022161a, 0xfffffff0 }, { 0x1, 0x80000001 }, { 0, 0 }, { } };
TABLE(zorro, zorro_device_id) = { { ZORRO_WILDCARD }, { 0x02000000 }, { } };
TABLE(isapnp, isapnp_device_id) = { { 0, 0, 0xd041, 0x0006 }, { 1, 2, 0x630e, 0x1234 }, { 0, 0, 0xffff, 0xffff }, { } };
TABLE(ipack, ipack_device_id) = { { 0xff, 0xffffffff, 0xffffffff }, { 1, 0xf0, 0x1 }, { } };
TABLE(mipscdmm, mips_cdmm_device_id) = { { 0x2 }, { } };
TABLE(x86cpu, x86_cpu_id) = { { .vendor = X86_VENDOR_ANY, .family = 6, .model = 0x55, .feature = 0 }, { .vendor = 0, .family = 0, .model = 0, .feature = 0x89 }, { .vendor = 2, .family = 0x17, .flags = 1 }, { } };
TABLE(cpu, cpu_feature) = { { 0x1 }, { 0x13d }, { } };
TABLE(mei, mei_cl_device_id) = { { "mei_hdcp", { { 0x6e, 0x2a, 0x2c, 0xb6, 0x92, 0xcb, 0x75, 0x40, 0xb9, 0x5b, 0x4f, 0xe8, 0xb3, 0x7a, 0x65, 0x43 } }, MEI_CL_VERSION_ANY }, { "", { { 1 } }, 2 }, { } };
TABLE(rapidio, rio_device_id) = { { 0xffff, 0xffff, 0xffff, 0xffff }, { 1, 2, 3, 4 }, { } };
TABLE(ulpi, ulpi_device_id) = { { 0x0424, 0x0007 }, { 0, 0, 1 }, { } };
TABLE(hdaudio, hda_device_id) = { { .vendor_id = 0x10ec0269 }, { .vendor_id = 0x8086280b, .rev_id = 0x100000, .api_version = 1 }, { .name = "x" }, { } };
TABLE(sdw, sdw_device_id) = { { .mfg_id = 0x25d, .part_id = 0x711 }, { .sdw_version = 2, .class_id = 1 }, { .driver_data = 1 }, { } };
TABLE(fslmc, fsl_mc_device_id) = { { 0x1957, "dpni" }, { 0x1, "" }, { } };
TABLE(tbsvc, tb_service_id) = { { .match_flags = 0xf, .protocol_key = "network", .protocol_id = 1, .protocol_version = 1, .protocol_revision = 1 }, { .match_flags = 2, .protocol_id = 7 }, { .driver_data = 1 }, { } };
TABLE(typec, typec_device_id) = { { 0xff01, TYPEC_ANY_MODE }, { 0x8087, 1 }, { } };
TABLE(tee, tee_client_device_id) = { { { { 0xd9, 0x6a, 0x5b, 0x40, 0xe2, 0xc7, 0xb1, 0xaf, 0xd3, 0x34, 0xc3, 0x49, 0x5d, 0x5c, 0x5b, 0x51 } } }, { } };
TABLE(wmi, wmi_device_id) = { { "8D9DDCBC-A997-11DA-B012-B622A1EF5492" }, { "too-short" }, { "", (void *)1 }, { } };
TABLE(mhi, mhi_device_id) = { { "IP_HW0" }, { } };
TABLE(mhi_ep, mhi_device_id) = { { "IP_SW0" }, { } };
TABLE(auxiliary, auxiliary_device_id) = { { "mlx5_core.eth" }, { } };
TABLE(ssam, ssam_device_id) = { { .match_flags = 7, .domain = 1, .category = 2, .target = 3, .instance = 4, .function = 5 }, { .match_flags = 0, .domain = 0x11, .category = 0x22 }, { .driver_data = 1 }, { } };
TABLE(dfl, dfl_device_id) = { { 0, 0xe }, { 1, 0x25 }, { } };
TABLE(ishtp, ishtp_device_id) = { { { { 0x1e, 0x8f, 0xd2, 0x33, 0x45, 0x6d, 0x4e, 0x4a, 0xbc, 0x42, 0x0f, 0xe0, 0xa2, 0x3e, 0x9c, 0x3c } } }, { } };
)";

const char* k612Only = R"(
TABLE(slim, slim_device_id) = { { 0x217, 0x250 }, { 0, 0, 1 }, { } };
TABLE(cdx, cdx_device_id) = { { 0x10ee, 0x8084, CDX_ANY_ID, CDX_ANY_ID }, { 1, 2, 3, 4, 0x123456, 0xffffff, 1 }, { 1, 2, 3, 4, 0, 0, 9 }, { } };
TABLE(vchiq, vchiq_device_id) = { { "bcm2835-audio" }, { } };
TABLE(coreboot, coreboot_device_id) = { { 0x22 }, { } };
)";

// Names and symbols around the device-table pattern, and tables in .bss.
const char* kSymbols = R"(
struct pci_device_id __mod_pci__zeros_device_table[3];
const struct i2c_device_id dotted[] __asm__("__mod_i2c__dot_device_table.42") = { { "dotted" }, { } };
const struct i2c_device_id undotted[] __asm__("__mod_i2c__dot_device_table.x") = { { "undotted" }, { } };
const struct i2c_device_id noid[] __asm__("__mod_i2c_device_table") = { { "noid" }, { } };
const struct i2c_device_id deep[] __asm__("__mod_i2c__a__b_device_table") = { { "deep" }, { } };
const struct i2c_device_id unknown[] __asm__("__mod_nosuchbus__x_device_table") = { { "unknown" }, { } };
const struct i2c_device_id notable[] __asm__("__mod_i2c__x_device_tables") = { { "notable" }, { } };
void __mod_i2c__func_device_table(void) {}
)";

}  // namespace

TEST(ModpostFile2alias, AliasesMatchRealModpost) {
  for (const Version& v : kVersions) {
    require_tools(v);
    std::vector<std::pair<std::string, std::string>> sources = {
        {"usb", kUsb}, {"of", kOf}, {"pnp", kPnp}, {"pci", kPci}, {"acpi_input", kAcpiInput},
        {"dmi_amba", kDmiAmba}, {"generic", kGeneric}, {"symbols", kSymbols}};
    if (v.kernel == Kernel::v6_12) sources.push_back({"since612", k612Only});
    Counts n = compare(v, sources);
    std::printf("[file2alias %s] %zu objects, %zu aliases, %zu diagnostic lines compared\n", v.name, n.objects,
                n.aliases, n.diagnostic_lines);
    EXPECT_EQ(n.objects, sources.size());
    EXPECT_GT(n.aliases, 150u);
    EXPECT_EQ(n.fatal, 0u);
    // pci: a partial class mask and an unknown override_only; wmi: two bad guids; cdx (6.12):
    // an unknown override_only
    EXPECT_EQ(n.diagnostic_lines, v.kernel == Kernel::v6_1 ? 4u : 5u);
  }
}

// A table of one byte for every bus name either version knows (and a few it does not):
// the real fatal message names the struct size, so this checks every layout's size and
// which buses each version handles.
TEST(ModpostFile2alias, TableSizeNotAMultipleForEveryBus) {
  const char* buses[] = {"usb", "of", "pnp", "pnp_card", "hid", "ieee1394", "pci", "ccw", "ap", "css", "serio", "acpi",
                         "pcmcia", "vio", "input", "eisa", "parisc", "sdio", "ssb", "bcma", "virtio", "vmbus",
                         "rpmsg", "i2c", "i3c", "slim", "spi", "dmi", "platform", "mdio", "zorro", "isapnp",
                         "ipack", "amba", "mipscdmm", "x86cpu", "cpu", "mei", "rapidio", "ulpi", "hdaudio", "sdw",
                         "fslmc", "tbsvc", "typec", "tee", "wmi", "mhi", "mhi_ep", "auxiliary", "ssam", "dfl",
                         "ishtp", "cdx", "vchiq", "coreboot", "fsl_mc", "hv_vmbus", "nosuch", "USB"};
  for (const Version& v : kVersions) {
    require_tools(v);
    std::vector<std::pair<std::string, std::string>> sources;
    for (const char* bus : buses)
      sources.push_back({std::string("size_") + bus,
                         std::string("const char __mod_") + bus + "__t_device_table[1] = { 0 };\n"});
    Counts n = compare(v, sources);
    // every name but the four unknown ones, 6.1 without the four 6.12 buses, and
    // mipscdmm, whose struct is one byte (a one-byte zero table is a valid empty table)
    size_t known = std::size(buses) - 4 - (v.kernel == Kernel::v6_1 ? 4 : 0) - 1;
    std::printf("[file2alias %s] %zu one-byte tables, %zu fatal\n", v.name, n.objects, n.fatal);
    EXPECT_EQ(n.objects, std::size(buses));
    EXPECT_EQ(n.fatal, known);
  }
}

TEST(ModpostFile2alias, FatalDiagnostics) {
  const std::vector<std::pair<std::string, std::string>> sources = {
      {"unterminated", "TABLE(pci, pci_device_id) = { { 0x8086, 0x1 }, { 0x8086, 0x2, 0, 0, 0, 0, 7 } };\n"},
      {"unterminated_usb", "TABLE(usb, usb_device_id) = { { .match_flags = 3, .idVendor = 1 } };\n"},
      {"size13", "const char __mod_pci__t_device_table[13 * 40 + 13] = { 0 };\n"},
      {"amba_mask", "TABLE(amba, amba_id) = { { 0x1234, 0x0f00 }, { } };\n"},
      {"amba_mask_after", "TABLE(i2c, i2c_device_id) = { { \"first\" }, { } };\n"
                          "TABLE(amba, amba_id) = { { 0x10, 0xf0 }, { 0x1234, 0x0f00 }, { } };\n"},
  };
  for (const Version& v : kVersions) {
    require_tools(v);
    Counts n = compare(v, sources);
    EXPECT_EQ(n.fatal, sources.size());
  }
}

// A table whose symbol points past the end of the file: the real tool would read whatever
// lies beyond its mapping; ours stops with one clear line.
TEST(ModpostFile2alias, TableOutsideTheFileIsAnError) {
  const Version& v = kVersions[1];
  require_tools(v);
  std::string dir = t::temp_dir();
  std::string object = compile(v, dir, {{"outside", "TABLE(i2c, i2c_device_id) = { { \"x\" }, { } };\n"}})[0];
  std::string bytes = t::read_file(object);
  {
    auto elf = modforge::elf::ElfFile::open(object);
    const modforge::elf::Section* symtab = elf.section(".symtab");
    ASSERT_NE(symtab, nullptr);
    bool patched = false;
    for (const auto& sym : elf.symbols())
      if (sym.name == "__mod_i2c__t_device_table") {
        uint64_t value = uint64_t{1} << 40;  // st_value, 8 bytes into the Elf64_Sym
        bytes.replace(symtab->offset + sym.index * 24 + 8, 8, reinterpret_cast<const char*>(&value), 8);
        patched = true;
      }
    ASSERT_TRUE(patched);
  }
  t::write_file(object, bytes);
  Result ours = run_ours(v, object);
  EXPECT_TRUE(ours.fatal);
  EXPECT_EQ(ours.err, "ERROR: modpost: " + object.substr(0, object.size() - 2) +
                          ": __mod_i2c__t_device_table: device table lies outside the file\n");
}
