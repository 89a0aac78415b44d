#!/usr/bin/env python3
"""Driver of bench/modpost-bench.sh (see its header for the user-level usage).

Two parts, per kernel version, each timing our modpost against the real
modpost.real-lsb-64 of that version, interleaved (ours, real, ours, real, ...)
with every run's outputs checked:

(a) corpus: every recorded invocation of the modpost golden corpus
    (modpost-<ver>/<case>/, layout in tests/corpus/README.md) is put back at its
    fixed absolute root and replayed with its argv, cwd and stdin;
(b) large: ONE invocation over all corpus objects of that version plus the
    generated modules (bench/modpost-gen-build.sh), with the command line kbuild
    ran for the generated directory (its modpost.cmd), the object list being the
    corpus objects followed by the generated ones.

Outputs compared on every run: stdout, stderr, exit code and every file written
(each <module>.mod.c and the -o Module.symvers); the checking pass also looks
for files written that the real tool did not write.  Each run starts from a
fresh build's state: outputs are removed first (or restored when the corpus
held them as inputs), because modpost leaves an unchanged .mod.c untouched.

Runs go through bench/measure.c (--runner): wall time from fork to wait4,
user+sys time and ru_maxrss of the program alone.

Exit status: 0 all outputs identical and the large-run targets met (ours/real
wall <= 0.5, peak RSS <= real); 1 some output differed; 2 identical but a
target missed; 3 usage or setup error.
"""
import argparse
import fcntl
import hashlib
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time

# the helpers the genksyms benchmark driver already has
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import digest, first_diff, loadavg  # noqa: E402

TIME_TARGET = 0.5
FIXED_ROOT = "/tmp/modforge-modpost-corpus/"


def die(msg):
    sys.stderr.write(f"modpost-measure: {msg}\n")
    sys.exit(3)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError):
        return None


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()






def files_under(top, recursive=True):
    """Regular files below top (recursive) or entries directly in it."""
    if not recursive:
        try:
            return {os.path.join(top, n) for n in os.listdir(top)}
        except OSError:
            return set()
    out = set()
    for d, _, fs in os.walk(top):
        for f in fs:
            out.add(os.path.join(d, f))
    return out




# ---------------------------------------------------------------------------
# Invocations

class Invocation:
    """One modpost run to replay: argv (without argv[0]), cwd, stdin file or
    None, the files it writes, and how to bring the tree back to its
    before-state (restore: path -> original bytes, or None to delete)."""

    def __init__(self, version, name, args, cwd, stdin, outputs, restore, watch):
        self.version, self.name, self.args, self.cwd, self.stdin = version, name, args, cwd, stdin
        self.outputs = outputs
        self.restore = restore
        self.watch = watch            # (dir, recursive): checked for stray files in the checking pass
        self.times = {"ours": [], "real": []}   # (wall_s, cpu_s, maxrss_kb, user_s, sys_s)
        self.ref = {}                 # tool -> fingerprint of its checking-pass result

    def reset(self):
        for path, data in self.restore.items():
            if data is None:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
            else:
                with open(path, "wb") as f:
                    f.write(data)


class CorpusCase:
    def __init__(self, version, path):
        self.version, self.path, self.name = version, path, os.path.basename(path)

        def lines(name):
            data = read(os.path.join(path, name))
            return [] if data is None else data.decode().splitlines()
        self.args = lines("args")
        self.cwd = lines("cwd")[0]
        self.root = lines("root")[0]
        self.stdin = os.path.join(path, "stdin") if os.path.exists(os.path.join(path, "stdin")) else None
        self.exit = int(lines("exit")[0]) if lines("exit") else 0
        self.inputs = []
        for l in lines("inputs"):
            kind, _, rest = l.partition(" ")
            if kind == "ext":
                self.inputs.append((kind, rest[65:], rest[:64]))
            else:
                self.inputs.append((kind, rest, None))
        self.outputs = lines("outputs")
        if not self.root.startswith(FIXED_ROOT):
            die(f"{path}: root {self.root} is outside {FIXED_ROOT}")

    def files_dir(self):
        return os.path.join(self.path, "files")

    def stored(self, abspath):
        """The corpus copy of an input under the root, or None."""
        p = os.path.join(self.files_dir(), os.path.relpath(abspath, self.root))
        return p if os.path.isfile(p) else None

    def check_external(self):
        """Problems with inputs outside the root (hash) and files that must be absent."""
        bad = []
        for kind, p, sha in self.inputs:
            if kind == "ext" and (not os.path.exists(p) or sha256_file(p) != sha):
                bad.append(f"{p} missing or not the file the corpus was recorded with")
            if kind == "absent" and os.path.exists(p):
                bad.append(f"{p} exists (the real modpost did not find it when recorded)")
        return bad

    def object_list(self):
        """The module objects this invocation was given (-T file or stdin)."""
        a = self.args
        for i, x in enumerate(a):
            if x == "-T" and i + 1 < len(a):
                src = a[i + 1]
                if src == "-":
                    data = read(self.stdin) if self.stdin else b""
                else:
                    p = src if os.path.isabs(src) else os.path.normpath(os.path.join(self.cwd, src))
                    stored = self.stored(p) if p.startswith(self.root) else None
                    data = read(stored or p) or b""
                return [l for l in data.decode().splitlines() if l.strip()]
        return []

    def recorded(self, name):
        return read(os.path.join(self.path, name))

    def recorded_output(self, abspath):
        return read(os.path.join(self.path, "out", os.path.relpath(abspath, self.root)))


def find_corpus(roots, versions, case_re):
    import re
    by_ver = {}
    for root in roots:
        root = os.path.abspath(root)
        cands = []
        base = os.path.basename(root)
        if base.startswith("modpost-") and os.path.isdir(root):
            cands.append((base[len("modpost-"):], root))
        elif os.path.isdir(root):
            for d in sorted(os.listdir(root)):
                if d.startswith("modpost-") and os.path.isdir(os.path.join(root, d)):
                    cands.append((d[len("modpost-"):], os.path.join(root, d)))
        else:
            die(f"{root}: not a directory")
        for ver, vdir in cands:
            if versions and ver not in versions:
                continue
            for c in sorted(os.listdir(vdir)):
                cdir = os.path.join(vdir, c)
                if os.path.exists(os.path.join(cdir, "inputs")) and (not case_re or re.search(case_re, c)):
                    by_ver.setdefault(ver, []).append(CorpusCase(ver, cdir))
    return by_ver


def put_back(case):
    shutil.rmtree(case.root, ignore_errors=True)
    os.makedirs(case.root, exist_ok=True)
    if os.path.isdir(case.files_dir()):
        shutil.copytree(case.files_dir(), case.root, symlinks=True, dirs_exist_ok=True)


def corpus_invocation(case):
    restore = {}
    for o in case.outputs:
        s = case.stored(o)
        restore[o] = read(s) if s else None
    return Invocation(case.version, case.name, case.args, case.cwd, case.stdin, case.outputs, restore,
                      [(case.root, True), (case.cwd, False)])


# ---------------------------------------------------------------------------
# The large run

def parse_kbuild_cmd(line, gen_dir):
    """kbuild's modpost command (V=1) -> (argv without argv[0], stdin object list or None, -T file or None)."""
    stdin_list = None
    if "|" in line:
        left, right = line.split("|", 1)
        lw = shlex.split(left)
        if not lw or lw[0] != "sed":
            die(f"{gen_dir}/modpost.cmd: unexpected command before the pipe: {left.strip()}")
        order = lw[-1]
        data = read(order)
        if data is None:
            die(f"{order}: missing (rebuild {gen_dir})")
        stdin_list = [l[:-2] + "o" if l.endswith("ko") else l for l in data.decode().splitlines()]
        argv = shlex.split(right)
    else:
        argv = shlex.split(line)
    if not argv or not argv[0].endswith("scripts/mod/modpost"):
        die(f"{gen_dir}/modpost.cmd: not a modpost command: {line.strip()}")
    args = argv[1:]
    tfile = None
    for i, x in enumerate(args):
        if x == "-T" and i + 1 < len(args) and args[i + 1] != "-":
            tfile = args[i + 1]
    return args, stdin_list, tfile


def large_invocation(version, gen_dir, cases, work):
    """All corpus objects of `version` (put back at the fixed root, union of the
    cases' files) followed by the generated ones, in one invocation."""
    line = read(os.path.join(gen_dir, "modpost.cmd")).decode().strip()
    tree = read(os.path.join(gen_dir, "tree")).decode().strip()
    args, stdin_list, tfile = parse_kbuild_cmd(line, gen_dir)
    if tfile:
        data = read(tfile)
        if data is None:
            die(f"{tfile}: missing (rebuild {gen_dir})")
        gen_objs = data.decode().splitlines()
    else:
        gen_objs = stdin_list
    gen_objs = [l for l in gen_objs if l.strip()]

    notes = []
    corpus_objs = []
    used = []
    if cases:
        shutil.rmtree(os.path.join(FIXED_ROOT, version), ignore_errors=True)
        seen = {}
        for c in cases:
            if c.exit != 0:
                # a diagnostic case: its errors would stop the whole run before any output
                notes.append(f"{version}/{c.name}: left out of the large run (recorded exit {c.exit})")
                continue
            bad = c.check_external()
            if bad:
                notes.append(f"{version}/{c.name}: left out of the large run: {bad[0]}")
                continue
            objs = c.object_list()
            for dirpath, _, names in os.walk(c.files_dir()):
                for n in names:
                    src = os.path.join(dirpath, n)
                    dst = os.path.join(c.root, os.path.relpath(src, c.files_dir()))
                    h = sha256_file(src)
                    if seen.get(dst, h) != h:
                        notes.append(f"{c.name}: {dst} differs from another case's copy; kept the first")
                        continue
                    if dst not in seen:
                        seen[dst] = h
                        os.makedirs(os.path.dirname(dst), exist_ok=True)
                        shutil.copy2(src, dst)
            corpus_objs += objs
            used.append(c)
    objs = corpus_objs + gen_objs
    if len(set(objs)) != len(objs):
        die(f"large run {version}: an object is listed twice")

    os.makedirs(work, exist_ok=True)
    out_symvers = os.path.join(work, "Module.symvers")
    # -o goes to the work dir (not the cache), -T to the combined list.
    new_args = []
    i = 0
    while i < len(args):
        x = args[i]
        if x == "-o" and i + 1 < len(args):
            new_args += ["-o", out_symvers]
            i += 2
            continue
        if x == "-T" and i + 1 < len(args) and args[i + 1] != "-":
            order = os.path.join(work, "modules.order")
            with open(order, "w") as f:
                f.write("".join(o + "\n" for o in objs))
            new_args += ["-T", order]
            i += 2
            continue
        new_args.append(x)
        i += 1
    stdin = None
    if stdin_list is not None:
        stdin = os.path.join(work, "stdin")
        with open(stdin, "w") as f:
            f.write("".join(o + "\n" for o in objs))
    outputs = [o[:-2] + ".mod.c" for o in objs if o.endswith(".o")] + [out_symvers]
    outputs = [o if os.path.isabs(o) else os.path.normpath(os.path.join(tree, o)) for o in outputs]
    restore = {o: None for o in outputs}
    watch = [(gen_dir, True), (work, True), (tree, False)] + \
        ([(os.path.join(FIXED_ROOT, version), True)] if used else [])
    inv = Invocation(version, "large", new_args, tree, stdin, outputs, restore, watch)
    inv.counts = (len(corpus_objs), len(gen_objs), len(used))
    inv.notes = notes
    return inv


# ---------------------------------------------------------------------------
# Running

class Runner:
    def __init__(self, runner, tmp, ours, reals):
        self.runner, self.tmp, self.ours, self.reals = runner, tmp, ours, reals

    def run(self, tool, inv):
        """Returns (wall_s, cpu_s, maxrss_kb, result, (user_s, sys_s)) where result = (exit, stdout, stderr,
        {output: bytes|None})."""
        inv.reset()
        out = os.path.join(self.tmp, tool + ".stdout")
        err = os.path.join(self.tmp, tool + ".stderr")
        prog = self.ours if tool == "ours" else self.reals[inv.version]
        env = dict(os.environ)
        if tool == "ours":
            env["MODFORGE_KERNEL"] = inv.version
        cmd = [self.runner] + (["--pipe"] if inv.stdin else []) + [inv.stdin or "/dev/null", out, err, prog] + inv.args
        p = subprocess.run(cmd, cwd=inv.cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            die(f"runner failed ({p.returncode}): {p.stderr.decode(errors='replace').strip()}")
        wall_ns, user_us, sys_us, rss, status = (int(x) for x in p.stdout.split())
        files = {o: read(o) for o in inv.outputs}
        return wall_ns / 1e9, (user_us + sys_us) / 1e6, rss, (status, read(out), read(err), files), \
            (user_us / 1e6, sys_us / 1e6)


def fingerprint(res):
    status, out, err, files = res
    return (status, digest(out), digest(err), tuple(sorted((k, digest(v)) for k, v in files.items())))


def compare(tag, ours, real):
    """Lists the differences between two results (ours, real)."""
    diffs = []
    if ours[0] != real[0]:
        diffs.append(f"{tag}: exit ours {ours[0]} real {real[0]}")
    for what, a, b in (("stdout", ours[1], real[1]), ("stderr", ours[2], real[2])):
        if a != b:
            diffs.append(f"{tag}: {what} differs: {first_diff(a, b)}")
    nd = 0
    for path in sorted(real[3]):
        a, b = ours[3].get(path), real[3][path]
        if a != b:
            nd += 1
            if nd <= 5:
                diffs.append(f"{tag}: {path} differs: {first_diff(a, b)}")
    if nd > 5:
        diffs.append(f"{tag}: ... {nd - 5} more output files differ")
    return diffs


def check_pass(runner, inv, golden=None):
    """Real then ours, with a stray-file check.  Returns (mismatches, golden diffs)."""
    mism, gold = [], []
    res = {}
    for tool in ("real", "ours"):
        inv.reset()
        before = set()
        for w, rec in inv.watch:
            before |= files_under(w, rec)
        _, _, _, r, _ = runner.run(tool, inv)
        after = set()
        for w, rec in inv.watch:
            after |= files_under(w, rec)
        stray = sorted(after - before - set(inv.outputs))
        for s in stray[:5]:
            mism.append(f"{inv.version}/{inv.name}: {tool} wrote {s}, which is not an output of the real tool")
            try:
                os.unlink(s)
            except OSError:
                pass
        res[tool] = r
        inv.ref[tool] = fingerprint(r)
    inv.written = sum(1 for v in res["real"][3].values() if v is not None)
    inv.exit = res["real"][0]
    inv.err_lines = (res["real"][2] or b"").count(b"\n")
    mism += compare(f"{inv.version}/{inv.name}", res["ours"], res["real"])
    if golden is not None:
        c = golden
        r = res["real"]
        if r[0] != c.exit:
            gold.append(f"{inv.version}/{inv.name}: real exit {r[0]}, recorded {c.exit}")
        for what, got in (("stdout", r[1]), ("stderr", r[2])):
            if got != c.recorded(what):
                gold.append(f"{inv.version}/{inv.name}: real {what} differs from the recorded one")
        for o in c.outputs:
            if r[3].get(o) != c.recorded_output(o):
                gold.append(f"{inv.version}/{inv.name}: real {o} differs from the recorded one")
    return mism, gold


def timed_rounds(runner, inv, rounds):
    unstable = []
    for rnd in range(rounds):
        for tool in ("ours", "real"):
            wall, cpu, rss, r, (user, sys_) = runner.run(tool, inv)
            inv.times[tool].append((wall, cpu, rss, user, sys_))
            if fingerprint(r) != inv.ref[tool]:
                unstable.append(f"{inv.version}/{inv.name} round {rnd + 1} {tool}: output differs from the checking pass")
    inv.reset()
    return unstable


def summary(inv):
    o, r = inv.times["ours"], inv.times["real"]
    return {
        "ow": statistics.median(x[0] for x in o), "rw": statistics.median(x[0] for x in r),
        "oc": statistics.median(x[1] for x in o), "rc": statistics.median(x[1] for x in r),
        "orss": max(x[2] for x in o), "rrss": max(x[2] for x in r),
        "ou": statistics.median(x[3] for x in o), "os": statistics.median(x[4] for x in o),
        "ru": statistics.median(x[3] for x in r), "rs": statistics.median(x[4] for x in r),
    }


def fmt_kb(kb):
    return f"{kb / 1024:.1f} MiB"


class Lock:
    def __init__(self, path):
        self.path = path
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        t0 = time.time()
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for {self.path} (the corpus script or the golden test uses {FIXED_ROOT})", flush=True)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            print(f"  got it after {time.time() - t0:.0f}s", flush=True)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", default=[], help="dir holding modpost-<ver>/ (or one itself)")
    ap.add_argument("--large", action="append", default=[], metavar="VER=DIR", help="generated build dir per version")
    ap.add_argument("--ours", required=True)
    ap.add_argument("--real", action="append", default=[], metavar="VER=PATH")
    ap.add_argument("--runner", required=True, help="bench/measure.c, compiled")
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--large-rounds", type=int, default=None)
    ap.add_argument("--versions", default="")
    ap.add_argument("--cases", default="")
    ap.add_argument("--parts", default="corpus,large")
    ap.add_argument("--expect-versions", default="", help="versions whose absence is reported as missing")
    ap.add_argument("--lock", default="/tmp/modforge-modpost-corpus.lock")
    ap.add_argument("--label", default="")
    ap.add_argument("--command", default="")
    a = ap.parse_args()
    parts = set(a.parts.split(","))
    versions = [v for v in a.versions.split(",") if v]
    lrounds = a.large_rounds or a.rounds
    reals = {v: os.path.abspath(p) for v, p in (r.split("=", 1) for r in a.real)}
    a.ours = os.path.abspath(a.ours)  # runs happen in other working directories
    a.runner = os.path.abspath(a.runner)
    larges = dict(x.split("=", 1) for x in a.large)
    by_ver = find_corpus(a.corpus, versions, a.cases)
    all_versions = sorted(set(by_ver) | set(larges) | set(v for v in a.expect_versions.split(",") if v),
                          key=lambda v: tuple(int(x) for x in v.split(".")))
    if versions:
        all_versions = [v for v in all_versions if v in versions]
    for v in all_versions:
        if (v in by_ver or v in larges) and (v not in reals or not os.access(reals[v], os.X_OK)):
            die(f"no real modpost for {v} (pass --real {v}=PATH)")
    runner = Runner(a.runner, a.tmp, a.ours, reals)
    load0 = loadavg()
    mismatches, golden, unstable, notes = [], [], [], []
    corpus_rows, large_rows = {}, {}
    t_start = time.time()
    with Lock(a.lock):
        for v in all_versions:
            cases = by_ver.get(v, [])
            if "corpus" in parts:
                if not cases:
                    notes.append(f"{v}: no modpost corpus found (tests/corpus/modpost-{v}.tar.xz missing?): part (a) not run")
                invs = []
                t0 = time.time()
                for c in cases:
                    bad = c.check_external()
                    if bad:
                        notes.append(f"{v}/{c.name}: not replayed: {bad[0]}")
                        continue
                    put_back(c)
                    inv = corpus_invocation(c)
                    m, g = check_pass(runner, inv, c)
                    mismatches += m
                    golden += g
                    unstable += timed_rounds(runner, inv, a.rounds)
                    invs.append(inv)
                    shutil.rmtree(c.root, ignore_errors=True)
                if invs:
                    corpus_rows[v] = invs
                    print(f"[{v}] corpus: {len(invs)} cases replayed, {a.rounds} round(s), "
                          f"{time.time() - t0:.0f}s", flush=True)
            if "large" in parts:
                if v not in larges:
                    notes.append(f"{v}: no generated modules given: part (b) not run")
                    continue
                t0 = time.time()
                inv = large_invocation(v, larges[v], cases, os.path.join(a.tmp, f"large-{v}"))
                notes += inv.notes
                nc, ng, ncase = inv.counts
                print(f"[{v}] large run: {nc + ng} modules in one invocation ({nc} from {ncase} corpus cases, "
                      f"{ng} generated), {lrounds} round(s)", flush=True)
                m, _ = check_pass(runner, inv)
                mismatches += m
                print(f"[{v}] large run: the real modpost wrote {inv.written} of {len(inv.outputs)} possible outputs, "
                      f"exit {inv.exit}, {inv.err_lines} stderr line(s)", flush=True)
                unstable += timed_rounds(runner, inv, lrounds)
                large_rows[v] = inv
                shutil.rmtree(os.path.join(FIXED_ROOT, v), ignore_errors=True)
                print(f"[{v}] large run done in {time.time() - t0:.0f}s", flush=True)
    mismatches += unstable
    load1 = loadavg()
    try:
        busy = max(float(load0.split()[0]), float(load1.split()[0])) > 0.75 * (os.cpu_count() or 1)
    except (ValueError, IndexError):
        busy = False

    for m in mismatches[:60]:
        print("  MISMATCH " + m)
    if len(mismatches) > 60:
        print(f"  ... and {len(mismatches) - 60} more")
    for g in golden[:20]:
        print("  GOLDEN " + g)

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print()
    print("----- modpost benchmark summary (paste me) -----")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  host: {platform.node()}, {os.cpu_count()} CPUs, {cpu}")
    if a.label:
        print(f"ours: {a.label}")
    for v in all_versions:
        if v in reals:
            print(f"real {v}: {reals[v]}")
    print(f"method: ours and real alternately on the same inputs; corpus: per case {a.rounds} round(s), "
          f"large: {lrounds} round(s); each after a checking pass; time = median of rounds, RSS = max "
          f"(wait4 of the program alone); outputs removed before every run (fresh-build state)")
    print(f"load average: {load0} at start, {load1} at end"
          + (" -- BUSY MACHINE: wall times are inflated and noisy, compare the cpu ratio too" if busy else ""))
    hdr = (f"{'part':18} {'modules':>7} {'ours s':>8} {'real s':>8} {'ratio':>6} {'cpu o':>7} {'cpu r':>7} "
           f"{'cpu':>6} {'ours RSS':>10} {'real RSS':>10}")
    print(hdr)
    time_ok = mem_ok = True
    for v in all_versions:
        if v in corpus_rows:
            ss = [summary(i) for i in corpus_rows[v]]
            ow, rw = sum(s["ow"] for s in ss), sum(s["rw"] for s in ss)
            oc, rc = sum(s["oc"] for s in ss), sum(s["rc"] for s in ss)
            orss, rrss = max(s["orss"] for s in ss), max(s["rrss"] for s in ss)
            ratios = [s["ow"] / s["rw"] for s in ss if s["rw"] > 0]
            worst = max(zip(ratios, corpus_rows[v]), key=lambda t: t[0])
            print(f"{v + ' corpus (' + str(len(ss)) + ')':18} {'':>7} {ow:>8.3f} {rw:>8.3f} {ow / rw:>6.3f} "
                  f"{oc:>7.3f} {rc:>7.3f} {oc / rc if rc else float('nan'):>6.3f} {fmt_kb(orss):>10} {fmt_kb(rrss):>10}"
                  f"   (per case: median ratio {statistics.median(ratios):.3f}, worst {worst[0]:.3f} {worst[1].name}; "
                  f"RSS higher than real in {sum(1 for s in ss if s['orss'] > s['rrss'])})")
        if v in large_rows:
            inv = large_rows[v]
            s = summary(inv)
            nc, ng, _ = inv.counts
            print(f"{v + ' large':18} {nc + ng:>7} {s['ow']:>8.3f} {s['rw']:>8.3f} {s['ow'] / s['rw']:>6.3f} "
                  f"{s['oc']:>7.3f} {s['rc']:>7.3f} {s['oc'] / s['rc'] if s['rc'] else float('nan'):>6.3f} "
                  f"{fmt_kb(s['orss']):>10} {fmt_kb(s['rrss']):>10}"
                  f"   (user/sys ours {s['ou']:.3f}/{s['os']:.3f} real {s['ru']:.3f}/{s['rs']:.3f}; "
                  f"wall per round ours {' '.join(f'{x[0]:.3f}' for x in inv.times['ours'])}; "
                  f"real {' '.join(f'{x[0]:.3f}' for x in inv.times['real'])})")
            time_ok &= s["ow"] / s["rw"] <= TIME_TARGET
            mem_ok &= s["orss"] <= s["rrss"]
    print("(ours s / real s: wall seconds, corpus = sum over cases of each case's median; ratio = ours/real; "
          "cpu o / cpu r: user+sys seconds; cpu = their ratio; RSS = peak resident set of the program)")
    for n in notes:
        print("note: " + n)
    print(f"output check: {len(mismatches)} mismatch(es) ours vs real, {len(golden)} real-vs-recorded difference(s)")
    if large_rows:
        print(f"large-run targets: time <= {TIME_TARGET} x real: {'PASS' if time_ok else 'FAIL'}; "
              f"peak RSS <= real: {'PASS' if mem_ok else 'FAIL'}"
              + (" (meaningless: outputs differ)" if mismatches else ""))
    print(f"total bench time {time.time() - t_start:.0f}s")
    if a.command:
        print(f"command: {a.command}")
    print("------------------------------------------------")
    if mismatches:
        print("NOTE: outputs differ from the real tool: these figures are not meaningful.")
        return 1
    if not large_rows:
        return 0
    return 0 if time_ok and mem_ok else 2


if __name__ == "__main__":
    sys.exit(main())
