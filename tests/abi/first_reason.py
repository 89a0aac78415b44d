#!/usr/bin/env python3
"""`modforge check load` against what the real kernel answered, step by step.

    first_reason.py [--independent] [--arg ARG]... MODFORGE TARGET MODULES_DIR BATCH_DIR [BATCH_DIR ...]

Each BATCH_DIR holds `oracle.jsonl` (kernel-oracle.sh's records of one boot: insmod and
rmmod steps in order) and the module files its steps name (by base name).  A step is
comparable when it is an insmod without parameters into a kernel with no module loaded
(tracked from the records: what loaded and was removed), since `check load` answers for
a freshly booted kernel with the modules a module needs loaded first.  For each such step
the module is checked alone; its verdict must agree with the real kernel:
  - real success: ours loads (with or without taints, or "init not evaluated");
  - real refusal with errno E: ours is refused with E, and the kernel line our first
    reason quotes is one of the lines the real kernel printed for that step; or ours is
    "init not evaluated" (every load check passed: the refusal came from the module's
    own init, which the emulator does not run) — counted and listed apart.
A module ours loads only after others (`after`) is not comparable (the real boot had none
loaded) and is counted apart.  Exit 1 on any disagreement or when nothing was compared.
"""
import json
import os
import re
import subprocess
import sys

# Addresses differ from boot to boot (KASLR): the line is the same without them.
RELOC_VAL = re.compile(r"((?:existing value is nonzero for type \d+, loc \(____ptrval____\), val|"
                       r"overflow in relocation type \d+ val) )(?:0x)?[0-9a-f]+")


def norm(line):
    return RELOC_VAL.sub(r"\1<addr>", line)


def records(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                if not r.get("final"):
                    yield r


def main():
    argv, independent, extra = sys.argv[1:], False, []
    while argv and argv[0].startswith("--"):
        if argv[0] == "--independent":
            independent, argv = True, argv[1:]
        elif argv[0] == "--arg" and len(argv) > 1:
            extra, argv = extra + [argv[1]], argv[2:]
        else:
            break
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    modforge, target, modules_dir, batches = argv[0], argv[1], argv[2], argv[3:]
    same = init_apart = needs_apart = 0
    bad = []
    for b in batches:
        loaded = set()
        steps = [l.split(None, 1) for l in open(os.path.join(b, "steps")) if l.strip() and not l.startswith("#")]
        for r in records(os.path.join(b, "oracle.jsonl")):
            name, err = r.get("name"), r.get("errno") or 0
            ok = r.get("rc") == 0
            if r["op"] == "rmmod":
                if ok:
                    loaded.discard(name)
                continue
            comparable = (independent or not loaded) and not (r.get("params") or "").strip() and r.get("status") == "ok"
            if ok and name:
                loaded.add(name)
            if not comparable:
                continue
            # the steps file names the module: a file of the batch, or shipped:<path in MODULES_DIR>
            arg = steps[r["step"] - 1][1].split()[0] if r["step"] <= len(steps) else os.path.basename(r["file"])
            f = os.path.join(modules_dir, arg[8:]) if arg.startswith("shipped:") else os.path.join(b, os.path.basename(r["file"]))
            out = subprocess.run([modforge, "check", "load", f, "--kernel", target, "--modules", modules_dir,
                                  "-f", "json", "-j", "1", *extra], capture_output=True, text=True)
            if out.returncode not in (0, 1):
                bad.append(f"{b}: step {r['step']} {os.path.basename(f)}: check load exited {out.returncode}: {out.stderr.strip()}")
                continue
            res = json.loads(out.stdout)["targets"][0]["results"][0]
            label = f"{os.path.basename(b.rstrip('/'))} step {r['step']} {os.path.basename(f)}"
            lines = [norm(d["msg"]) for d in r.get("dmesg") or []]
            if res["after"]:
                needs_apart += 1
                continue
            ours = res["errno_value"]
            if err == 0:
                if ours == 0:
                    same += 1
                else:
                    bad.append(f"{label}: real loads; ours refused {res['errno']}: {res['reasons'][0]['message']}")
                continue
            if ours == 0 and res["verdict"] == "init-not-evaluated":
                init_apart += 1
                print(f"  init apart: {label}: real {r.get('errname')}; ours passes every load check, init not evaluated")
                continue
            first = next((x for x in res["reasons"] if x.get("first")), None)
            if ours != err:
                bad.append(f"{label}: real {r.get('errname')} {lines}; ours {res['errno']}: "
                           f"{first['message'] if first else res['verdict']}")
            elif first and first.get("kernel_line") and norm(first["kernel_line"]) not in lines:
                bad.append(f"{label}: {r.get('errname')} both, but our first reason's line "
                           f"'{first['kernel_line']}' is not among the real kernel's {lines}")
            else:
                same += 1
    for x in bad:
        print("MISMATCH " + x)
    total = same + len(bad)
    print(f"check load vs real kernel: {same}/{total} comparable steps agree; {init_apart} refused by init under qemu "
          f"(ours: init not evaluated); {needs_apart} need other modules first (not comparable)")
    return 0 if not bad and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
