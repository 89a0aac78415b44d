#!/usr/bin/env python3
"""Driver of bench/genksyms-bench.sh (see its header for the user-level usage).

Runs our genksyms and the real one of the same kernel version over every case
of a golden corpus (<version>/<case>/{input.i,args,stdout,stderr,exit,symtypes}),
checks that both produce the same output, times them interleaved
(ours, real, ours, real, ...) for N rounds and prints per-version and overall
figures plus a summary block.

Each run goes through the C helper bench/measure.c (`--runner`), which forks
the program from a tiny process and reports wall time, CPU time and peak RSS
from wait4().  Without a runner a pure-Python fallback is used; its peak RSS
figures are then floored at the Python interpreter's own RSS (Linux carries
the pre-exec address space's high-water mark into ru_maxrss) and are flagged.

Exit status: 0 all outputs matched and targets met; 1 some output differed
(the figures are printed but meaningless); 2 outputs matched but a target
(time <= 0.5 x real, peak RSS <= real) was missed; 3 usage or setup error.
"""
import argparse
import hashlib
import os
import platform
import re
import statistics
import subprocess
import sys
import time

TIME_TARGET = 0.5


def die(msg):
    sys.stderr.write(f"measure.py: {msg}\n")
    sys.exit(3)


class Case:
    def __init__(self, version, name, path):
        self.version = version
        self.name = name
        self.path = path
        self.input = os.path.join(path, "input.i")
        with open(os.path.join(path, "args")) as f:
            self.args = [line.rstrip("\n") for line in f if line.rstrip("\n") != ""]
        self.has_symtypes = "@SYMTYPES@" in self.args
        self.size = os.path.getsize(self.input)
        # timings[(mode, tool)] -> list of (wall_s, cpu_s, maxrss_kb)
        self.timings = {}

    def argv(self, prog, symtypes):
        return [prog] + [symtypes if a == "@SYMTYPES@" else a for a in self.args]

    def recorded(self, what):
        p = os.path.join(self.path, what)
        if not os.path.exists(p):
            return None
        with open(p, "rb") as f:
            return f.read()


def find_cases(roots, versions, case_re):
    """roots: directories that are either a corpus root (holding <version>/)
    or a version directory (holding <case>/input.i)."""
    found = {}
    for root in roots:
        root = os.path.abspath(root)
        if not os.path.isdir(root):
            die(f"{root}: not a directory")
        subdirs = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        if any(os.path.exists(os.path.join(root, d, "input.i")) for d in subdirs):
            vdirs = [(os.path.basename(root), root)]
        else:
            vdirs = [(d, os.path.join(root, d)) for d in subdirs]
        for ver, vdir in vdirs:
            if versions and ver not in versions:
                continue
            for c in sorted(os.listdir(vdir)):
                cdir = os.path.join(vdir, c)
                if not os.path.exists(os.path.join(cdir, "input.i")):
                    continue
                if case_re and not re.search(case_re, c):
                    continue
                key = (ver, c)
                if key in found:
                    sys.stderr.write(f"measure.py: {ver}/{c} given twice; keeping {found[key].path}\n")
                    continue
                found[key] = Case(ver, c, cdir)
    by_ver = {}
    for (ver, _), case in sorted(found.items(), key=lambda kv: (version_key(kv[0][0]), kv[0][1])):
        by_ver.setdefault(ver, []).append(case)
    return by_ver


def version_key(v):
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"[.]", v))


class Runner:
    def __init__(self, runner, tmp):
        self.runner = runner
        self.tmp = tmp

    def run(self, tool, mode, case, prog, env):
        """Runs prog on case; returns (wall_s, cpu_s, maxrss_kb, status, files)."""
        base = os.path.join(self.tmp, tool)
        out, err, sym = base + ".stdout", base + ".stderr", base + ".symtypes"
        if os.path.exists(sym):
            os.unlink(sym)
        argv = case.argv(prog, sym)
        if self.runner:
            cmd = [self.runner] + (["--pipe"] if mode == "pipe" else []) + [case.input, out, err] + argv
            p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if p.returncode != 0:
                die(f"runner failed ({p.returncode}): {p.stderr.decode(errors='replace').strip()}")
            wall_ns, user_us, sys_us, rss, status = (int(x) for x in p.stdout.split())
            wall, cpu = wall_ns / 1e9, (user_us + sys_us) / 1e6
        else:
            wall, cpu, rss, status = self._run_python(mode, case, argv, out, err, env)
        return wall, cpu, rss, status, (out, err, sym)

    @staticmethod
    def _run_python(mode, case, argv, out, err, env):
        fo = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        fe = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        feeder = None
        if mode == "pipe":
            feeder = subprocess.Popen(["cat", case.input], stdout=subprocess.PIPE)
            fi = feeder.stdout.fileno()
        else:
            fi = os.open(case.input, os.O_RDONLY)
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, fi, 0), (os.POSIX_SPAWN_DUP2, fo, 1), (os.POSIX_SPAWN_DUP2, fe, 2)])
        _, st, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        for fd in (fo, fe):
            os.close(fd)
        if feeder:
            feeder.stdout.close()
            feeder.wait()
        else:
            os.close(fi)
        status = os.waitstatus_to_exitcode(st)
        if status < 0:
            status = 128 - status
        return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, status


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def digest(data):
    return None if data is None else hashlib.sha256(data).hexdigest()


def first_diff(a, b):
    """Short description of where two byte strings first differ (by line)."""
    if a is None or b is None:
        return "missing" if a is None else "missing (real)"
    al, bl = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return f"line {i + 1}: ours {x[:100]!r} real {y[:100]!r}"
    return f"ours {len(al)} lines, real {len(bl)} lines"


def fmt_s(x):
    return f"{x:.3f}s"


def fmt_kb(kb):
    return f"{kb / 1024:.1f} MiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", required=True, help="corpus root or version dir (repeatable)")
    ap.add_argument("--ours", required=True)
    ap.add_argument("--real", action="append", default=[], metavar="VER=PATH", help="real genksyms per version")
    ap.add_argument("--runner", help="compiled bench/measure.c; pure-Python fallback without it")
    ap.add_argument("--tmp", required=True, help="scratch directory for outputs")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mode", choices=["file", "pipe", "both"], default="file")
    ap.add_argument("--versions", help="comma-separated versions to run (default: all found)")
    ap.add_argument("--cases", help="regex on case names")
    ap.add_argument("--csv", help="write per-case figures here")
    ap.add_argument("--label", default="", help="free text for the summary (e.g. commit)")
    ap.add_argument("--command", default="", help="the command line, echoed in the summary")
    a = ap.parse_args()
    if a.rounds < 1:
        die("--rounds must be >= 1")

    reals = {}
    for r in a.real:
        v, _, p = r.partition("=")
        reals[v] = p
    versions = a.versions.split(",") if a.versions else None
    by_ver = find_cases(a.corpus, versions, a.cases)
    if not by_ver:
        die("no cases found (expected <version>/<case>/input.i under " + ", ".join(a.corpus) + ")")
    for v in by_ver:
        if v not in reals or not os.access(reals[v], os.X_OK):
            die(f"no real genksyms for version {v} (pass --real {v}=PATH)")
    if not os.access(a.ours, os.X_OK):
        die(f"{a.ours}: not executable")
    modes = ["file", "pipe"] if a.mode == "both" else [a.mode]
    runner = Runner(a.runner, a.tmp)
    base_env = dict(os.environ)

    def env_for(tool, ver):
        e = dict(base_env)
        if tool == "ours":
            e["MODFORGE_KERNEL"] = ver
        return e

    def prog_for(tool, ver):
        return a.ours if tool == "ours" else reals[ver]

    ncases = sum(len(c) for c in by_ver.values())
    print(f"genksyms bench: {ncases} cases in {len(by_ver)} version(s) "
          f"({', '.join(f'{v}: {len(c)}' for v, c in by_ver.items())}), "
          f"{a.rounds} round(s), stdin mode(s): {', '.join(modes)}", flush=True)
    if not a.runner:
        print("WARNING: no C runner; peak RSS figures are floored at the Python interpreter's RSS", flush=True)

    def fingerprint(path):
        st = os.stat(path)
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    binaries = [a.ours] + [reals[v] for v in by_ver]
    prints0 = {b: fingerprint(b) for b in binaries}
    load0 = loadavg()
    # ---- pass 0: correctness (also warms the page cache) -------------------------
    mismatches = []        # ours vs real: stdout / symtypes           (fatal)
    side_mismatches = []   # ours vs real: exit code / stderr          (reported)
    golden_diffs = []      # real vs recorded corpus                   (reported)
    ref = {}               # (ver, case, tool) -> (digest stdout, digest symtypes) in pass 0
    t_start = time.time()
    for ver, cases in by_ver.items():
        for c in cases:
            res = {}
            for tool in ("real", "ours"):
                _, _, _, status, (out, err, sym) = runner.run(tool, modes[0], c, prog_for(tool, ver), env_for(tool, ver))
                res[tool] = (status, read(out), read(err), read(sym) if c.has_symtypes else None)
            (rs, ro, re_, rt), (os_, oo, oe, ot) = res["real"], res["ours"]
            ref[(ver, c.name, "real")] = (digest(ro), digest(rt))
            ref[(ver, c.name, "ours")] = (digest(oo), digest(ot))
            tag = f"{ver}/{c.name}"
            if oo != ro:
                mismatches.append(f"{tag}: stdout differs: {first_diff(oo, ro)}")
            if c.has_symtypes and ot != rt:
                mismatches.append(f"{tag}: -T output differs: {first_diff(ot, rt)}")
            if os_ != rs:
                side_mismatches.append(f"{tag}: exit ours {os_} real {rs}")
            if oe != re_:
                side_mismatches.append(f"{tag}: stderr differs: {first_diff(oe, re_)}")
            gexit = c.recorded("exit")
            for what, got, want in (("stdout", ro, c.recorded("stdout")),
                                    ("symtypes", rt if c.has_symtypes else None,
                                     c.recorded("symtypes") if c.has_symtypes else None),
                                    ("stderr", re_, c.recorded("stderr"))):
                if want is not None and got != want:
                    golden_diffs.append(f"{tag}: real {what} differs from the recorded one")
            if gexit is not None and gexit.strip() and int(gexit.strip()) != rs:
                golden_diffs.append(f"{tag}: real exit {rs}, recorded {gexit.strip().decode()}")
    print(f"correctness pass: {ncases} cases in {time.time() - t_start:.0f}s: "
          f"{len(mismatches)} stdout/-T mismatch(es), {len(side_mismatches)} exit/stderr difference(s), "
          f"{len(golden_diffs)} real-vs-recorded difference(s)", flush=True)
    for m in mismatches[:50]:
        print("  MISMATCH " + m)
    if len(mismatches) > 50:
        print(f"  ... and {len(mismatches) - 50} more")
    for m in side_mismatches[:20]:
        print("  DIFF " + m)
    for m in golden_diffs[:20]:
        print("  GOLDEN " + m)

    # ---- timed rounds: ours, real, ours, real, ... -------------------------------
    unstable = []
    for rnd in range(a.rounds):
        t0 = time.time()
        for ver, cases in by_ver.items():
            for c in cases:
                for mode in modes:
                    for tool in ("ours", "real"):
                        wall, cpu, rss, status, (out, _, sym) = runner.run(
                            tool, mode, c, prog_for(tool, ver), env_for(tool, ver))
                        c.timings.setdefault((mode, tool), []).append((wall, cpu, rss))
                        d = (digest(read(out)), digest(read(sym)) if c.has_symtypes else None)
                        want = ref[(ver, c.name, tool)]
                        if d != want:
                            what = " and ".join(n for n, x, y in (("stdout", d[0], want[0]), ("-T output", d[1], want[1]))
                                                if x != y)
                            unstable.append(f"{ver}/{c.name} round {rnd + 1} stdin={mode} {tool}: {what} "
                                            f"differs from the checking pass (exit {status})")
        print(f"round {rnd + 1}/{a.rounds}: {time.time() - t0:.0f}s", flush=True)
    for m in unstable[:20]:
        print("  UNSTABLE " + m)
    mismatches += unstable

    load1 = loadavg()
    changed = [b for b in binaries if fingerprint(b) != prints0[b]]
    for b in changed:
        print(f"WARNING: {b} was replaced during the run (rebuilt?): the figures mix two binaries; rerun", flush=True)
    try:
        busy = max(float(load0.split()[0]), float(load1.split()[0])) > 0.75 * (os.cpu_count() or 1)
    except (ValueError, IndexError):
        busy = False
    if busy:
        print(f"WARNING: the machine was busy (load average {load0} / {load1} on {os.cpu_count()} CPUs): "
              "wall times are noisy; rerun on an idle machine for figures to quote", flush=True)

    # ---- figures --------------------------------------------------------------
    def stats(cases, mode):
        per = []
        for c in cases:
            o, r = c.timings[(mode, "ours")], c.timings[(mode, "real")]
            ow = statistics.median(x[0] for x in o)
            rw = statistics.median(x[0] for x in r)
            oc = statistics.median(x[1] for x in o)
            rc = statistics.median(x[1] for x in r)
            orss = max(x[2] for x in o)
            rrss = max(x[2] for x in r)
            per.append((c, ow, rw, oc, rc, orss, rrss))
        ot = sum(p[1] for p in per)
        rt = sum(p[2] for p in per)
        ratios = [p[1] / p[2] for p in per if p[2] > 0]
        worst = max(per, key=lambda p: p[1] / p[2] if p[2] > 0 else 0)
        return {
            "n": len(per), "ours": ot, "real": rt, "ratio": ot / rt if rt else float("nan"),
            "med": statistics.median(ratios) if ratios else float("nan"),
            "worst": (worst[1] / worst[2], worst[0]),
            "ocpu": sum(p[3] for p in per), "rcpu": sum(p[4] for p in per),
            "orss": max(p[5] for p in per), "rrss": max(p[6] for p in per),
            "rss_worse": sum(1 for p in per if p[5] > p[6]),
            "rss_med": statistics.median(p[5] / p[6] for p in per),
            "per": per,
        }

    if a.csv:
        with open(a.csv, "w") as f:
            f.write("version,case,mode,input_bytes,ours_wall_s,real_wall_s,ratio,ours_cpu_s,real_cpu_s,"
                    "ours_maxrss_kb,real_maxrss_kb\n")
            for ver, cases in by_ver.items():
                for mode in modes:
                    for c, ow, rw, oc, rc, orss, rrss in stats(cases, mode)["per"]:
                        f.write(f"{ver},{c.name},{mode},{c.size},{ow:.6f},{rw:.6f},{ow / rw:.4f},"
                                f"{oc:.6f},{rc:.6f},{orss},{rrss}\n")

    rows = []
    groups = [(ver, cases) for ver, cases in by_ver.items()]
    if len(groups) > 1:
        groups.append(("all", [c for cs in by_ver.values() for c in cs]))
    print()
    for ver, cases in groups:
        for mode in modes:
            s = stats(cases, mode)
            rows.append((ver, mode, s))
            wr, wc = s["worst"]
            print(f"[{ver} / stdin={mode}] {s['n']} cases, {sum(c.size for c in cases) / 1e6:.0f} MB input")
            print(f"  wall  total ours {fmt_s(s['ours'])}  real {fmt_s(s['real'])}  "
                  f"ratio of totals {s['ratio']:.3f}  median per-case ratio {s['med']:.3f}  "
                  f"worst {wr:.3f} ({wc.version}/{wc.name})")
            print(f"  cpu   total ours {fmt_s(s['ocpu'])}  real {fmt_s(s['rcpu'])}  "
                  f"ratio {s['ocpu'] / s['rcpu']:.3f}")
            print(f"  peak RSS  ours {fmt_kb(s['orss'])}  real {fmt_kb(s['rrss'])}  "
                  f"median per-case ratio {s['rss_med']:.3f}  cases where ours > real: {s['rss_worse']}")

    time_ok = all(s["ratio"] <= TIME_TARGET for _, _, s in rows)
    mem_ok = all(s["orss"] <= s["rrss"] for _, _, s in rows)
    mem_strict = all(s["rss_worse"] == 0 for _, _, s in rows)

    # ---- summary block ----------------------------------------------------------
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    print()
    print("----- genksyms benchmark summary (paste me) -----")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  host: {platform.node()}, {os.cpu_count()} CPUs, {cpu}")
    if a.label:
        print(f"ours: {a.label}")
    for v in by_ver:
        print(f"real {v}: {reals[v]}")
    print(f"method: per case, ours and real run alternately, {a.rounds} round(s) after a checking pass; "
          f"per-case time = median of rounds, RSS = max; stdin "
          + ("a regular file" if modes == ["file"] else "a pipe" if modes == ["pipe"] else "a regular file / a pipe")
          + ("" if a.runner else "; RSS from Python fallback (floored)"))
    print(f"load average: {load0} at start, {load1} at end"
          + (" -- BUSY MACHINE: wall times are inflated and noisy, compare the cpu ratio too" if busy else ""))
    hdr = (f"{'version':8} {'stdin':5} {'cases':>5} {'ours s':>9} {'real s':>9} {'ratio':>6} {'med':>6} {'worst':>6}"
           f" {'cpu':>6} {'ours RSS':>10} {'real RSS':>10} {'RSS>':>4}")
    print(hdr)
    for ver, mode, s in rows:
        print(f"{ver:8} {mode:5} {s['n']:>5} {s['ours']:>9.3f} {s['real']:>9.3f} {s['ratio']:>6.3f} "
              f"{s['med']:>6.3f} {s['worst'][0]:>6.3f} {s['ocpu'] / s['rcpu']:>6.3f} "
              f"{fmt_kb(s['orss']):>10} {fmt_kb(s['rrss']):>10} {s['rss_worse']:>4}")
    print("(ours s / real s = total wall time over the cases; ratio = ours / real of those totals;"
          " med / worst = median / max per-case wall ratio; cpu = ours / real total user+sys time;"
          " RSS = max peak RSS over the cases; RSS> = cases where ours peaked higher than real)")
    print(f"output check: {len(mismatches)} stdout/-T mismatch(es) vs real, "
          f"{len(side_mismatches)} exit/stderr difference(s), {len(golden_diffs)} real-vs-recorded difference(s)")
    print(f"target time <= {TIME_TARGET} x real (ratio of totals): {'PASS' if time_ok else 'FAIL'}; "
          f"peak RSS <= real (max over cases): {'PASS' if mem_ok else 'FAIL'}"
          f" (per case: {'PASS' if mem_strict else 'some higher'})")
    if changed:
        print(f"WARNING: binary replaced during the run: {', '.join(changed)}")
    if a.command:
        print(f"command: {a.command}")
    print("-------------------------------------------------")
    if mismatches:
        print("NOTE: outputs differ from the real tool: these figures are not meaningful.")
        return 1
    return 0 if time_ok and mem_ok else 2


if __name__ == "__main__":
    sys.exit(main())
