// 6.12's BTF check of a module as it becomes COMING (kernel/bpf/btf.c btf_module_notify,
// btf_parse_module): the .BTF section is parsed against vmlinux's BTF, and with
// CONFIG_MODULE_ALLOW_BTF_MISMATCH (Debian's) a failure only prints a warning, once per
// boot.  The emulator has no vmlinux BTF, so it checks what does not need it: the header,
// the section table, the string section (and that its names use only the characters
// names may have) and each type record's kind, flags and length.  What a record refers to
// (vmlinux's types and strings, or its own) is taken to be right.
#pragma once
#include <string>
#include <string_view>

namespace modforge::loader::kernel {

// ok false: btf_parse_module fails on these bytes; `log` is the verifier's line for it
// (printed as "BPF: <log>"), empty where the kernel logs nothing (a kind's own checks,
// whose lines module BTF with mismatches allowed does not print).
struct BtfVerdict {
  bool ok = true;
  std::string log;
};
BtfVerdict module_btf_check(std::string_view btf);

}  // namespace modforge::loader::kernel
