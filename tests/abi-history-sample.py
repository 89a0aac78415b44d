#!/usr/bin/env python3
"""The real-kernel side of the ABI-history check: a sample of `modforge check load`'s
results asked of the real Debian kernel under qemu, and the two compared.

  abi-history-sample.py plan --check CHECK.json --target-modules DIR --out DIR
                        [--size N] [--batches N]
      Picks a deterministic sample of the modules of CHECK.json (one target): EVERY
      module the check refuses, then a spread of the others (those loading without
      dependencies and those loading after some, alternately, each group in the order
      of sha256(name)) until N modules (default 220) are in. Each module's
      dependencies ("after", in modprobe order) are loaded first, from the TARGET
      kernel's own modules under DIR (a lib/modules/<release>). Writes OUT/batch-K.steps
      (kernel-oracle.sh -f) and OUT/plan.json (which step is which).
      Within one boot a sample module is never also a dependency (of itself or of
      another sample module): the kernel would then hold the old module where the
      check means the target's, or answer "File exists"; such a module goes to another
      batch (N batches at most, default 2; a refused module that fits nowhere is an
      error, another one is left out and counted).
  abi-history-sample.py compare --check CHECK.json --plan DIR [--label L]
      Reads DIR/batch-K.oracle.jsonl (kernel-oracle.sh run with
      -A 'trace_event=module:module_load tp_printk', see KERNEL_ARGS) and compares
      each sample module's step with the check's result. Prints one line per
      disagreement and the counts; exit 1 on any disagreement (or a boot that did
      not finish).

How the real kernel's step is read:
  - "module_load: NAME FLAGS" (the module:module_load trace event, printed by
    tp_printk) is emitted by load_module right before it calls the module's init: the
    module passed every check of the kernel's loader; FLAGS are its taint letters.
  - rc 0: it loaded; taint: its /proc/modules flags.
  - rc != 0 after module_load: its own init failed in the guest (hardware, code the
    check does not run) -- the check must not say "loads" (init evaluated) then; its
    "init-not-evaluated" agrees.
  - rc != 0 without module_load: the loader refused it; the check must say "refused"
    with the same errno and the same lines.
  - the log: the kernel's lines of the step, minus boot noise (NOISE), the trace line,
    and what the module's own code prints (a line is the loader's when it has the form
    of a line of kernel/module/ or arch/x86/kernel/module.c, LOADER below, or when the
    check printed it). Lines printed with pr_*_once (ONCE) appear in the first step of
    the boot that hits them only: the check (one module at a time) prints them for
    every module, so such a line missing from a later step is expected when the boot
    printed it before.
"""
import argparse
import hashlib
import json
import os
import re
import sys

KERNEL_ARGS = "trace_event=module:module_load tp_printk"
NOISE = [re.compile(p) for p in (
    r"^tsc: ", r"^clocksource: ", r"^sched_clock: ", r"^random: ", r"^hrtimer: interrupt took ",
    r"^perf: interrupt took too long", r"^workqueue: .* hogged CPU", r"^rcu: ",
)]
TRACE = re.compile(r"^(?:.*\s)?module_load: (\S+) ?(\S*)\s*$")
# The forms of the lines the kernel's loader prints (kernel/module/*.c, kernel/params.c,
# arch/x86/kernel/module.c, kernel/bpf/btf.c for a module's BTF) in 6.1 and 6.12.
LOADER = [re.compile(p) for p in (
    r"^\S+: disagrees about version of symbol \S+$",
    r"^\S+: no symbol version for \S+$",
    r"^\S+: Unknown symbol \S+ \(err -?\d+\)$",
    r"^\S+: exports duplicate symbol \S+ \(owned by \S+\)$",
    r"^\S+: module license '.*' taints kernel\.$",
    r"^\S+: module license taints kernel\.$",
    r"^\S+: loading out-of-tree module taints kernel\.$",
    r"^\S+: module is from the staging directory, the quality is unknown, you have been warned\.$",
    r"^\S+: module verification failed: signature and/or required key missing - tainting kernel$",
    r"^\S+: version magic '.*' should be '.*'$",
    r"^\S+: \.gnu\.linkonce\.this_module section size must match the kernel's built struct module size at run time$",
    r"^\S+: Unknown parameter `.*'$",
    r"^\S+: (?:Unknown (?:rela )?relocation|module has no symbols|please compile with -fno-common)",
    r"^module \S+: ",
    r"^Module len \d+ truncated$",
    r"^Module \S+ is blacklisted$",
    r"^\S+: module is already loaded$",
    r"^\S+: (?:overflow in relocation|Invalid relocation|x86/modules: )",
    r"^Disabling lock debugging due to kernel taint$",
    r"^BPF:", r"^failed to validate module \[\S+\] BTF: -?\d+$",
    r"^\S+: (?:module using GPL-only symbols|Can't find module)",
)]
ONCE = [re.compile(r"^\S+: module verification failed: signature and/or required key missing - tainting kernel$"),
        re.compile(r"^Disabling lock debugging due to kernel taint$")]
ERRNO = {"EPERM": 1, "ENOENT": 2, "EIO": 5, "ENXIO": 6, "ENOEXEC": 8, "EAGAIN": 11, "ENOMEM": 12,
         "EFAULT": 14, "EBUSY": 16, "EEXIST": 17, "ENODEV": 19, "EINVAL": 22, "ENOSPC": 28,
         "ENOSYS": 38, "ENODATA": 61, "ETIME": 62, "EBADMSG": 74, "EOPNOTSUPP": 95,
         "ETIMEDOUT": 110, "EKEYREJECTED": 129, "ENOKEY": 126}


def die(msg):
    sys.exit("abi-history-sample: " + msg)


def norm(name):
    return name.replace("-", "_")


def load_check(path):
    with open(path) as fh:
        doc = json.load(fh)
    if doc.get("schema") != "modforge-check-load/1":
        die("%s: schema %r, expected modforge-check-load/1" % (path, doc.get("schema")))
    if len(doc.get("targets", [])) != 1:
        die("%s: expected one target, found %d" % (path, len(doc.get("targets", []))))
    return doc["targets"][0]


def target_modules(d):
    """name -> path of every module file under the target's lib/modules/<release>."""
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            m = re.match(r"^(.*)\.ko(?:\.xz|\.zst|\.gz)?$", f)
            if m:
                n = norm(m.group(1))
                if n in out:
                    die("two target modules named %s: %s, %s" % (n, out[n], os.path.join(root, f)))
                out[n] = os.path.join(root, f)
    return out


def h(name):
    return hashlib.sha256(name.encode()).hexdigest()


def plan(a):
    t = load_check(a.check)
    tmods = target_modules(a.target_modules)
    results = t["results"]
    by_name = {}
    for r in results:
        by_name.setdefault(norm(r["name"]), r)
    refused = sorted((r for r in results if r["verdict"] == "refused"), key=lambda r: h(r["name"]))
    others = [r for r in results if r["verdict"] != "refused"]
    leaf = sorted((r for r in others if not r.get("after")), key=lambda r: h(r["name"]))
    deps = sorted((r for r in others if r.get("after")), key=lambda r: h(r["name"]))
    order = list(refused)
    spread = []
    for i in range(max(len(leaf), len(deps))):
        spread += [x[i] for x in (leaf, deps) if i < len(x)]
    batches = [{"samples": set(), "loaded": set(), "steps": []} for _ in range(a.batches)]
    picked = left_out = 0
    missing_dep = []

    def place(r):
        n = norm(r["name"])
        after = [norm(d) for d in r.get("after") or []]
        for d in after:
            if d not in tmods:
                missing_dep.append((r["name"], d))
                return False
        for b in batches:
            if n in b["loaded"] or any(d in b["samples"] for d in after):
                continue
            for d in after:
                if d not in b["loaded"]:
                    b["steps"].append({"role": "dep", "name": d, "file": tmods[d], "for": r["name"]})
                    b["loaded"].add(d)
            b["steps"].append({"role": "sample", "name": r["name"], "file": os.path.abspath(r["module"]),
                               "module": r["module"]})
            b["samples"].add(n)
            b["loaded"].add(n)
            return True
        return False

    for r in order:
        if not place(r):
            die("refused module %s fits in no batch (dependency missing from the target: %s)"
                % (r["name"], [d for m, d in missing_dep if m == r["name"]]))
        picked += 1
    for r in spread:
        if picked >= max(a.size, len(refused)):
            break
        if place(r):
            picked += 1
        else:
            left_out += 1
    os.makedirs(a.out, exist_ok=True)
    out = {"check": os.path.abspath(a.check), "target": t.get("target"), "release": t.get("release"),
           "kernel_args": KERNEL_ARGS, "batches": []}
    for k, b in enumerate(batches):
        if not b["steps"]:
            continue
        path = os.path.join(a.out, "batch-%d.steps" % k)
        with open(path, "w") as fh:
            fh.write("# abi-history-sample.py plan: %s against %s, batch %d\n" % (a.check, t.get("target"), k))
            for s in b["steps"]:
                fh.write("insmod %s\n" % s["file"])
        out["batches"].append({"steps_file": path, "oracle": os.path.join(a.out, "batch-%d.oracle.jsonl" % k),
                               "steps": b["steps"]})
    with open(os.path.join(a.out, "plan.json"), "w") as fh:
        json.dump(out, fh, indent=1)
    nsteps = sum(len(b["steps"]) for b in out["batches"])
    nref = len(refused)
    nleaf = sum(1 for b in out["batches"] for s in b["steps"] if s["role"] == "sample"
                and not by_name[norm(s["name"])].get("after"))
    print("sample of %d modules (%d refused, i.e. every one; %d loading without dependencies, %d after some)"
          " in %d batches, %d insmod steps; %d left out (would conflict within a boot)"
          % (picked, nref, nleaf - sum(1 for r in refused if not r.get("after")),
             picked - nleaf - sum(1 for r in refused if r.get("after")), len(out["batches"]), nsteps, left_out))


def real_lines(rec):
    lines, marker = [], None
    for d in rec.get("dmesg") or []:
        msg = d.get("msg", "").replace("\r", "")
        if any(p.search(msg) for p in NOISE):
            continue
        m = TRACE.match(msg)
        if m:
            marker = (m.group(1), m.group(2))
            continue
        lines.append(msg)
    return lines, marker


def compare(a):
    t = load_check(a.check)
    with open(os.path.join(a.plan, "plan.json")) as fh:
        pl = json.load(fh)
    by_module = {r["module"]: r for r in t["results"]}
    label = a.label + ": " if a.label else ""
    counts = {"agree": 0, "disagree": 0}
    kinds = {}
    bad = []
    for bi, b in enumerate(pl["batches"]):
        recs = []
        final = None
        if not os.path.exists(b["oracle"]):
            die("%s missing (the boot was not run)" % b["oracle"])
        with open(b["oracle"], encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    if r.get("final"):
                        final = r
                    else:
                        recs.append(r)
        if final is None or final.get("status") != "ok" or len(recs) != len(b["steps"]):
            bad.append("%sbatch %d: the boot did not finish (%s, %d of %d steps)"
                       % (label, bi, final and final.get("status"), len(recs), len(b["steps"])))
            counts["disagree"] += 1
            continue
        once_seen = set()
        dep_failed = {}
        for s, rec in zip(b["steps"], recs):
            lines, marker = real_lines(rec)
            if s["role"] == "dep":
                if rec.get("rc") != 0:
                    dep_failed[s["name"]] = rec.get("errname")
                for l in lines:
                    for k, p in enumerate(ONCE):
                        if p.match(l):
                            once_seen.add(k)
                continue
            ours = by_module.get(s["module"])
            where = "%s%s" % (label, s["name"])
            diffs = []
            if ours is None:
                bad.append("%s: not in the check's results" % where)
                counts["disagree"] += 1
                continue
            rc, errname = rec.get("rc"), rec.get("errname") or None
            if rc == 0:
                real = "loads"
            elif marker:
                real = "init-fails"
            else:
                real = "refused"
            v = ours["verdict"]
            our_log = list(ours.get("log") or [])
            # the kernel's loader lines: its forms, or lines the check printed too
            kept = [l for l in lines if l in our_log or any(p.match(l) for p in LOADER)]
            # a pr_*_once line the boot printed before is not printed again
            once_here = set()
            for l in kept:
                for k, p in enumerate(ONCE):
                    if p.match(l):
                        once_here.add(k)
            cmp_ours = []
            for l in our_log:
                ks = [k for k, p in enumerate(ONCE) if p.match(l)]
                if ks and ks[0] in once_seen and ks[0] not in once_here:
                    continue
                cmp_ours.append(l)
            once_seen |= once_here
            if dep_failed and any(d in dep_failed for d in (ours.get("after") or [])):
                diffs.append("a dependency failed to load in the guest: %s" % dep_failed)
            if v == "refused":
                if real != "refused":
                    diffs.append("verdict: kernel %s (rc %s %s), ours refused (%s)" % (real, rc, errname, ours.get("errno")))
                elif errname != ours.get("errno"):
                    diffs.append("errno: kernel %s, ours %s" % (errname, ours.get("errno")))
            elif v in ("loads", "loads-with-taints"):
                if real != "loads":
                    diffs.append("verdict: kernel %s (%s), ours %s" % (real, errname, v))
            elif v == "init-not-evaluated":
                if real == "refused":
                    diffs.append("verdict: kernel refused (%s), ours init-not-evaluated" % errname)
            else:
                diffs.append("unknown verdict %r" % v)
            if kept != cmp_ours:
                diffs.append("log: kernel %s, ours %s" % (json.dumps(kept), json.dumps(cmp_ours)))
            if real != "refused" and v != "refused":
                flags = None
                if rc == 0 and rec.get("proc_modules"):
                    flags = rec["proc_modules"].get("taint") or ""
                elif marker:
                    flags = marker[1]
                flags = "".join(sorted((flags or "").strip("()")))
                ourt = "".join(sorted(ours.get("taints") or []))
                if flags != ourt:
                    diffs.append("taints: kernel %r, ours %r" % (flags, ourt))
            key = "%s/%s" % (real if real != "init-fails" else "init-fails(%s)" % errname, v)
            if diffs:
                counts["disagree"] += 1
                bad.append("%s (%s): %s" % (where, s["module"], "; ".join(diffs)))
            else:
                counts["agree"] += 1
                kinds[key] = kinds.get(key, 0) + 1
    for l in bad:
        print("DISAGREE " + l)
    n = counts["agree"] + counts["disagree"]
    print("%sreal kernel vs check: %d/%d sample modules agree (%s)" % (
        label, counts["agree"], n, ", ".join("kernel %s: %d" % (k.replace("/", " / ours "), c) for k, c in sorted(kinds.items()))))
    sys.exit(1 if counts["disagree"] else 0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("plan")
    q.add_argument("--check", required=True)
    q.add_argument("--target-modules", required=True)
    q.add_argument("--out", required=True)
    q.add_argument("--size", type=int, default=220)
    q.add_argument("--batches", type=int, default=2)
    q = sub.add_parser("compare")
    q.add_argument("--check", required=True)
    q.add_argument("--plan", required=True)
    q.add_argument("--label", default="")
    a = p.parse_args()
    plan(a) if a.cmd == "plan" else compare(a)


if __name__ == "__main__":
    main()
