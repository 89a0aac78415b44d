#!/usr/bin/env python3
"""Writes the loader corpus's batches and asks the real kernel about them.

  loader-corpus.py generate VER OUT --mods DIR --other-mods DIR --ko-mutate EXE
      one directory per batch of cases.py under OUT: `steps` and the .ko files it names
  loader-corpus.py ask VER BATCH_DIR... --oracle kernel-oracle.sh
      runs each batch in one boot of the real kernel; writes BATCH_DIR/oracle.jsonl
      verbatim.  (generate already follows each damaged module of a "-mut" batch by an
      rmmod of its name.)  A case on which the real kernel oopses or hangs is dropped (a
      "# dropped:" line in the steps header says which and why) and the batch asked
      again: no emulator verdict can be compared with a crash.  In "clean slate" batches (names with "-mut"), a case that left a module
      loaded gets an `rmmod` appended and the batch is asked again, so every mutated case
      starts from the same state; the verdicts are always the kernel's.
  loader-corpus.py count OUT   cases and steps per batch
  loader-corpus.py random VER BATCH_DIR --mods DIR --ko-mutate EXE --seed N --cases K --oracle SH
      the qemu tier: K mutations drawn afresh (`ko-mutate -r`, seeds derived from N) from
      the modules in DIR, one batch, asked of the real kernel

--mods DIR holds DIR/<module>/<module>.ko built for VER (build-modules.sh), --other-mods
the same for the other version.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as case_table  # noqa: E402

RELEASES = {"6.1": "6.1.0-56-amd64", "6.12": "6.12.117+deb12-amd64"}
CASE_RE = re.compile(r"^# case: (\S+)(?: (.*))?$")


def die(msg):
    sys.exit("loader-corpus: " + msg)


def vermagic(ko):
    out = subprocess.run(["/sbin/modinfo", "-F", "vermagic", ko], capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout.strip():
        die("no vermagic in %s: %s" % (ko, out.stderr.strip()))
    return out.stdout.rstrip("\n")


def generate(a):
    mods, other = os.path.abspath(a.mods), os.path.abspath(a.other_mods)
    ko = lambda d, m: os.path.join(d, m, m + ".ko")
    vm, other_vm = vermagic(ko(mods, "lc_plain")), vermagic(ko(other, "lc_plain"))
    total = 0
    for bname, cases in case_table.batches(a.ver, vm, other_vm):
        bdir = os.path.join(a.out, bname)
        clean = "-mut" in bname
        shutil.rmtree(bdir, ignore_errors=True)
        os.makedirs(bdir)
        lines = []
        names = set()
        for cname, desc, steps in cases:
            if cname in names:
                die("case %s twice" % cname)
            names.add(cname)
            lines.append("# case: %s %s" % (cname, desc))
            for i, st in enumerate(steps):
                if st[0] == "rmmod":
                    lines.append("rmmod " + st[1])
                    continue
                f, params = st[1], st[2]
                kind = f[0]
                if kind == "good":
                    fname = f[1] + ".ko"
                    shutil.copyfile(ko(mods, f[1]), os.path.join(bdir, fname))
                elif kind == "other":
                    fname = "other-%s.ko" % f[1]
                    shutil.copyfile(ko(other, f[1]), os.path.join(bdir, fname))
                elif kind == "mut":
                    fname = cname + ("-%d" % i if i else "") + ".ko"
                    # How the file was made; also the name it loads as, for the clean-slate rmmod.
                    lines.append("# from: %s.ko via ko-mutate %s" % (f[1], " ".join(f[2:])))
                    r = subprocess.run([a.ko_mutate, "--", ko(mods, f[1]), os.path.join(bdir, fname)] + list(f[2:]),
                                       capture_output=True, text=True)
                    if r.returncode != 0:
                        die("case %s: ko-mutate %s failed: %s" % (cname, " ".join(f[2:]), r.stderr.strip()))
                elif kind == "shipped":
                    fname = "shipped:" + f[1]
                else:
                    die("bad file kind %r" % (kind,))
                lines.append(("insmod %s %s" % (fname, params)).rstrip())
                # Clean slate in one boot: a damaged module may load anyway; remove it
                # (when it did not load, the kernel's answer to this rmmod is a case too).
                if clean and kind in ("mut", "other") and not any(s[0] == "rmmod" for s in steps[i + 1:]):
                    lines.append("rmmod " + f[1])
        with open(os.path.join(bdir, "steps"), "w") as fh:
            fh.write("# batch: %s (kernel %s)\n" % (bname, a.ver) + "\n".join(lines) + "\n")
        total += len(cases)
        print("%s: %d cases" % (bname, len(cases)))
    print("%d cases" % total)


def read_steps(path):
    """[[case line, [lines of the case: steps and comments]]] and the header comments."""
    header, cases = [], []
    for line in open(path).read().splitlines():
        if CASE_RE.match(line):
            cases.append([line, []])
        elif not cases:
            if line.startswith("#") or not line.strip():
                header.append(line)
            else:
                die("%s: a step before the first case" % path)
        elif line.strip():
            cases[-1][1].append(line)
    return header, cases


def steps_of(lines):
    return [s for s in lines if not s.startswith("#")]


def write_steps(path, header, cases):
    with open(path, "w") as fh:
        for line in header:
            fh.write(line + "\n")
        for head, steps in cases:
            fh.write(head + "\n")
            for s in steps:
                fh.write(s + "\n")


class Crashed(Exception):
    """The real kernel oopsed or hung at a step: there is no verdict to compare with."""

    def __init__(self, rec, final):
        super().__init__("step %s" % rec.get("step"))
        self.step, self.rec, self.final = rec.get("step"), rec, final


OOPS = ("BUG: ", "Oops: ", "general protection fault", "kernel BUG at")


def oopsed(rec):
    return any(d.get("msg", "").startswith(OOPS) for d in rec.get("dmesg") or [])


def drop_crashed(bdir, header, cases, err):
    """Removes the case of the crashed step, noting it (and the kernel's first oops line)
    in the batch header; the batch is then asked again."""
    n = 0
    for ci, c in enumerate(cases):
        n += len(steps_of(c[1]))
        if n >= err.step:
            msgs = [d.get("msg", "") for d in err.rec.get("dmesg") or []]
            oops = next((m for m in msgs if m.startswith(OOPS)), "hung: %s" % err.rec.get("status"))
            header.append("# dropped: %s -- the real kernel crashed or hung on it (%s)" % (c[0][len("# case: "):], oops))
            print("%s: %s" % (bdir, header[-1]), file=sys.stderr)
            del cases[ci]
            return
    die("%s: crash at step %s, past the last case" % (bdir, err.step))


def timeout(nsteps):
    """The boot's time limit: a step that oopses leaves insmod hanging until it.  With KVM a
    step takes well under half a second; without, the oracle's own default (60 s + 3 s a step)."""
    if "ORACLE_TIMEOUT" in os.environ:
        return int(os.environ["ORACLE_TIMEOUT"])
    kvm = os.access("/dev/kvm", os.R_OK | os.W_OK)
    return 30 + nsteps // 2 if kvm else 60 + 3 * nsteps


def run_oracle(a, bdir, header, cases):
    """One boot; returns the step records (the file oracle.jsonl holds them verbatim)."""
    shipped_root = os.path.join(a.cache, RELEASES[a.ver], "lib", "modules", RELEASES[a.ver])
    method = "kmod"
    for line in header:
        if line.startswith("# method:"):
            method = line.split(":", 1)[1].strip()
    with tempfile.NamedTemporaryFile("w", suffix=".steps", delete=False) as tmp:
        for _, lines in cases:
            for s in steps_of(lines):
                w = s.split()
                if w[0] == "insmod" and w[1].startswith("shipped:"):
                    w[1] = os.path.join(shipped_root, w[1][len("shipped:"):])
                    if not os.path.exists(w[1]):
                        die("%s: shipped module %s missing" % (bdir, w[1]))
                tmp.write(" ".join(w) + "\n")
    out = os.path.join(bdir, "oracle.jsonl")
    nsteps = sum(len(steps_of(s)) for _, s in cases)
    try:
        for attempt in (1, 2):
            r = subprocess.run(["bash", a.oracle, "-k", a.ver, "-m", method, "-t", str(timeout(nsteps)),
                                "-f", tmp.name, "-o", out],
                               cwd=bdir, capture_output=True, text=True)
            recs = [json.loads(l) for l in open(out)] if os.path.exists(out) else []
            final = recs[-1] if recs else {}
            ok = (not any(oopsed(x) for x in recs[:-1]) and r.returncode == 0 and final.get("final") and final.get("status") == "ok"
                  and final.get("steps_completed") == nsteps and len(recs) == nsteps + 1
                  and all(x.get("status") == "ok" for x in recs[:-1]))
            if ok:
                return recs[:-1], final
            # The step that oopses completes (insmod killed); the next one hangs on the
            # locks the oops left held.  Either way the boot says nothing reliable after it.
            crashed = next((x for x in recs[:-1] if oopsed(x)), None) or \
                next((x for x in recs[:-1] if x.get("status") == "hung-or-crashed"), None)
            if crashed:  # a retry would crash too
                raise Crashed(crashed, final)
            print("%s: oracle attempt %d failed (rc %d, status %s): %s" % (
                bdir, attempt, r.returncode, final.get("status"), r.stderr.strip()[-500:]), file=sys.stderr)
        die("%s: the real kernel did not complete the batch" % bdir)
    finally:
        os.unlink(tmp.name)


def ask(a):
    for bdir in a.batches:
        bdir = os.path.abspath(bdir)
        spath = os.path.join(bdir, "steps")
        header, cases = read_steps(spath)
        clean = "-mut" in os.path.basename(os.path.normpath(bdir))
        for rounds in range(8):
            try:
                recs, final = run_oracle(a, bdir, header, cases)
            except Crashed as err:
                drop_crashed(bdir, header, cases, err)
                write_steps(spath, header, cases)
                continue
            added = 0
            i = 0
            for c in cases:
                left = []
                base = None
                for s in c[1]:
                    if s.startswith("# from: "):
                        base = s.split()[2][:-len(".ko")]
                    if s.startswith("#"):
                        continue
                    r = recs[i]
                    i += 1
                    pm = r.get("proc_modules")
                    if s.startswith("insmod") and r.get("rc") == 0:
                        # The oracle finds the /proc/modules line by the name it reads from
                        # the file, which a damaged header can hide: then the base's name.
                        name = pm["name"] if pm else base
                        if not name:
                            die("%s: %s loaded under an unknown name" % (bdir, s))
                        left.append(name)
                    elif s.startswith("rmmod") and s.split()[1] in left:
                        # removed, or refused (no module_exit): either way not asked again
                        left.remove(s.split()[1])
                if clean:
                    for name in left:
                        c[1].append("rmmod " + name)
                        added += 1
            if not added:
                break
            if rounds == 7:
                die("%s: cases still leave modules loaded" % bdir)
            write_steps(spath, header, cases)
            print("%s: %d rmmod steps appended, asking again" % (bdir, added))
        print("%s: %d cases, %d steps, boot %.1f s, %s" % (
            bdir, len(cases), len(recs), final.get("wall_s", 0), final.get("kernel")))


def count(a):
    total_cases = total_steps = batches = 0
    for b in sorted(os.listdir(a.out)):
        p = os.path.join(a.out, b, "steps")
        if not os.path.isfile(p):
            continue
        _, cases = read_steps(p)
        n = sum(len(steps_of(s)) for _, s in cases)
        print("%s: %d cases, %d steps" % (b, len(cases), n))
        total_cases += len(cases)
        total_steps += n
        batches += 1
    print("total: %d batches, %d cases, %d steps" % (batches, total_cases, total_steps))


# Bases of the random mutations: modules that load alone (lc_imp after lc_exp).
RANDOM_BASES = ["lc_plain", "lc_params", "lc_big", "lc_initerr", "lc_intree", "lc_staging",
                "lc_gplvml", "lc_ns_vml", "lc_initpos", "lc_imp", "lc_prop_ok"]


def random_tier(a):
    import random
    rng = random.Random(a.seed)
    bdir = os.path.abspath(a.batch)
    shutil.rmtree(bdir, ignore_errors=True)
    os.makedirs(bdir)
    shutil.copyfile(os.path.join(a.mods, "lc_exp", "lc_exp.ko"), os.path.join(bdir, "lc_exp.ko"))
    cases = [["# case: setup_exporter the exporter lc_imp and lc_prop_ok import from", ["insmod lc_exp.ko"]]]
    for i in range(a.cases):
        base = rng.choice(RANDOM_BASES)
        seed = rng.getrandbits(63)
        fname = "rand%02d.ko" % i
        r = subprocess.run([a.ko_mutate, "-r", str(seed), "--", os.path.join(a.mods, base, base + ".ko"),
                            os.path.join(bdir, fname)], capture_output=True, text=True)
        if r.returncode != 0:
            die("ko-mutate -r %d on %s failed: %s" % (seed, base, r.stderr.strip()))
        cases.append(["# case: rand%02d %s: ko-mutate -r %d = %s" % (i, base, seed, r.stdout.strip()),
                      ["# from: %s.ko via ko-mutate %s" % (base, r.stdout.strip()), "insmod " + fname,
                       "rmmod " + base]])
    header = ["# batch: random mutations, seed %d (kernel %s)" % (a.seed, a.ver)]
    write_steps(os.path.join(bdir, "steps"), header, cases)
    a.batches = [bdir]
    ask(a)  # drops (and notes in the steps header) a mutation the real kernel crashes on


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("ver", choices=sorted(RELEASES))
    g.add_argument("out")
    g.add_argument("--mods", required=True)
    g.add_argument("--other-mods", required=True)
    g.add_argument("--ko-mutate", required=True)
    k = sub.add_parser("ask")
    k.add_argument("ver", choices=sorted(RELEASES))
    k.add_argument("batches", nargs="+")
    k.add_argument("--oracle", required=True)
    k.add_argument("--cache", default=os.environ.get("ORACLE_CACHE", os.path.expanduser("~/.cache/modforge-oracle")))
    c = sub.add_parser("count")
    c.add_argument("out")
    r = sub.add_parser("random")
    r.add_argument("ver", choices=sorted(RELEASES))
    r.add_argument("batch")
    r.add_argument("--mods", required=True)
    r.add_argument("--ko-mutate", required=True)
    r.add_argument("--seed", type=int, required=True)
    r.add_argument("--cases", type=int, default=30)
    r.add_argument("--oracle", required=True)
    r.add_argument("--cache", default=os.environ.get("ORACLE_CACHE", os.path.expanduser("~/.cache/modforge-oracle")))
    a = p.parse_args()
    {"generate": generate, "ask": ask, "count": count, "random": random_tier}[a.cmd](a)


if __name__ == "__main__":
    main()
