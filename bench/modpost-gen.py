#!/usr/bin/env python3
"""modpost-gen.py: write N small, kernel-style external modules for the modpost benchmark.

    bench/modpost-gen.py --count N --out DIR

Writes DIR/Kbuild and, in subdirectories g00, g01, ... of 100 modules each (with
their own Kbuild), the C sources of N modules named mfbNNNN (deterministic: the
same N gives the same files).  The mix follows what modpost sees in a
distribution kernel rather than a worst case:

- about a third of the modules export 2-5 functions, cycling through
  EXPORT_SYMBOL, EXPORT_SYMBOL_GPL, EXPORT_SYMBOL_NS and EXPORT_SYMBOL_NS_GPL
  (namespaces MFB_NS0..MFB_NS7), a few also export a variable;
- every module after the first few calls exported functions of up to three
  earlier modules (with MODULE_IMPORT_NS for namespaced ones) and a handful of
  vmlinux functions (_printk, kstrtoint, snprintf, mutex_lock, ...);
- module_param (int, bool, charp, an array) with MODULE_PARM_DESC;
- most have one device table (pci, usb, of, acpi, i2c, platform, spi, hid,
  virtio, serio, input, mdio) of 1-4 entries, turned into aliases by file2alias;
- licences: mostly GPL, some "GPL v2", "Dual BSD/GPL", "Dual MIT/GPL"; a few
  "Proprietary" modules that import only non-GPL symbols;
- every 10th has MODULE_VERSION (modpost then computes srcversion from the
  .cmd dependencies); every 25th is built from two objects; __init/__exit code
  and __initdata as usual.

Build them with the real kbuild: make -C <headers tree> M=DIR modules (see
bench/modpost-bench.sh, which caches the result).
"""
import argparse
import os
import sys

NAMESPACES = [f"MFB_NS{i}" for i in range(8)]
EXPORT_KINDS = ["EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL", "EXPORT_SYMBOL_NS", "EXPORT_SYMBOL_NS_GPL"]
PER_DIR = 100
LICENSES = ["GPL", "GPL", "GPL", "GPL v2", "GPL", "Dual BSD/GPL", "GPL", "Dual MIT/GPL"]

# Device tables: (bus, struct, list of entry initialisers).  Only fields whose
# names are the same in 6.1 and 6.12 are used.
def devtable(bus, i):
    v = 0x1000 + (i * 37) % 0xE000
    d = (i * 101) % 0x10000
    n = 1 + i % 4
    ents = []
    for k in range(n):
        if bus == "pci":
            ents.append(f"{{ .vendor = 0x{v:04x}, .device = 0x{(d + k) % 0x10000:04x}, "
                        f".subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID"
                        + (f", .class = 0x{0x020000 + k:06x}, .class_mask = 0xffff00" if k == 2 else "") + " }")
        elif bus == "usb":
            if k == 1:
                ents.append(f"{{ .match_flags = USB_DEVICE_ID_MATCH_INT_CLASS, .bInterfaceClass = 0x{0xe0 + i % 16:02x} }}")
            else:
                ents.append(f"{{ .match_flags = USB_DEVICE_ID_MATCH_VENDOR | USB_DEVICE_ID_MATCH_PRODUCT, "
                            f".idVendor = 0x{v:04x}, .idProduct = 0x{(d + k) % 0x10000:04x} }}")
        elif bus == "of":
            ents.append(f'{{ .compatible = "mfb,dev{i}-{k}" }}' if k != 1 else
                        f'{{ .name = "mfb{i}", .type = "widget", .compatible = "mfb,widget{i}" }}')
        elif bus == "acpi":
            ents.append(f'{{ "MFB{(i * 4 + k) % 10000:04d}", {k} }}')
        elif bus == "i2c":
            ents.append(f'{{ "mfb{i}-i2c{k}", {k} }}')
        elif bus == "platform":
            ents.append(f'{{ "mfb{i}-plat{k}", {k} }}')
        elif bus == "spi":
            ents.append(f'{{ "mfb{i}-spi{k}", {k} }}')
        elif bus == "hid":
            ents.append(f"{{ .bus = 0x{3 + k % 2:04x}, .group = 0, .vendor = 0x{v:04x}, .product = 0x{(d + k) % 0x10000:04x} }}")
        elif bus == "virtio":
            ents.append(f"{{ .device = {20 + (i + k) % 40}, .vendor = 0xffffffff }}")
        elif bus == "serio":
            ents.append(f"{{ .type = 0x{1 + k:02x}, .proto = 0x{i % 256:02x}, .id = 0xff, .extra = 0xff }}")
        elif bus == "input":
            ents.append(f"{{ .flags = INPUT_DEVICE_ID_MATCH_EVBIT, .evbit = {{ 1UL << {1 + k} }} }}")
        elif bus == "mdio":
            ents.append(f"{{ 0x{(v << 16 | d) & 0xfffffff0:08x}, 0xfffffff0 }}")
    struct = {"pci": "pci_device_id", "usb": "usb_device_id", "of": "of_device_id", "acpi": "acpi_device_id",
              "i2c": "i2c_device_id", "platform": "platform_device_id", "spi": "spi_device_id",
              "hid": "hid_device_id", "virtio": "virtio_device_id", "serio": "serio_device_id",
              "input": "input_device_id", "mdio": "mdio_device_id"}[bus]
    return struct, ents


BUSES = ["pci", "usb", "of", "acpi", "i2c", "platform", "spi", "hid", "virtio", "serio", "input", "mdio"]

VMLINUX_CALLS = [
    'pr_info("%s: %d\\n", KBUILD_MODNAME, v)',
    'if (kstrtoint("42", 10, &t) == 0) v += t',
    'snprintf(buf, sizeof(buf), "%d", v)',
    "mutex_lock(&@N@_lock); v++; mutex_unlock(&@N@_lock)",
    "v += (int)(jiffies & 1)",
    "v += (int)strnlen(buf, sizeof(buf))",
]


class Mod:
    def __init__(self, i):
        self.i = i
        self.name = f"mfb{i:04d}"
        self.license = "Proprietary" if i % 53 == 29 else LICENSES[i % len(LICENSES)]
        self.gpl = self.license != "Proprietary"
        self.exports = []  # (symbol, kind, namespace or None, is_var)
        if i % 3 == 0:
            for k in range(2 + i % 4):
                kind = EXPORT_KINDS[(i // 3 + k) % 4]
                ns = NAMESPACES[(i + k) % len(NAMESPACES)] if "_NS" in kind else None
                self.exports.append((f"{self.name}_op{k}", kind, ns, False))
            if i % 9 == 0:
                self.exports.append((f"{self.name}_count", "EXPORT_SYMBOL", None, True))
        self.multi = i % 25 == 12


def pick_imports(mods, m):
    """Up to three earlier exporters, found deterministically; only symbols a
    module of this licence may use."""
    exporters = [x for x in mods[: m.i] if x.exports]
    if not exporters:
        return []
    picks = []
    for idx in (len(exporters) - 1, len(exporters) // 2, (m.i * 7) % len(exporters)):
        x = exporters[idx]
        if x in picks:
            continue
        picks.append(x)
        if len(picks) == 1 + m.i % 3:
            break
    out = []
    for x in picks:
        for sym, kind, ns, is_var in x.exports:
            if not m.gpl and "GPL" in kind:
                continue
            out.append((x, sym, kind, ns, is_var))
            if len(out) % 2 == 0:
                break
    return out


def module_source(mods, m):
    n = m.name
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* {n}: generated for the modforge modpost benchmark (bench/modpost-gen.py). */",
         "#include <linux/module.h>",
         "#include <linux/moduleparam.h>",
         "#include <linux/mod_devicetable.h>",
         "#include <linux/mutex.h>",
         ""]
    imports = pick_imports(mods, m)
    namespaces = sorted({ns for _, _, _, ns, _ in imports if ns})
    for x, sym, kind, ns, is_var in imports:
        L.append(f"extern int {sym};" if is_var else f"extern int {sym}(int x);")
    L += ["",
          f"static DEFINE_MUTEX({n}_lock);",
          f"static int {n}_level = {m.i % 7};",
          f"module_param_named(level, {n}_level, int, 0644);",
          'MODULE_PARM_DESC(level, "how hard to try");']
    if m.i % 2 == 0:
        L += [f"static bool {n}_enable = true;", f"module_param_named(enable, {n}_enable, bool, 0444);",
              'MODULE_PARM_DESC(enable, "turn it on");']
    if m.i % 5 == 1:
        L += [f"static char *{n}_label = \"{n}\";", f"module_param_named(label, {n}_label, charp, 0444);",
              'MODULE_PARM_DESC(label, "a name");']
    if m.i % 7 == 3:
        L += [f"static int {n}_ids[4];", f"static int {n}_nids;",
              f"module_param_array_named(ids, {n}_ids, int, &{n}_nids, 0444);",
              'MODULE_PARM_DESC(ids, "up to four ids");']
    L.append("")
    # Exported functions (the second object of a two-object module holds the last one).
    local = m.exports[:-1] if m.multi and len(m.exports) > 1 else m.exports
    for sym, kind, ns, is_var in m.exports:  # what a module's header would declare
        L.append(f"extern int {sym};" if is_var else f"int {sym}(int x);")
    for sym, kind, ns, is_var in local:
        if is_var:
            L.append(f"int {sym} = {m.i};")
        else:
            L += [f"int {sym}(int x)", "{", f"\treturn x * {m.i % 11 + 1} + {n}_level;", "}"]
        L.append(f"{kind}({sym}, {ns});" if ns else f"{kind}({sym});")
    L += ["", f"static int {n}_work(int v)", "{", "\tchar buf[32] = \"\";", "\tint t = 0;", ""]
    calls = [VMLINUX_CALLS[(m.i + k) % len(VMLINUX_CALLS)] for k in range(2 + m.i % 3)]
    for c in calls:
        L.append("\t" + c.replace("@N@", n) + ";")
    for x, sym, kind, ns, is_var in imports:
        L.append(f"\tv += {sym};" if is_var else f"\tv = {sym}(v);")
    L += ["\treturn v + t + buf[0];", "}", ""]
    if m.i % 8 != 7:
        bus = BUSES[m.i % len(BUSES)]
        struct, ents = devtable(bus, m.i)
        L.append(f"static const struct {struct} {n}_ids_{bus}[] = {{")
        L += [f"\t{e}," for e in ents]
        L += ["\t{ }", "};", f"MODULE_DEVICE_TABLE({bus}, {n}_ids_{bus});", ""]
    if m.i % 4 == 2:
        L += [f"static int {n}_defaults[] __initdata = {{ 1, 2, 3, {m.i} }};", ""]
    L += [f"static int __init {n}_init(void)", "{"]
    if m.i % 4 == 2:
        L.append(f"\treturn {n}_work({n}_defaults[{n}_level % 4]) < 0 ? -EINVAL : 0;")
    else:
        L.append(f"\treturn {n}_work({n}_level) < 0 ? -EINVAL : 0;")
    L += ["}", "", f"static void __exit {n}_exit(void)", "{", f"\t{n}_work(0);", "}", "",
          f"module_init({n}_init);", f"module_exit({n}_exit);"]
    for ns in namespaces:
        L.append(f"MODULE_IMPORT_NS({ns});")
    L += [f'MODULE_AUTHOR("modforge bench <bench@example.org>");',
          f'MODULE_DESCRIPTION("modpost benchmark module {m.i}");',
          f'MODULE_LICENSE("{m.license}");']
    if m.i % 10 == 0:
        L.append(f'MODULE_VERSION("{m.i // 10}.{m.i % 7}");')
    return "\n".join(L) + "\n"


def helper_source(m):
    sym, kind, ns, is_var = m.exports[-1] if m.exports else (f"{m.name}_helper", None, None, False)
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* {m.name}: second object of a two-object module. */",
         "#include <linux/export.h>", "#include <linux/kernel.h>", ""]
    if m.multi and len(m.exports) > 1:
        L += [f"int {sym}(int x);", f"int {sym}(int x)", "{", f"\treturn x ^ {m.i};", "}",
              f"{kind}({sym}, {ns});" if ns else f"{kind}({sym});"]
    else:
        L += [f"int {sym}(int x);", f"int {sym}(int x)", "{", f"\treturn x ^ {m.i};", "}"]
    return "\n".join(L) + "\n"


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.count < 1:
        sys.exit("modpost-gen.py: --count must be positive")
    os.makedirs(a.out, exist_ok=True)
    mods = [Mod(i) for i in range(a.count)]
    # Subdirectories of PER_DIR modules, as a kernel tree has: kbuild writes each
    # directory's modules.order with one shell command naming every module, which
    # fails with "Argument list too long" for a few thousand long paths.
    ndirs = (a.count + PER_DIR - 1) // PER_DIR
    top = ["# SPDX-License-Identifier: GPL-2.0",
           f"# {a.count} modules generated by bench/modpost-gen.py for the modpost benchmark."]
    for d in range(ndirs):
        sub = f"g{d:02d}"
        top.append(f"obj-m += {sub}/")
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
        kb = ["# SPDX-License-Identifier: GPL-2.0"]
        for m in mods[d * PER_DIR:(d + 1) * PER_DIR]:
            if m.multi:
                write_if_changed(os.path.join(a.out, sub, f"{m.name}_main.c"), module_source(mods, m))
                write_if_changed(os.path.join(a.out, sub, f"{m.name}_util.c"), helper_source(m))
                kb += [f"obj-m += {m.name}.o", f"{m.name}-y := {m.name}_main.o {m.name}_util.o"]
            else:
                write_if_changed(os.path.join(a.out, sub, f"{m.name}.c"), module_source(mods, m))
                kb.append(f"obj-m += {m.name}.o")
        write_if_changed(os.path.join(a.out, sub, "Kbuild"), "\n".join(kb) + "\n")
    write_if_changed(os.path.join(a.out, "Kbuild"), "\n".join(top) + "\n")
    nexp = sum(len(m.exports) for m in mods)
    print(f"modpost-gen: {a.count} modules ({sum(m.multi for m in mods)} with two objects, "
          f"{sum(1 for m in mods if m.exports)} exporters, {nexp} exports) in {a.out}")


if __name__ == "__main__":
    main()
