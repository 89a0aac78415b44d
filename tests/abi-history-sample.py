#!/usr/bin/env python3
"""The real-kernel side of the ABI-history and flavour checks: `modforge check load`'s
results asked of the real Debian kernel under qemu (kernel-oracle.sh), and the two compared.

  abi-history-sample.py plan --check CHECK.json --out DIR [--target-modules DIR]
                        [--size N | --limit N | --per-class N | --all] [--batch-mib M]
      Picks a deterministic sample of the modules of CHECK.json (one target). Default:
      EVERY module the check refuses, then a spread of the others (those passing without
      dependencies and those passing after some, alternately, each group in the order of
      sha256(name)) up to N modules (default 220). --limit N: the first N of that order;
      --per-class N: N of each (verdict, errno, first reason's kind); --all: every module
      in the check's order. Each module is inserted after the files the check loads before
      it ("after_files", modprobe order; by name from --target-modules when it gives only
      "after"), each file once per boot, one file per module name per boot (else another
      boot), about M MiB of module files per boot (default 1024). Writes DIR/batch-K.steps
      (kernel-oracle.sh -f) and DIR/plan.json (which step is which).
  abi-history-sample.py compare --check CHECK.json --plan DIR [--label L]
      Reads DIR/batch-K.oracle.jsonl (kernel-oracle.sh run with -A KERNEL_ARGS) and
      compares each sample module's step with the check's result: one line per
      disagreement ("DISAGREE"), per module whose dependency the check expects to load but
      the guest could not ("NOT COMPARABLE"), and the counts; exit 1 on any disagreement
      (or a boot that did not finish).
  abi-history-sample.py store --plan DIR --root ROOT --out FILE   /   restore --check CHECK.json
                        --corpus FILE --root ROOT --out DIR
      A one-batch plan's kernel answers kept as JSON lines with paths relative to ROOT
      (tests/corpus/abi-history/, made by make-abi-history-corpus.sh), and a plan directory
      made again from them for compare.

How the real kernel's step is read:
  - "module_load: NAME FLAGS" (the module:module_load trace event, printed by
    tp_printk) is emitted by load_module right before it calls the module's init: the
    module passed every check of the kernel's loader; FLAGS are its taint letters.
  - rc 0: it loaded; taint: its /proc/modules flags.
  - rc != 0 after module_load: its own init failed in the guest (hardware, code the
    check does not run) -- the check must not say "loads" (init evaluated) then; its
    "init-not-evaluated" agrees.
  - rc != 0 without module_load: the loader refused it; the check must say "refused"
    with the same errno and the same lines. A check refusal whose first reason is "init"
    (init's constant return read from its code) must be an init failure with that errno.
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
# The kernel's BTF verifier on module BTF built on another vmlinux BTF: the check says it does
# not model these lines ("unmodelled" naming BTF); they are counted apart, never matched.
BTF_LINES = [re.compile(r"^BPF:"), re.compile(r"^failed to validate module \[\S+\] BTF: -?\d+$")]
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


def file_size(path):
    """About what the file takes in the guest (kernel-oracle.sh decompresses on the host)."""
    n = os.path.getsize(path)
    return n * 4 if path.endswith((".xz", ".zst", ".gz")) else n


def plan(a):
    t = load_check(a.check)
    tmods = target_modules(a.target_modules) if a.target_modules else {}
    results = t["results"]
    by_file = {os.path.abspath(r["module"]): r for r in results}
    refused = sorted((r for r in results if r["verdict"] == "refused"), key=lambda r: h(r["name"]))
    others = [r for r in results if r["verdict"] != "refused"]
    leaf = sorted((r for r in others if not r.get("after")), key=lambda r: h(r["name"]))
    deps = sorted((r for r in others if r.get("after")), key=lambda r: h(r["name"]))
    spread = []
    for i in range(max(len(leaf), len(deps))):
        spread += [x[i] for x in (leaf, deps) if i < len(x)]
    size = max(a.size, len(refused))
    chosen = refused + spread[:max(0, size - len(refused))]
    if a.per_class:  # up to N of each kind of verdict: (verdict, errno, first reason's kind)
        seen = {}
        chosen = []
        for r in refused + spread:
            f = [x.get("kind") for x in r.get("reasons") or [] if x.get("first")]
            k = (r["verdict"], r.get("errno"), f[0] if f else None)
            if seen.get(k, 0) < a.per_class:
                seen[k] = seen.get(k, 0) + 1
                chosen.append(r)
    if a.all:  # every module, in the check's order (the stored corpus' full runs)
        chosen = list(results)
    if a.limit:  # a live look at a pair whose every module the stored corpus holds
        chosen = chosen[:a.limit]
    sample_files = {os.path.abspath(r["module"]) for r in chosen}

    def closure(r):
        """The files loaded for r, in order: its dependencies as the check loads them
        ("after_files"; by name from the target's modules when it gives none), then r."""
        files = [os.path.abspath(f) for f in r.get("after_files") or []]
        if not files and r.get("after"):
            for d in r["after"]:
                if norm(d) not in tmods:
                    die("%s: dependency %s is not among the target's modules" % (r["name"], d))
                files.append(tmods[norm(d)])
        return files + [os.path.abspath(r["module"])]

    def modname(f):
        r = by_file.get(f)
        return norm(r["name"]) if r else norm(re.sub(r"\.ko(\.xz|\.zst|\.gz)?$", "", os.path.basename(f)))

    # Batches: a module's closure stays in one boot; one file per module name per boot (the
    # kernel would answer "File exists" for the second); a boot holds about budget bytes.
    budget = a.batch_mib << 20
    batches = []
    for r in chosen:
        files = closure(r)
        for b in batches:
            new = [f for f in files if f not in b["files"]]
            if any(b["names"].get(modname(f), f) != f for f in new):
                continue
            if b["bytes"] + sum(file_size(f) for f in new) > budget and b["files"]:
                continue
            break
        else:
            b = {"files": {}, "names": {}, "bytes": 0, "steps": []}
            batches.append(b)
            new = files
        for f in new:
            b["files"][f] = True
            b["names"][modname(f)] = f
            b["bytes"] += file_size(f)
            role = "sample" if f in sample_files else "dep"
            b["steps"].append({"role": role, "name": modname(f), "file": f, "module": by_file[f]["module"] if f in by_file else None})
    os.makedirs(a.out, exist_ok=True)
    out = {"check": os.path.abspath(a.check), "target": t.get("target"), "release": t.get("release"),
           "kernel_args": KERNEL_ARGS, "batches": []}
    for k, b in enumerate(batches):
        path = os.path.join(a.out, "batch-%d.steps" % k)
        with open(path, "w") as fh:
            fh.write("# abi-history-sample.py plan: %s against %s, batch %d\n" % (a.check, t.get("target"), k))
            for s in b["steps"]:
                fh.write("insmod %s\n" % s["file"])
        out["batches"].append({"steps_file": path, "oracle": os.path.join(a.out, "batch-%d.oracle.jsonl" % k),
                               "mib": b["bytes"] >> 20, "steps": b["steps"]})
    with open(os.path.join(a.out, "plan.json"), "w") as fh:
        json.dump(out, fh, indent=1)
    nref = sum(1 for r in chosen if r["verdict"] == "refused")
    nleaf = sum(1 for r in chosen if r["verdict"] != "refused" and not r.get("after"))
    print("sample of %d of %d modules: %d refused (of %d the check refuses), %d passing without dependencies,"
          " %d after some; %d boots (%s insmod steps, %s MiB)" % (
              len(chosen), len(results), nref, len(refused), nleaf, len(chosen) - nref - nleaf, len(batches),
              "+".join(str(len(b["steps"])) for b in batches), "+".join(str(b["bytes"] >> 20) for b in batches)))


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
    by_name = {}
    for r in t["results"]:
        by_name.setdefault(norm(r["name"]), r)
    skipped = []
    label = a.label + ": " if a.label else ""
    counts = {"agree": 0, "disagree": 0, "not comparable": 0, "verdict": 0, "btf": 0}
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
            failed_before = dict(dep_failed)
            if rec.get("rc") != 0:
                dep_failed[s["name"]] = rec.get("errname")
            if s["role"] == "dep":
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
            if "BTF" in (ours.get("unmodelled") or ""):
                btf = [l for l in kept if any(p.match(l) for p in BTF_LINES)]
                counts["btf"] += bool(btf)
                kept = [l for l in kept if l not in btf]
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
            # a dependency the check expects to load (it is no refusal of the check) that the
            # guest could not load: the module's verdict is then not comparable
            gone = {d: failed_before[norm(d)] for d in ours.get("after") or []
                    if norm(d) in failed_before and by_name.get(norm(d), {}).get("verdict") != "refused"}
            if gone:
                counts["not comparable"] += 1
                skipped.append("%s (%s): dependencies failed to load in the guest: %s" % (where, s["module"], gone))
                continue
            first = [x for x in ours.get("reasons") or [] if x.get("first")]
            init_refusal = v == "refused" and first and first[0].get("kind") == "init"
            if init_refusal:
                # the check read init's constant return: the kernel calls init and gets it
                if real != "init-fails" or errname != ours.get("errno"):
                    diffs.append("verdict: kernel %s (rc %s %s), ours: init returns %s" % (real, rc, errname, ours.get("errno")))
            elif v == "refused":
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
            if rec.get("file") and os.path.abspath(rec["file"]) != os.path.abspath(s["file"]):
                diffs.append("the kernel's step %s is %s, the plan's %s" % (rec.get("step"), rec["file"], s["file"]))
            if real != "refused" and (v != "refused" or init_refusal):
                flags = None
                if rc == 0 and rec.get("proc_modules"):
                    flags = rec["proc_modules"].get("taint") or ""
                elif marker:
                    flags = marker[1]
                flags = "".join(sorted((flags or "").strip("()")))
                ourt = "".join(sorted(ours.get("taints") or ""))
                if flags != ourt:
                    diffs.append("taints: kernel %r, ours %r" % (flags, ourt))
            if not any(d.startswith(("verdict", "errno", "unknown verdict")) for d in diffs):
                counts["verdict"] += 1
            key = "%s/%s" % (real if real != "init-fails" else "init-fails(%s)" % errname, v)
            if diffs:
                counts["disagree"] += 1
                bad.append("%s (%s): %s" % (where, s["module"], "; ".join(diffs)))
            else:
                counts["agree"] += 1
                kinds[key] = kinds.get(key, 0) + 1
    for l in skipped:
        print("NOT COMPARABLE " + l)
    for l in bad:
        print("DISAGREE " + l)
    n = counts["agree"] + counts["disagree"]
    print("%sreal kernel vs check: %d/%d sample modules agree (verdict and errno: %d/%d; %d with BTF verifier lines "
          "the check says it does not model), %d not comparable (%s)" % (
        label, counts["agree"], n, counts["verdict"], n, counts["btf"], counts["not comparable"],
        ", ".join("kernel %s: %d" % (k.replace("/", " / ours "), c) for k, c in sorted(kinds.items()))))
    sys.exit(1 if counts["disagree"] else 0)


def slim(r):
    """What compare reads of a kernel-oracle.sh record (the stored corpus keeps only that)."""
    if r.get("final"):
        return {k: r.get(k) for k in ("final", "kernel", "status", "steps", "steps_completed", "wall_s")}
    pm = r.get("proc_modules")
    return {"step": r.get("step"), "op": r.get("op"), "file": r.get("file"), "name": r.get("name"),
            "rc": r.get("rc"), "errname": r.get("errname"),
            "dmesg": [{"level": d.get("level"), "msg": d.get("msg")} for d in r.get("dmesg") or []],
            "proc_modules": {"taint": pm.get("taint")} if pm else None, "kernel_tainted": r.get("kernel_tainted")}


def store(a):
    """The plan's one batch and the kernel's answers, paths relative to --root, as JSON lines."""
    with open(os.path.join(a.plan, "plan.json")) as fh:
        pl = json.load(fh)
    if len(pl["batches"]) != 1:
        die("store: one batch expected")
    root = os.path.abspath(a.root)
    rel = lambda f: os.path.relpath(f, root) if f else f
    out = [json.dumps({"corpus": "abi-history/1", "label": a.label, "release": pl.get("release"),
                       "kernel_args": pl.get("kernel_args")})]
    with open(pl["batches"][0]["oracle"], encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                r = slim(json.loads(line))
                if "file" in r:
                    r["file"] = rel(r["file"])
                out.append(json.dumps(r, ensure_ascii=False))
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


def restore(a):
    """A plan directory from a stored corpus: the same steps (under --root), every module a
    sample, and the kernel's answers as batch-0.oracle.jsonl."""
    t = load_check(a.check)
    by_file = {os.path.abspath(r["module"]): r for r in t["results"]}
    root = os.path.abspath(a.root)
    with open(a.corpus, encoding="utf-8") as fh:
        recs = [json.loads(l) for l in fh if l.strip()]
    head, recs = recs[0], recs[1:]
    os.makedirs(a.out, exist_ok=True)
    oracle = os.path.join(a.out, "batch-0.oracle.jsonl")
    steps = []
    with open(oracle, "w", encoding="utf-8") as fh:
        for r in recs:
            if "file" in r:
                r["file"] = os.path.join(root, r["file"])
                f = r["file"]
                steps.append({"role": "sample" if f in by_file else "dep", "file": f,
                              "name": norm(by_file[f]["name"]) if f in by_file else r.get("name"),
                              "module": by_file[f]["module"] if f in by_file else None})
            fh.write(json.dumps(r) + "\n")
    with open(os.path.join(a.out, "plan.json"), "w") as fh:
        json.dump({"check": a.check, "release": head.get("release"), "kernel_args": head.get("kernel_args"),
                   "batches": [{"oracle": oracle, "steps": steps}]}, fh)
    missing = set(by_file) - {s["file"] for s in steps}
    if missing:
        die("the stored corpus %s has no answer for %d of the check's modules, e.g. %s"
            % (a.corpus, len(missing), sorted(missing)[0]))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("plan")
    q.add_argument("--check", required=True)
    q.add_argument("--target-modules")
    q.add_argument("--out", required=True)
    q.add_argument("--size", type=int, default=220)
    q.add_argument("--batch-mib", type=int, default=1024)
    q.add_argument("--all", action="store_true", help="every module, in the check's order")
    q.add_argument("--limit", type=int, default=0, help="at most N modules (refused ones first)")
    q.add_argument("--per-class", type=int, default=0, help="N modules of each (verdict, errno, first reason)")
    q = sub.add_parser("compare")
    q.add_argument("--check", required=True)
    q.add_argument("--plan", required=True)
    q.add_argument("--label", default="")
    q = sub.add_parser("store")
    q.add_argument("--plan", required=True)
    q.add_argument("--root", required=True)
    q.add_argument("--label", default="")
    q.add_argument("--out", required=True)
    q = sub.add_parser("restore")
    q.add_argument("--check", required=True)
    q.add_argument("--corpus", required=True)
    q.add_argument("--root", required=True)
    q.add_argument("--out", required=True)
    a = p.parse_args()
    {"plan": plan, "compare": compare, "store": store, "restore": restore}[a.cmd](a)


if __name__ == "__main__":
    main()
