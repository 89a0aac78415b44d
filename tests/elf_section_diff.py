#!/usr/bin/env python3
"""Prints, one a line, the names of the sections whose type, flags or bytes differ between two
ELF64 little-endian files (or that only one has).  Used where a byte cannot be the same, to
show the section-level difference.  Usage: elf_section_diff.py A B"""
import struct
import sys


def sections(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"{path}: not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    out = {}
    for name, typ, flags, _addr, off, size, *_ in hdrs:
        end = data.index(b"\0", stroff + name)
        key = data[stroff + name:end].decode()
        body = b"" if typ == 8 else data[off:off + size]  # SHT_NOBITS has no bytes
        out.setdefault(key, []).append((typ, flags, size, body))
    return out


a, b = sections(sys.argv[1]), sections(sys.argv[2])
for name in sorted(set(a) | set(b)):
    if a.get(name) != b.get(name):
        print(name or "<null>")
