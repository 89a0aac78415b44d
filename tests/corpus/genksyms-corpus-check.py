#!/usr/bin/env python3
"""Checks one version's recorded genksyms corpus (see make-genksyms-corpus.sh).

* every `#SYMVER name 0xCRC` line the real genksyms printed is looked up in
  Debian's Module.symvers for that version; any CRC difference is a FAILURE,
  symbols absent from Module.symvers (our own asm sample) are only reported;
* prints invocation counts per version and per module directory, non-zero
  exits, non-empty stderr, directories whose build failed or recorded nothing,
  and a rough census of the C constructs the inputs exercise;
* with --replay GENKSYMS, reruns that (real) genksyms on every recorded case
  from an unrelated working directory and requires byte-identical stdout,
  stderr, exit code and symtypes: the case files alone reproduce the result;
* with --manifest, writes "<sha256 of input.i>  <case>/input.i" lines sorted
  by case name (sha256sum -c format, run from inside the unpacked <version>/).
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

SYMVER = re.compile(r"^#SYMVER (\S+) (0x[0-9a-fA-F]+)$")

# Rough constructs census: (label, regex on the symtypes text or input.i).
CENSUS_SYMTYPES = [
    ("struct", re.compile(r"^s#", re.M)),
    ("union", re.compile(r"^u#", re.M)),
    ("enum", re.compile(r"^e#", re.M)),
    ("typedef", re.compile(r"^t#", re.M)),
    ("function pointer", re.compile(r"\( \* \w* \) \(")),
    ("bitfield", re.compile(r"\w+ : \d+ ;")),
    ("array", re.compile(r"\[ \w* \]")),
    ("attribute", re.compile(r"__attribute__")),
    ("anonymous member", re.compile(r"(struct|union) \{")),
    ("__typeof__/typeof", re.compile(r"\b(__typeof__|typeof|__typeof)\b")),
]
CENSUS_INPUT = [
    # declarator followed by an asm label: `... foo(...) __asm__("bar");`
    ("asm label", re.compile(rb"\)\s*(asm|__asm__)\s*\(\s*\"[^\"]*\"\s*\)\s*;")),
]
# EXPORT_SYMBOL_NS* leave no trace in the genksyms input (the namespace is
# dropped under __GENKSYMS__), so namespaced exports are counted from the
# namespace column of Module.symvers instead.


def load_symvers(path):
    syms = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                syms[parts[1]] = (parts[0].lower(), parts[2], parts[3], parts[4] if len(parts) > 4 else "")
    return syms


def moddir_of(case_dir):
    with open(os.path.join(case_dir, "cmdline")) as f:
        for line in f:
            m = re.search(r" M=(\S+)", line)
            if m:
                return m.group(1)
    return "?"


def replay(genksyms, cdir, tmp):
    """Reruns genksyms on one case; returns a list of what differs."""
    symtypes = os.path.join(tmp, "symtypes")
    if os.path.exists(symtypes):
        os.unlink(symtypes)
    args = [symtypes if a == "@SYMTYPES@" else a
            for a in open(os.path.join(cdir, "args")).read().splitlines()]
    with open(os.path.join(cdir, "input.i"), "rb") as f:
        p = subprocess.run([genksyms] + args, stdin=f, capture_output=True, cwd=tmp)
    got = {"stdout": p.stdout, "stderr": p.stderr, "exit": f"{p.returncode}\n".encode(),
           "symtypes": open(symtypes, "rb").read() if os.path.exists(symtypes) else b""}
    return [k for k, v in got.items() if open(os.path.join(cdir, k), "rb").read() != v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--symvers", required=True)
    ap.add_argument("--build-status")
    ap.add_argument("--manifest")
    ap.add_argument("--replay", metavar="GENKSYMS")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="genksyms-replay-")
    replay_bad = []

    symvers = load_symvers(a.symvers)
    cases = sorted(d for d in os.listdir(a.corpus) if os.path.isdir(os.path.join(a.corpus, d)))
    per_dir = Counter()
    syms_per_dir = Counter()
    checked = equal = 0
    mismatches, not_found, nonzero, stderr_cases, no_symver = [], [], [], [], []
    namespaced = []
    census = Counter()
    manifest = []
    for case in cases:
        cdir = os.path.join(a.corpus, case)
        md = moddir_of(cdir)
        per_dir[md] += 1
        with open(os.path.join(cdir, "input.i"), "rb") as f:
            data = f.read()
        manifest.append(f"{hashlib.sha256(data).hexdigest()}  {case}/input.i\n")
        with open(os.path.join(cdir, "exit")) as f:
            rc = f.read().strip()
        if rc != "0":
            nonzero.append((case, rc))
        err = open(os.path.join(cdir, "stderr"), "rb").read()
        if err:
            stderr_cases.append((case, err.decode(errors="replace").strip().splitlines()))
        n = 0
        with open(os.path.join(cdir, "stdout")) as f:
            for line in f:
                m = SYMVER.match(line.strip())
                if not m:
                    continue
                n += 1
                name, crc = m.group(1), m.group(2).lower()
                if name not in symvers:
                    not_found.append((case, name, crc))
                    continue
                checked += 1
                ref = symvers[name]
                if int(ref[0], 16) == int(crc, 16):
                    equal += 1
                else:
                    mismatches.append((case, name, crc, ref[0], ref[1]))
                if ref[3]:
                    namespaced.append((ref[2], ref[3]))
        syms_per_dir[md] += n
        if a.replay:
            diff = replay(a.replay, cdir, tmp)
            if diff:
                replay_bad.append(f"{case} ({', '.join(diff)})")
        if n == 0:
            no_symver.append(case)
        st = open(os.path.join(cdir, "symtypes"), errors="replace").read()
        for label, rx in CENSUS_SYMTYPES:
            if rx.search(st):
                census[label] += 1
        for label, rx in CENSUS_INPUT:
            if rx.search(data):
                census[label] += 1

    v = a.version
    print(f"== genksyms corpus {v}: {len(cases)} invocations in {len(per_dir)} directories")
    for md in sorted(per_dir):
        print(f"   {md:<32} {per_dir[md]:4d} invocations {syms_per_dir[md]:5d} #SYMVER")
    print(f"   areas: " + ", ".join(f"{k}={v2}" for k, v2 in sorted(Counter(
        d.split("/")[0] for d in per_dir.elements()).items())))
    total_syms = checked + len(not_found)
    print(f"== CRC check {v}: {total_syms} #SYMVER lines, {checked} checked against Module.symvers, "
          f"{equal} equal, {len(mismatches)} DIFFERENT, {len(not_found)} not in Module.symvers")
    for case, name, crc in not_found:
        print(f"   not in Module.symvers: {name} {crc} ({case})")
    for case, name, crc, ref, mod in mismatches:
        print(f"   MISMATCH: {name}: genksyms {crc}, Module.symvers {ref} ({mod}) in {case}")
    if namespaced:
        nss = Counter(f"{kind.replace('EXPORT_SYMBOL', 'EXPORT_SYMBOL_NS')} {ns}" for kind, ns in namespaced)
        print(f"   namespaced exports covered: {len(namespaced)} (" +
              ", ".join(f"{k}: {c}" for k, c in sorted(nss.items())) + ")")
    print(f"   constructs (cases containing): " +
          ", ".join(f"{k} {census[k]}" for k, _ in CENSUS_SYMTYPES + CENSUS_INPUT))
    if nonzero:
        print(f"   non-zero genksyms exits: " + ", ".join(f"{c}={r}" for c, r in nonzero))
    for case, lines in stderr_cases:
        print(f"   stderr from genksyms in {case}: " + " | ".join(lines[:3]) +
              (f" (+{len(lines) - 3} lines)" if len(lines) > 3 else ""))
    if no_symver:
        print(f"   cases without any #SYMVER: {', '.join(no_symver)}")
    if a.replay:
        print(f"== replay {v}: {len(cases) - len(replay_bad)} of {len(cases)} cases reproduced "
              f"byte for byte by {a.replay}")
        for c in replay_bad:
            print(f"   REPLAY DIFFERS: {c}")
    bad_builds = []
    if a.build_status and os.path.exists(a.build_status):
        for line in open(a.build_status):
            d, rc = line.split()
            if rc != "0":
                bad_builds.append(f"{d} (make exit {rc})")
            elif per_dir[d] == 0:
                bad_builds.append(f"{d} (built, no invocation)")
    if bad_builds:
        print(f"   directories with problems: {', '.join(bad_builds)}")

    ok = not mismatches and not replay_bad and checked > 0
    if a.manifest and ok:
        with open(a.manifest, "w") as f:
            f.writelines(manifest)
    print(f"== {v}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
