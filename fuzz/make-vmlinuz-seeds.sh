#!/usr/bin/env bash
# Writes the seeds of the vmlinuz fuzz target (fuzz/seeds-vmlinuz/): a tiny vmlinux made by
# gas and ld (two exports, one namespaced and GPL-only, their CRCs, and a system certificate
# list of one certificate made by openssl), objcopy -S as the kernel's vmlinux.bin, and that
# ELF in bzImages with xz, gzip and zstd payloads; plus a setup header cut short and one whose
# payload lies beyond the file.  Run once; the outputs are committed.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/seeds-vmlinuz
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir -p "$out"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=modforge-fuzz-seed \
  -days 1 -keyout "$w/key.pem" -outform der -out "$w/cert.der" 2>/dev/null
len=$(stat -c %s "$w/cert.der")
cat >"$w/v.S" <<ASM
  .text
foo: ret
bar: ret
  .section __ksymtab_strings,"aMS",@progbits,1
kstr_foo: .asciz "foo"
kns_foo: .asciz ""
kstr_bar: .asciz "bar"
kns_bar: .asciz "SEED_NS"
  .section __ksymtab,"a"
  .balign 4
  .long foo - ., kstr_foo - ., kns_foo - .
  .section __ksymtab_gpl,"a"
  .balign 4
  .long bar - ., kstr_bar - ., kns_bar - .
  .section __kcrctab,"a"
  .long 0x12345678
  .section __kcrctab_gpl,"a"
  .long 0x9abcdef0
  .section .init.data,"aw"
  .balign 8
  .incbin "$w/cert.der"
  .balign 8
  .quad $len, $len
ASM
as --64 -o "$w/v.o" "$w/v.S"
ld -m elf_x86_64 -static -nostdlib -e 0 -Ttext=0xffffffff81000000 -o "$w/vmlinux" "$w/v.o"
objcopy -S "$w/vmlinux" "$out/vmlinux-tiny.elf"
python3 - "$out" "$w" <<'PY'
import gzip, lzma, os, struct, subprocess, sys
out, w = sys.argv[1], sys.argv[2]
elf = open(os.path.join(out, "vmlinux-tiny.elf"), "rb").read()
def bzimage(payload, protocol=0x020F):
    setup = bytearray(1024)  # setup_sects 1: the protected-mode part starts at 1024
    setup[0x1F1] = 1
    struct.pack_into("<H", setup, 0x1FE, 0xAA55)
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, protocol)
    version = b"6.1.0-fuzz (seed) #1\0"
    setup[0x300:0x300 + len(version)] = version
    struct.pack_into("<H", setup, 0x20E, 0x300 - 0x200)
    payload += struct.pack("<I", len(elf))  # size_append
    struct.pack_into("<II", setup, 0x248, 16, len(payload))
    return bytes(setup) + bytes(16) + payload
xz = lzma.compress(elf, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32,
                   filters=[{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_LZMA2, "preset": 9}])
zst = subprocess.run(["zstd", "-19", "-c", "-q"], input=elf, capture_output=True, check=True).stdout
seeds = {
    "bzimage-xz": bzimage(xz),
    "bzimage-gzip": bzimage(gzip.compress(elf, 9, mtime=0)),
    "bzimage-zstd": bzimage(zst),
    "bzimage-truncated-header": bzimage(xz)[:0x220],
    "bzimage-payload-past-end": bzimage(xz)[:-64],
}
for name, data in seeds.items():
    open(os.path.join(out, name), "wb").write(data)
PY
ls -l "$out"
