"""The loader corpus's cases, grouped in batches (one real-kernel boot each).

A case is (name, description, steps); a step is
  ("insmod", FILE, "PARAMS")   FILE: good(M) | other(M) | mut(M, *ko-mutate args) | shipped(P)
  ("rmmod", NAME)
good(M): module M built for this version; other(M): built for the other version;
mut(M, ...): a copy of good(M) through `ko-mutate IN OUT ...`; shipped(P): a module of the
Debian tree, P relative to lib/modules/<release>/ (the ".ko" of 6.1, ".ko.xz" of 6.12).
Batches named "mut*" are "clean slate" batches: whatever a case leaves loaded is removed
by an rmmod the generator appends once the real kernel has said it loaded.
"""


def good(m):
    return ("good", m)


def other(m):
    return ("other", m)


def mut(m, *args):
    return ("mut", m) + tuple(args)


def shipped(p):
    return ("shipped", p)


def ins(f, params=""):
    return ("insmod", f, params)


def rm(name):
    return ("rmmod", name)


def load_unload(m, params=""):
    return [ins(good(m), params), rm(m)]


def params_batch():
    """Every parameter type, good and bad values, arrays, strings, unknown names."""
    P = "lc_params"
    good_values = [
        ("none", ""), ("bool_1", "p_bool=1"), ("bool_y", "p_bool=y"), ("bool_N", "p_bool=N"),
        ("bool_novalue", "p_bool"), ("bool_on", "p_bool=on"), ("invbool_0", "p_invbool=0"),
        ("invbool_novalue", "p_invbool"), ("charp", "p_charp=hello"), ("charp_empty", "p_charp="),
        ("byte_max", "p_byte=255"), ("byte_hex", "p_byte=0x7f"), ("short_min", "p_short=-32768"),
        ("ushort_max", "p_ushort=65535"), ("int_neg", "p_int=-1"), ("int_hex", "p_int=0x10"),
        ("int_octal", "p_int=010"), ("int_plus", "p_int=+7"), ("uint_max", "p_uint=4294967295"),
        ("long_min", "p_long=-9223372036854775808"), ("ulong_max", "p_ulong=18446744073709551615"),
        ("hexint", "p_hexint=0xff"), ("hexint_dec", "p_hexint=17"), ("arr_full", "p_arr=1,2,3,4"),
        ("arr_one", "p_arr=9"), ("barr", "p_barr=1,0"), ("str_fits", "p_str=1234567"),
        ("readonly_param", "p_ro=9"), ("named", "alias_name=5"), ("repeated", "p_int=1 p_int=2"),
        ("all_types", "p_bool=1 p_invbool=1 p_charp=x p_byte=1 p_short=2 p_ushort=3 p_int=4 "
                      "p_uint=5 p_long=6 p_ulong=7 p_hexint=0x8 p_arr=1,2 p_str=ab"),
        ("unknown_ignored", "nosuch=1"), ("varname_not_param", "p_named=1"),
        ("dyndbg", "dyndbg=+p"), ("unknown_and_good", "p_int=3 bogus"),
    ]
    bad_values = [
        ("bool_bad", "p_bool=maybe"), ("bool_2", "p_bool=2"), ("invbool_bad", "p_invbool=x"),
        ("byte_256", "p_byte=256"), ("byte_neg", "p_byte=-1"), ("byte_text", "p_byte=abc"),
        ("short_over", "p_short=32768"), ("short_under", "p_short=-32769"),
        ("ushort_neg", "p_ushort=-1"), ("ushort_over", "p_ushort=65536"),
        ("int_over", "p_int=2147483648"), ("int_text", "p_int=abc"), ("int_empty", "p_int="),
        ("int_novalue", "p_int"), ("int_trailing", "p_int=5x"), ("uint_neg", "p_uint=-1"),
        ("uint_over", "p_uint=4294967296"), ("long_over", "p_long=9223372036854775808"),
        ("ulong_neg", "p_ulong=-1"), ("ulong_over", "p_ulong=18446744073709551616"),
        ("hexint_text", "p_hexint=xyz"), ("hexint_over", "p_hexint=0x100000000"),
        ("arr_too_long", "p_arr=1,2,3,4,5"), ("arr_bad_elem", "p_arr=1,x"),
        ("arr_empty_elem", "p_arr=1,,2"), ("barr_too_long", "p_barr=1,0,1"),
        ("barr_bad", "p_barr=1,q"), ("str_too_long", "p_str=123456789"), ("charp_novalue", "p_charp"),
        ("good_then_bad", "p_int=1 p_byte=999"), ("dyndbg_bad", "dyndbg=bogus"),
    ]
    # Expected to load (then unloaded) / expected to be refused; the verdicts are the kernel's.
    cases = [("param_" + n, "lc_params with " + (p or "no parameters"), load_unload(P, p))
             for n, p in good_values]
    cases += [("param_" + n, "lc_params with " + p, [ins(good(P), p)]) for n, p in bad_values]
    cases += [
        ("param_unsafe", "an unsafe parameter set at load taints the kernel",
         load_unload("lc_params_unsafe", "risky=1")),
        ("param_unsafe_unset", "the unsafe parameter left alone", load_unload("lc_params_unsafe")),
        ("param_on_paramless", "a parameter given to a module without any", load_unload("lc_plain", "x=1")),
    ]
    return cases


def modules_batch():
    """Good modules, licences, dependencies, namespaces, double loads and rmmod rules."""
    return [
        ("plain", "the smallest module loads and unloads", load_unload("lc_plain")),
        ("big", "large data/bss/rodata and vmlinux imports", load_unload("lc_big")),
        ("intree", "MODULE_INFO(intree): no out-of-tree taint", load_unload("lc_intree")),
        ("staging", "MODULE_INFO(staging): the staging taint and warning", load_unload("lc_staging")),
        ("init_positive", "an init returning a positive value", load_unload("lc_initpos")),
        ("init_error", "an init returning -ENODEV", [ins(good("lc_initerr"))]),
        ("init_error_again", "the failing init once more", [ins(good("lc_initerr"))]),
        ("double_load", "a module loaded twice", [ins(good("lc_plain")), ins(good("lc_plain"))]),
        ("rmmod_after_double", "the first copy removed", [rm("lc_plain")]),
        ("rmmod_not_loaded", "rmmod of a module never loaded", [rm("lc_nosuch")]),
        ("rmmod_twice", "rmmod of a module just removed", [rm("lc_plain")]),
        ("missing_dep", "importer before its exporter", [ins(good("lc_imp"))]),
        ("missing_dep_gpl", "GPL importer before its exporter", [ins(good("lc_imp_gpl"))]),
        ("missing_dep_ns", "namespace importer before its exporter", [ins(good("lc_ns_imp"))]),
        ("exporter", "the exporter loads", [ins(good("lc_exp"))]),
        ("exporter_double", "the exporter again", [ins(good("lc_exp"))]),
        ("importer", "plain-symbol importer", [ins(good("lc_imp"))]),
        ("importer_gpl", "GPL-only symbol, GPL v2 module", [ins(good("lc_imp_gpl"))]),
        ("importer_dual", "GPL-only symbol, Dual BSD/GPL module", [ins(good("lc_bsd"))]),
        ("ns_imported", "namespaced symbol with MODULE_IMPORT_NS", [ins(good("lc_ns_imp"))]),
        ("ns_not_imported", "namespaced symbol without MODULE_IMPORT_NS", [ins(good("lc_ns_noimp"))]),
        ("ns_import_added", "the same with import_ns added to .modinfo",
         [ins(mut("lc_ns_noimp", "modinfo-set", "import_ns", "LC_NS")), rm("lc_ns_noimp")]),
        ("ns_vmlinux", "a vmlinux namespace imported", load_unload("lc_ns_vml")),
        ("rmmod_in_use", "the exporter while three modules use it", [rm("lc_exp")]),
        ("rmmod_user", "one user removed", [rm("lc_imp")]),
        ("rmmod_user_gpl", "another user removed", [rm("lc_imp_gpl")]),
        ("rmmod_still_in_use", "the exporter, still used", [rm("lc_exp")]),
        ("rmmod_users_done", "the last users removed", [rm("lc_bsd"), rm("lc_ns_imp")]),
        ("proprietary_ok", "a proprietary module using a plain export: P taint",
         [ins(good("lc_prop_ok"))]),
        ("proprietary_gpl_sym", "licence changed to Proprietary, GPL-only export of a module",
         [ins(mut("lc_imp_gpl", "modinfo-set", "license", "Proprietary"))]),
        ("proprietary_gpl_vmlinux", "licence changed to Proprietary, GPL-only export of vmlinux",
         [ins(mut("lc_gplvml", "modinfo-set", "license", "Proprietary"))]),
        ("bsd_gpl_vmlinux", "licence changed to BSD (not GPL-compatible), vmlinux GPL-only symbol",
         [ins(mut("lc_gplvml", "modinfo-set", "license", "BSD"))]),
        ("gpl_vmlinux", "the GPL original", load_unload("lc_gplvml")),
        ("mit_gpl_vmlinux", "licence Dual MIT/GPL", [ins(mut("lc_gplvml", "modinfo-set", "license", "Dual MIT/GPL")), rm("lc_gplvml")]),
        ("rmmod_exporter_after_use", "the exporter, its users gone (one proprietary left)",
         [rm("lc_prop_ok"), rm("lc_exp")]),
        ("no_license", "licence removed: taints", [ins(mut("lc_plain", "modinfo-del", "license")), rm("lc_plain")]),
        ("no_exit", "a module without module_exit", [ins(good("lc_noexit"))]),
        ("rmmod_no_exit", "rmmod refused for a module without exit", [rm("lc_noexit")]),
        ("params_left", "a module left loaded with parameters", [ins(good("lc_params"), "p_int=7 p_str=left")]),
        ("params_double", "and loaded again", [ins(good("lc_params"))]),
    ]


def elf_cases():
    """ELF header and section-table damage, all on lc_plain."""
    M = "lc_plain"
    ehdr = [("magic_zero", "magic", "0"), ("magic_F", "magic", "^0x01000000"), ("class32", "class", "1"),
            ("class_none", "class", "0"), ("data_big", "data", "2"), ("data_none", "data", "0"),
            ("ident_version", "ident_version", "0"), ("osabi", "osabi", "3"), ("type_exec", "type", "2"),
            ("type_dyn", "type", "3"), ("machine_386", "machine", "3"), ("machine_arm64", "machine", "183"),
            ("version_0", "version", "0"), ("version_2", "version", "2"), ("entry", "entry", "0x1234"),
            ("shentsize_small", "shentsize", "63"), ("shentsize_big", "shentsize", "128"),
            ("shnum_zero", "shnum", "0"), ("shnum_plus1", "shnum", "+1"), ("shnum_max", "shnum", "0xffff"),
            ("shoff_eof", "shoff", "filesize"), ("shoff_near_eof", "shoff", "filesize-64"),
            ("shoff_huge", "shoff", "0xffffffffffffffff"), ("shoff_plus1", "shoff", "+1"),
            ("shoff_zero", "shoff", "0"), ("shstrndx_zero", "shstrndx", "0"),
            ("shstrndx_out", "shstrndx", "0xfff0"), ("shstrndx_text", "shstrndx", "idx:.init.text"),
            ("ehsize", "ehsize", "0"), ("phnum", "phnum", "1"), ("flags", "flags", "1")]
    cases = [("ehdr_" + n, "ELF header %s = %s" % (f, v), [ins(mut(M, "ehdr", f, v))]) for n, f, v in ehdr]
    shdr = [("modinfo_off_eof", ".modinfo", "offset", "filesize"),
            ("modinfo_size_eof", ".modinfo", "size", "filesize"),
            ("modinfo_off_huge", ".modinfo", "offset", "0xffffffffffff0000"),
            ("text_off_huge", ".init.text", "offset", "0xffffffff"),
            ("text_size_huge", ".init.text", "size", "0x7fffffff"),
            ("nobits_size_huge", ".bss", "size", "0x7fffffff"),
            ("versions_size_odd", "__versions", "size", "+1"),
            ("versions_flags_noalloc", "__versions", "flags", "0"),
            ("symtab_link_zero", ".symtab", "link", "0"),
            ("symtab_link_out", ".symtab", "link", "0xff"),
            ("symtab_link_modinfo", ".symtab", "link", "idx:.modinfo"),
            ("symtab_type_null", ".symtab", "type", "0"),
            ("symtab_entsize", ".symtab", "entsize", "12"),
            ("symtab_size_odd", ".symtab", "size", "+1"),
            ("symtab_off_eof", ".symtab", "offset", "filesize"),
            ("strtab_size_zero", ".strtab", "size", "0"),
            ("strtab_off_eof", ".strtab", "offset", "filesize"),
            ("shstrtab_size_one", ".shstrtab", "size", "1"),
            ("shstrtab_off_eof", ".shstrtab", "offset", "filesize-4"),
            ("rela_info_out", ".rela.init.text", "info", "0xffff"),
            ("rela_link_zero", ".rela.init.text", "link", "0"),
            ("rela_size_eof", ".rela.init.text", "size", "filesize"),
            ("rela_entsize", ".rela.init.text", "entsize", "16"),
            ("name_out_of_strtab", ".init.text", "name", "0xffffff"),
            ("name_shstrtab_end", ".modinfo", "name", "size:.shstrtab"),
            ("this_module_small", ".gnu.linkonce.this_module", "size", "-64"),
            ("this_module_big", ".gnu.linkonce.this_module", "size", "+8"),
            ("this_module_zero", ".gnu.linkonce.this_module", "size", "0"),
            ("this_module_nobits", ".gnu.linkonce.this_module", "type", "8"),
            ("this_module_noalloc", ".gnu.linkonce.this_module", "flags", "0"),
            ("overlap_modinfo_text", ".modinfo", "offset", "off:.init.text"),
            ("overlap_versions_modinfo", "__versions", "offset", "off:.modinfo"),
            ("overlap_shdr_table", ".init.text", "offset", "off:.shstrtab"),
            ("align_huge", ".init.text", "addralign", "0x100000000"),
            ("modinfo_type_nobits", ".modinfo", "type", "8")]
    cases += [("shdr_" + n, "section %s %s = %s" % (s, f, v), [ins(mut(M, "shdr", s, f, v))]) for n, s, f, v in shdr]
    byte = [("no_this_module", ".shstrtab", "name:.gnu.linkonce.this_module+1", "0x58",
             "no .gnu.linkonce.this_module section"),
            ("no_modinfo", ".shstrtab", "name:.modinfo+2", "0x58", "no .modinfo section"),
            ("no_versions", ".shstrtab", "name:__versions+2", "0x58", "no __versions section"),
            ("no_symtab", ".shstrtab", "name:.symtab+2", "0x58", "no .symtab section"),
            ("strtab_unterminated", ".strtab", "last", "0x41", ".strtab without its final NUL"),
            ("shstrtab_unterminated", ".shstrtab", "last", "0x41", ".shstrtab without its final NUL"),
            ("modinfo_unterminated", ".modinfo", "last", "0x41", ".modinfo without its final NUL")]
    cases += [("sec_" + n, d, [ins(mut(M, "byte", s, o, v))]) for n, s, o, v, d in byte]
    cases += [("trunc_table", "file cut inside the section table", [ins(mut(M, "truncate", "filesize-100"))]),
              ("trunc_header", "file cut inside the ELF header", [ins(mut(M, "truncate", "10"))]),
              ("trunc_data", "file cut inside the section data", [ins(mut(M, "truncate", "end:.modinfo"))])]
    return cases


def content_cases(ver, vermagic, other_vermagic):
    """__versions, vermagic, .modinfo, relocations, symbols and cross-version modules."""
    M = "lc_plain"
    release, flags = vermagic.split(" ", 1)
    cases = [("setup_exporter", "the exporter, for the importers below", [ins(good("lc_exp"))])]
    if ver == "6.1":
        cases += [("crc_module_layout", "module_layout CRC changed", [ins(mut(M, "versions-crc", "module_layout", "^1"))]),
                  ("name_module_layout", "module_layout entry renamed",
                   [ins(mut(M, "versions-name", "module_layout", "module_layouX"))])]
    cases += [
        ("crc_printk", "vmlinux symbol CRC changed", [ins(mut(M, "versions-crc", "_printk", "^1"))]),
        ("crc_printk_zero", "vmlinux symbol CRC zero", [ins(mut(M, "versions-crc", "_printk", "0"))]),
        ("crc_module_symbol", "CRC of a module's export changed", [ins(mut("lc_imp", "versions-crc", "lc_exp_add", "^0x80000000"))]),
        ("crc_module_symbol_high", "CRC with bits above 32 set",
         [ins(mut("lc_imp", "versions-crc", "lc_exp_add", "^0x100000000"))]),
        ("versions_entry_renamed", "no __versions entry for an imported symbol",
         [ins(mut(M, "versions-name", "_printk", "lc_nosuch"))]),
        ("versions_entry_renamed_mod", "no __versions entry for a module's symbol",
         [ins(mut("lc_imp", "versions-name", "lc_exp_add", "lc_nosuch"))]),
        ("versions_removed_imp", "no __versions section in an importer",
         [ins(mut("lc_imp", "byte", ".shstrtab", "name:__versions+2", "0x58"))]),
        ("vermagic_release", "vermagic of another release, same flags",
         [ins(mut(M, "modinfo-set", "vermagic", "9.9.9-test " + flags))]),
        ("vermagic_flags", "vermagic without modversions",
         [ins(mut(M, "modinfo-set", "vermagic", release + " " + flags.replace("modversions ", "")))]),
        ("vermagic_garbage", "vermagic garbage", [ins(mut(M, "modinfo-set", "vermagic", "garbage"))]),
        ("vermagic_empty", "vermagic empty", [ins(mut(M, "modinfo-set", "vermagic", ""))]),
        ("vermagic_removed", "no vermagic", [ins(mut(M, "modinfo-del", "vermagic"))]),
        ("vermagic_other_version", "the other kernel's vermagic",
         [ins(mut(M, "modinfo-set", "vermagic", other_vermagic))]),
        ("vermagic_no_space", "vermagic release only", [ins(mut(M, "modinfo-set", "vermagic", release))]),
        ("modinfo_intree", "intree=Y added", [ins(mut(M, "modinfo-set", "intree", "Y"))]),
        ("modinfo_staging", "staging=Y added", [ins(mut("lc_intree", "modinfo-set", "staging", "Y"))]),
        ("modinfo_livepatch", "livepatch=Y added", [ins(mut("lc_staging", "modinfo-set", "livepatch", "Y"))]),
        ("modinfo_depends_bogus", "depends= naming a missing module",
         [ins(mut("lc_big", "modinfo-set", "depends", "lc_nosuch"))]),
        ("modinfo_license_empty", "licence empty", [ins(mut("lc_initpos", "modinfo-set", "license", ""))]),
        ("modinfo_license_gplv2", "licence GPL v2", [ins(mut("lc_params", "modinfo-set", "license", "GPL v2"))]),
        ("modinfo_name", "a name= entry that differs", [ins(mut("lc_initpos", "modinfo-set", "name", "lc_other"))]),
        ("rela_offset_out", "relocation target past its section",
         [ins(mut("lc_prop_ok", "rela", ".rela.init.text", "0", "offset", "0x100000"))]),
        ("rela_offset_huge", "relocation target far out",
         [ins(mut("lc_prop_ok", "rela", ".rela.init.text", "0", "offset", "0xffffffffffff"))]),
        ("rela_sym_out", "relocation symbol index out of range",
         [ins(mut("lc_prop_ok", "rela", ".rela.init.text", "0", "sym", "0xffff"))]),
        ("rela_type_bad", "unknown relocation type",
         [ins(mut("lc_prop_ok", "rela", ".rela.init.text", "0", "type", "0xff"))]),
        ("rela_type_none", "relocation type none",
         [ins(mut("lc_prop_ok", "rela", ".rela.init.text", "0", "type", "0"))]),
        ("rela_this_module_out", "a .gnu.linkonce.this_module relocation out of range",
         [ins(mut("lc_ns_vml", "rela", ".rela.gnu.linkonce.this_module", "0", "offset", "0x10000"))]),
        ("sym_undefined_this_module", "__this_module made undefined",
         [ins(mut("lc_initerr", "sym", "__this_module", "shndx", "0"))]),
        ("sym_shndx_out", "a symbol in a section that does not exist",
         [ins(mut("lc_initerr", "sym", "init_module", "shndx", "0xfff0"))]),
        ("sym_shndx_common", "a COMMON symbol", [ins(mut("lc_initerr", "sym", "init_module", "shndx", "0xfff2"))]),
        ("sym_name_out", "a symbol name outside .strtab",
         [ins(mut("lc_initerr", "sym", "init_module", "name", "0xffffff"))]),
        ("other_plain", "lc_plain built for the other kernel", [ins(other("lc_plain"))]),
        ("other_params", "lc_params built for the other kernel", [ins(other("lc_params"), "p_int=1")]),
        ("other_exporter", "lc_exp built for the other kernel", [ins(other("lc_exp"))]),
        ("other_big", "lc_big built for the other kernel", [ins(other("lc_big"))]),
    ]
    return cases


def shipped_cases(ext):
    s = lambda p: shipped("kernel/" + p + ext)
    return [
        ("shipped_crc7", "Debian's crc7", [ins(s("lib/crc7")), rm("crc7")]),
        ("shipped_crc8", "Debian's crc8", [ins(s("lib/crc8"))]),
        ("shipped_crc_itu_t", "Debian's crc-itu-t", [ins(s("lib/crc-itu-t")), rm("crc_itu_t")]),
        ("shipped_ts_bm", "Debian's ts_bm", [ins(s("lib/ts_bm"))]),
        ("shipped_ts_kmp", "Debian's ts_kmp", [ins(s("lib/ts_kmp")), rm("ts_kmp")]),
        ("shipped_nls", "Debian's nls_cp437", [ins(s("fs/nls/nls_cp437"))]),
        ("shipped_tcp_bic", "Debian's tcp_bic", [ins(s("net/ipv4/tcp_bic"))]),
        ("shipped_stp_nodep", "stp before llc", [ins(s("net/802/stp"))]),
        ("shipped_llc", "llc", [ins(s("net/llc/llc"))]),
        ("shipped_stp", "stp after llc", [ins(s("net/802/stp"))]),
        ("shipped_rmmod_llc_used", "llc while stp uses it", [rm("llc")]),
        ("shipped_double", "crc8 again", [ins(s("lib/crc8"))]),
        ("shipped_unload", "stp, llc, crc8 removed", [rm("stp"), rm("llc"), rm("crc8")]),
    ]


# Cases on which that kernel oopsed in an earlier run (the oops line it printed): not asked
# again, since each costs a boot and a crash is no verdict.  New ones are found and noted
# in the batch's steps by loader-corpus.py ask.
_RELOC_OOPS = {
    "rela_offset_out": "BUG: unable to handle page fault (write past the section)",
    "rela_offset_huge": "general protection fault, probably for non-canonical address",
    "rela_sym_out": "BUG: unable to handle page fault (symbol index past .symtab)",
    "rela_this_module_out": "BUG: unable to handle page fault (write past this_module)",
    "sym_name_out": "BUG: unable to handle page fault (name past .strtab)",
}
KNOWN_OOPS = {
    "6.1": dict(_RELOC_OOPS,
                shdr_rela_info_out="BUG: kernel NULL pointer dereference, address: 0000000000000000",
                shdr_this_module_zero="BUG: unable to handle page fault for address: 0000000000002458",
                shdr_this_module_nobits="BUG: unable to handle page fault for address: 0000000000002458"),
    "6.12": dict(_RELOC_OOPS,
                 shdr_rela_info_out="BUG: kernel NULL pointer dereference, address: 0000000000000000"),
}


def patching_cases():
    """What load_module does to the code after relocating it: x86 apply_returns (every
    .return_sites entry must point at a jmp to the return thunk) and ftrace's mcount
    conversion (every __mcount_loc entry at a call to __fentry__).  Their WARNs are once
    per boot, or kill ftrace for the boot, so the order in the batch matters."""
    return [
        ("returns_unrelocated", ".return_sites left unrelocated (its relocations' target out of range)",
         [ins(mut("lc_big", "shdr", ".rela.return_sites", "info", "0xffff"))]),
        ("returns_moved", "a return site moved by one byte (WARN_ONCE: already printed)",
         [ins(mut("lc_plain", "rela", ".rela.return_sites", "0", "addend", "^1"))]),
        ("mcount_moved", "an mcount site one byte late: ftrace bug, ftrace off for the boot",
         [ins(mut("lc_params", "rela", ".rela__mcount_loc", "0", "addend", "+1"))]),
        ("mcount_after_bug", "a good module once ftrace is off", [ins(good("lc_intree"))]),
    ]


def ftrace_fault_cases():
    """An mcount site at a user-space address: ftrace_verify_code cannot read it."""
    return [
        ("mcount_user_address", "an mcount entry relocated as PC32 (a small number)",
         [ins(mut("lc_plain", "rela", ".rela__mcount_loc", "0", "type", "2"))]),
        ("returns_ok_after", "a good module after the ftrace bug", [ins(good("lc_big"))]),
    ]


def btf_cases():
    """6.12 checks a module's .BTF as it comes in; with CONFIG_MODULE_ALLOW_BTF_MISMATCH a
    failure is one warning per boot.  (6.1's modules carry no .BTF.)"""
    return [
        ("btf_magic", "BTF header magic broken", [ins(mut("lc_initerr", "byte", ".BTF", "0", "0"))]),
        ("btf_strings_unterminated", "BTF string section not NUL-terminated (warned already)",
         [ins(mut("lc_plain", "byte", ".BTF", "last", "0x41"))]),
        ("btf_ok_after", "a good module after the warning", [ins(good("lc_big"))]),
    ]


def batches(ver, vermagic, other_vermagic):
    ext = ".ko" if ver == "6.1" else ".ko.xz"
    skip = KNOWN_OOPS.get(ver, {})
    elf = [c for c in elf_cases() if c[0] not in skip]
    content = [c for c in content_cases(ver, vermagic, other_vermagic) if c[0] not in skip]
    half = (len(elf) + 1) // 2
    return [("01-params", params_batch()), ("02-modules", modules_batch()),
            ("03-mut-elf-a", elf[:half]), ("04-mut-elf-b", elf[half:]),
            ("05-mut-content", content), ("06-shipped", shipped_cases(ext)),
            ("07-mut-patching", patching_cases()), ("08-mut-ftrace", ftrace_fault_cases())] + \
        ([("09-mut-btf", btf_cases())] if ver == "6.12" else [])
