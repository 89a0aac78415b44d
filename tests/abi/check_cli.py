#!/usr/bin/env python3
"""`modforge check load`'s command line: exit codes, the four formats agreeing with each
other, -o, directories and compressed modules, and bad input (one line naming the file,
exit 2, no output file).  Verdicts themselves are checked against the real kernel by
first_reason.py and the qemu tiers; here only the command's contract.

    check_cli.py MODFORGE
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CACHE = os.environ.get("ORACLE_CACHE", os.path.expanduser("~/.cache/modforge-oracle"))
R61, R612 = "6.1.0-56-amd64", "6.12.117+deb12-amd64"
T61, T612 = f"/usr/src/linux-headers-{R61}", f"/usr/src/linux-headers-{R612}"
M61, M612 = f"{CACHE}/{R61}/lib/modules/{R61}", f"{CACHE}/{R612}/lib/modules/{R612}"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([MODFORGE, "check", "load", *args], capture_output=True, text=True)


def main():
    global MODFORGE
    MODFORGE = sys.argv[1]
    for d in (M61, M612, T61, T612):
        if not os.path.isdir(d):
            print(f"FAIL: {d} missing (scripts/setup.sh, kernel-oracle.sh --setup)")
            return 1
    work = tempfile.mkdtemp()
    try:
        # Modules of both kernels, one directory given whole, against both targets.
        d = os.path.join(work, "mods")
        os.mkdir(d)
        for src in (f"{M61}/kernel/lib/crc8.ko", f"{M612}/kernel/drivers/media/usb/uvc/uvcvideo.ko.xz",
                    f"{M61}/kernel/drivers/scsi/advansys.ko"):
            shutil.copy(src, d)
        base = [d, "--kernel", T61, "--modules", M61, "--kernel", T612, "--modules", M612]
        j = run(*base, "-f", "json")
        check(j.returncode == 1, f"something refused: exit 1 (got {j.returncode}: {j.stderr.strip()})")
        doc = json.loads(j.stdout)
        check(doc["schema"] == "modforge-check-load/1", "JSON schema name")
        check([t["release"] for t in doc["targets"]] == [R61, R612], "one JSON target per --kernel, in order")
        for t in doc["targets"]:
            s = t["summary"]
            check(s["modules"] == 3 == len(t["results"]), f"{t['release']}: 3 modules from the directory")
            check(s["loads"] + s["loads_with_taints"] + s["refused"] + s["init_not_evaluated"] == 3,
                  f"{t['release']}: the summary adds up")
            for r in t["results"]:
                refused = r["verdict"] == "refused"
                check(refused == (r["errno"] is not None) == (r["errno_value"] != 0),
                      f"{t['release']} {r['name']}: errno set exactly when refused")
                firsts = [x for x in r["reasons"] if x["first"]]
                check(len(firsts) == (1 if refused else 0), f"{t['release']} {r['name']}: one first reason when refused")
                if refused and firsts and firsts[0].get("kernel_line"):
                    check(firsts[0]["kernel_line"] in r["log"], f"{t['release']} {r['name']}: the first reason's line is in the log")
        # JUnit: one testsuite per target, one testcase per module, a failure per refusal
        x = run(*base, "-f", "junit")
        root = ET.fromstring(x.stdout)
        suites = root.findall("testsuite")
        check([s.get("name") for s in suites] == [R61, R612], "JUnit: a testsuite per target")
        for s, t in zip(suites, doc["targets"]):
            cases = s.findall("testcase")
            check(len(cases) == 3, f"JUnit {s.get('name')}: 3 testcases")
            fails = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
            refused = {r["name"]: r for r in t["results"] if r["verdict"] == "refused"}
            check(set(fails) == set(refused), f"JUnit {s.get('name')}: failures are the refused modules")
            for n, f in fails.items():
                first = next(x for x in refused[n]["reasons"] if x["first"])
                check(f.get("message") == first["message"] and f.get("type") == refused[n]["errno"],
                      f"JUnit {n}: failure message/type are the first reason and errno")
        # Text and Markdown summaries say what the JSON says
        txt = run(*base).stdout
        md = run(*base, "-f", "markdown").stdout
        for t in doc["targets"]:
            s = t["summary"]
            check(f"{t['release']} ({t['target']}): {s['modules']} modules: {s['loads']} load, {s['loads_with_taints']} load with taints, "
                  f"{s['init_not_evaluated']} pass every load check (init not evaluated), {s['refused']} refused" in txt,
                  f"text summary of {t['release']}")
            check(f"| `{t['release']}` | {s['modules']} | {s['loads']} | {s['loads_with_taints']} | {s['init_not_evaluated']} | {s['refused']} |" in md,
                  f"markdown summary row of {t['release']}")
        # -o writes the same report atomically; --fail-on taint
        out = os.path.join(work, "r.json")
        o = run(*base, "-f", "json", "-o", out)
        check(o.returncode == 1 and o.stdout == "" and open(out).read() == j.stdout, "-o FILE holds the report")
        ok = run(f"{M61}/kernel/lib/crc8.ko", "--kernel", T61, "--modules", M61)
        check(ok.returncode == 0, f"a module that loads: exit 0 (got {ok.returncode})")
        # Bad input: exit 2, one line naming the cause, no report file
        bad_ko = os.path.join(work, "trunc.ko")
        with open(bad_ko, "wb") as f:
            f.write(open(f"{M61}/kernel/lib/crc8.ko", "rb").read()[:300])
        tr = run(bad_ko, "--kernel", T61, "--modules", M61, "-f", "json")
        check(tr.returncode == 1 and json.loads(tr.stdout)["targets"][0]["results"][0]["verdict"] == "refused",
              "a truncated module is refused (the kernel's answer), not a crash")
        for args, what in (([os.path.join(work, "nope.ko"), "--kernel", T61], "missing module"),
                           ([d, "--kernel", os.path.join(work, "nokernel")], "missing target"),
                           ([d, "--kernel", bad_ko], "a file that is no target"),
                           ([d], "no --kernel"), ([d, "--kernel", T61, "--format", "xml"], "bad --format"),
                           ([d, "--kernel", T61, "--bogus"], "unknown option"),
                           ([d, "--kernel", T61, "--key", bad_ko], "a --key that is no certificate")):
            rep = os.path.join(work, "bad.out")
            b = run(*args, "-o", rep)
            lines = b.stderr.strip().splitlines()
            check(b.returncode == 2 and len(lines) == 1 and lines[0].startswith("modforge check: ") and not os.path.exists(rep),
                  f"{what}: exit 2, one line ({b.returncode}: {b.stderr.strip()})")
    finally:
        shutil.rmtree(work)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
