#!/usr/bin/env python3
"""Checks, slims and summarises a recorded modpost corpus (one kernel version).

For every case made by modpost-recorder.py:
  1. replay: the case's files are put back at their absolute paths (the build
     trees must have been moved away first), the outside inputs' sha256 and the
     absent files are verified, the REAL modpost runs again with the recorded
     argv, cwd and stdin, and stdout, stderr, exit code and every output file
     must be byte-identical, with no other file created under the root.  This
     first runs on inputs whose relocatable objects went through
     `objcopy --strip-debug`; if that is identical, the stripped objects replace
     the recorded ones, otherwise the case is replayed unstripped and kept so.
  2. CRCs: every exported symbol's CRC in the written Module.symvers must equal
     the `#SYMVER` line of the .cmd files modpost read and, where the symbol is
     in Debian's Module.symvers, Debian's CRC and namespace; every __versions
     entry of a .mod.c must equal the CRC of that symbol in the symvers files
     modpost read or wrote (or Debian's).
  3. figures: modules, exports, imports, namespaces, device-table aliases by bus.
Finally it writes the MANIFEST (sha256 of every file of the corpus).
"""
import argparse
import collections
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile


def read_lines(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f]


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def is_relocatable_elf(path):
    with open(path, "rb") as f:
        head = f.read(18)
    return len(head) == 18 and head[:4] == b"\x7fELF" and head[16] == 1  # ET_REL, little endian


class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.args = read_lines(os.path.join(path, "args"))
        self.cwd = read_lines(os.path.join(path, "cwd"))[0]
        self.root = read_lines(os.path.join(path, "root"))[0]
        self.stdin = os.path.join(path, "stdin") if os.path.exists(os.path.join(path, "stdin")) else None
        self.inputs = [l.split(" ", 2) if l.startswith("ext ") else l.split(" ", 1)
                       for l in read_lines(os.path.join(path, "inputs"))]
        self.outputs = read_lines(os.path.join(path, "outputs"))
        self.exit = int(read_lines(os.path.join(path, "exit"))[0])

    def rel(self, p):
        return os.path.relpath(p, self.root)

    def output_of(self, opt):
        """The path given to option `opt` (e.g. -o), or None."""
        for i, a in enumerate(self.args):
            if a == opt and i + 1 < len(self.args):
                return os.path.normpath(os.path.join(self.cwd, self.args[i + 1]))
        return None


def tree(root):
    found = set()
    for d, _, files in os.walk(root):
        for f in files:
            found.add(os.path.join(d, f))
    return found


def replay(case, real, strip):
    """Returns (list of differences, {rel path: stripped bytes} for the objects stripped)."""
    if os.path.exists(case.root):
        shutil.rmtree(case.root)
    shutil.copytree(os.path.join(case.path, "files"), case.root) if os.path.isdir(
        os.path.join(case.path, "files")) else os.makedirs(case.root)
    stripped = {}
    diffs = []
    try:
        if strip:
            for p in sorted(tree(case.root)):
                if p.endswith(".o") and is_relocatable_elf(p):
                    before = os.path.getsize(p)
                    subprocess.run(["objcopy", "--strip-debug", p], check=True)
                    if os.path.getsize(p) != before:
                        stripped[case.rel(p)] = read_bytes(p)
        for entry in case.inputs:
            if entry[0] == "ext":
                _, digest, p = entry
                if not os.path.exists(p):
                    diffs.append(f"outside input missing: {p}")
                elif sha256_file(p) != digest:
                    diffs.append(f"outside input differs from the recording: {p}")
            elif entry[0] == "absent" and os.path.exists(entry[1]):
                diffs.append(f"file exists that did not at recording time: {entry[1]}")
        if diffs:
            return diffs, stripped
        before = tree(case.root)
        with open(case.stdin or os.devnull, "rb") as fin:
            p = subprocess.run([real] + case.args, cwd=case.cwd, stdin=fin, capture_output=True)
        if p.returncode != case.exit:
            diffs.append(f"exit {p.returncode}, recorded {case.exit}")
        for name, got in (("stdout", p.stdout), ("stderr", p.stderr)):
            if got != read_bytes(os.path.join(case.path, name)):
                diffs.append(f"{name} differs")
        created = tree(case.root) - before
        for out in case.outputs:
            if not os.path.exists(out):
                diffs.append(f"not written: {out}")
            elif read_bytes(out) != read_bytes(os.path.join(case.path, "out", case.rel(out))):
                diffs.append(f"output differs: {out}")
        extra = created - set(case.outputs)
        if extra:
            diffs.append("unexpected files: " + " ".join(sorted(extra)))
    finally:
        shutil.rmtree(case.root, ignore_errors=True)
    return diffs, stripped


def parse_symvers(path):
    """{symbol: (crc, module, type, namespace)}"""
    syms = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                syms[parts[1]] = (int(parts[0], 16), parts[2], parts[3], parts[4] if len(parts) > 4 else "")
    return syms


SYMVER_RE = re.compile(r"^#SYMVER (\S+) 0x([0-9a-f]+)$", re.M)
VERSION_RE = re.compile(r'^\t\{ 0x([0-9a-f]+), "([^"]+)" \},$', re.M)
ALIAS_RE = re.compile(r'^MODULE_ALIAS\("([^"]*)"\);$', re.M)
NS_IMPORT_RE = re.compile(rb"import_ns=([^\0]+)\0")


def check_crcs(case, debian, stats):
    problems = []
    files = os.path.join(case.path, "files")
    symver = {}
    symvers_in = {}
    for entry in case.inputs:
        if entry[0] == "root":
            p = os.path.join(files, case.rel(entry[1]))
            base = os.path.basename(p)
            if base.startswith(".") and base.endswith(".cmd"):
                for name, crc in SYMVER_RE.findall(open(p, errors="replace").read()):
                    symver[name] = int(crc, 16)
            elif base.endswith(".o"):
                for ns in NS_IMPORT_RE.findall(read_bytes(p)):
                    stats["namespace imports"] += 1
            elif "symvers" in base:
                symvers_in.update(parse_symvers(p))
        elif entry[0] == "ext" and os.path.basename(entry[2]).endswith("symvers"):
            symvers_in.update(parse_symvers(entry[2]))
    out_symvers = case.output_of("-o")
    written = {}
    if out_symvers and out_symvers in case.outputs:
        written = parse_symvers(os.path.join(case.path, "out", case.rel(out_symvers)))
    for sym, (crc, mod, typ, ns) in written.items():
        stats["exports"] += 1
        if ns:
            stats["namespaced exports"] += 1
            stats["namespaces"].add(ns)
        if sym in symver and symver[sym] != crc:
            problems.append(f"{sym}: Module.symvers CRC {crc:#010x}, #SYMVER {symver[sym]:#010x}")
        if sym not in symver and crc != 0:
            problems.append(f"{sym}: CRC {crc:#010x} without a #SYMVER line")
        if sym in debian:
            d = debian[sym]
            if (d[0], d[2], d[3]) != (crc, typ, ns):
                problems.append(f"{sym}: {crc:#010x} {typ} '{ns}', Debian {d[0]:#010x} {d[2]} '{d[3]}'")
                stats["exports differing from Debian"] += 1
            else:
                stats["exports equal to Debian"] += 1
        else:
            stats["exports not in Debian"] += 1
    known = dict(debian)
    known.update({k: v for k, v in symvers_in.items()})
    known.update(written)
    for out in case.outputs:
        if not out.endswith(".mod.c"):
            continue
        text = open(os.path.join(case.path, "out", case.rel(out))).read()
        stats["modules"] += 1
        for crc, sym in VERSION_RE.findall(text):
            stats["imports"] += 1
            if sym in known and known[sym][0] != int(crc, 16):
                problems.append(f"{case.rel(out)}: imports {sym} {crc}, its exporter has {known[sym][0]:#010x}")
            elif sym not in known:
                stats["imports of unknown CRC"] += 1
        for alias in ALIAS_RE.findall(text):
            bus = alias.split(":")[0].split("*")[0] if ":" in alias else "other"
            stats["aliases"][bus] += 1
        if "MODULE_INFO(srcversion" in text:
            stats["modules with srcversion"] += 1
    return problems


def under(path, root):
    return path.startswith(root.rstrip("/") + "/")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--corpus", required=True, help="directory holding the version's cases")
    ap.add_argument("--real", required=True, help="the real modpost of this version")
    ap.add_argument("--symvers", required=True, help="Debian's Module.symvers")
    ap.add_argument("--manifest", help="write the MANIFEST here")
    ap.add_argument("--no-strip", action="store_true")
    a = ap.parse_args()

    debian = parse_symvers(a.symvers)
    cases = sorted(os.path.join(a.corpus, c) for c in os.listdir(a.corpus)
                   if os.path.exists(os.path.join(a.corpus, c, "args")))
    stats = collections.Counter()
    stats["namespaces"] = set()
    stats["aliases"] = collections.Counter()
    failed = 0
    for path in cases:
        if os.path.exists(os.path.join(path, "PROBLEMS")):
            print(f"FAIL {os.path.basename(path)}: recorder: " + open(os.path.join(path, "PROBLEMS")).read().strip())
            failed += 1
            continue
        case = Case(path)
        diffs, stripped = ([], {}) if a.no_strip else replay(case, a.real, strip=True)
        if not a.no_strip and not diffs and stripped:
            for rel, blob in stripped.items():
                with open(os.path.join(case.path, "files", rel), "wb") as f:
                    f.write(blob)
            stats["cases stripped"] += 1
            stats["objects stripped"] += len(stripped)
            verdict = f"stripped {len(stripped)} objects"
        else:
            if diffs:
                print(f"  {case.name}: stripped replay differs ({'; '.join(diffs)}); kept unstripped")
                stats["cases kept unstripped"] += 1
            diffs, _ = replay(case, a.real, strip=False)
            verdict = "unstripped"
        if diffs:
            print(f"FAIL {case.name}: replay: {'; '.join(diffs)}")
            failed += 1
            continue
        stats["replayed identical"] += 1
        stats["files compared"] += len(case.outputs) + 3
        if case.exit != 0:
            stats["non-zero exits"] += 1
        if os.path.getsize(os.path.join(case.path, "stderr")):
            stats["cases with stderr"] += 1
        problems = check_crcs(case, debian, stats)
        for p in problems:
            print(f"FAIL {case.name}: CRC: {p}")
        failed += bool(problems)
        print(f"ok   {case.name}: exit {case.exit}, {len(case.outputs)} outputs, {verdict}")

    print(f"== modpost {a.version}: {len(cases)} cases, {failed} failed")
    for k in sorted(stats):
        v = stats[k]
        if k == "namespaces":
            print(f"  namespaces: {len(v)} ({' '.join(sorted(v))})")
        elif k == "aliases":
            print(f"  device-table aliases: {sum(v.values())} ("
                  + ", ".join(f"{b} {n}" for b, n in sorted(v.items())) + ")")
        else:
            print(f"  {k}: {v}")
    if a.manifest and not failed:
        lines = []
        for path in cases:
            for p in sorted(tree(path)):
                lines.append(f"{sha256_file(p)}  {os.path.relpath(p, a.corpus)}")
        with open(a.manifest, "w") as f:
            f.write("".join(l + "\n" for l in sorted(lines, key=lambda l: l[66:])))
    return 1 if failed or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
