#!/usr/bin/env python3
"""Compares the emulated kernel's replay of a batch with what the real kernel answered.

  loader-compare.py [--ignore-size] [--label NAME] ORACLE_JSONL REPLAY_JSONL

Per step (matched by position; `step` and `op` must agree): rc, errno and errname; the
kernel log lines of the step (level and text; timestamps dropped, kernel addresses
written as 0x<addr>); kernel_tainted; and /proc/modules (size, refcnt, users, state and
taint flags, never the address) -- null on both sides when nothing is loaded under that
name.  A field missing on one side is a mismatch.  --ignore-size leaves the size out.

Log lines that are not about modules are left out of both sides: the guest's clock
settling (tsc:, clocksource:) and similar boot-time noise a loader never prints, listed
in NOISE below.  Two kinds of the kernel's lines are not the loader's decisions and are
left out of the kernel's side only (so an emulator that printed them would still show):
what the module's own code prints (every info-level line: the corpus modules print from
init and exit, possibly through a mutated format string, and kernel/module/, kernel/params.c
and arch/x86/kernel/module.c of both versions have no pr_info), and the dump_stack() block after "loading module anyway..."
(PID, registers and call trace of that boot; the two lines before it are compared).

Prints one line per mismatch and `N/M steps identical`; exit 1 on any mismatch (and on
unreadable input or a different number of steps).
"""
import argparse
import json
import os
import re
import sys

# The real kernel's own, unrelated messages that can land in any step's log under qemu.
NOISE = [re.compile(p) for p in (
    r"^tsc: ", r"^clocksource: ", r"^sched_clock: ", r"^random: ", r"^hrtimer: interrupt took ",
    r"^perf: interrupt took too long", r"^workqueue: .* hogged CPU", r"^rcu: ",
)]
# x86 relocation refusals print a value computed from the kernel's randomised load addresses
RELOC_VAL = re.compile(r"((?:existing value is nonzero for type \d+, loc \(____ptrval____\), val|overflow in relocation type \d+ val) )(?:0x)?[0-9a-f]+")
ADDR = re.compile(r"\b0x[0-9a-f]{8,16}\b|\b[0-9a-f]{16}\b")
MISSING = object()


def load(path):
    recs = []
    # the replay writes the kernel's bytes as they are; kernel-oracle.sh decodes them as UTF-8
    # with errors replaced, and so is the replay read here
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                sys.exit("loader-compare: %s:%d: not JSON: %s" % (path, n, e))
            if not r.get("final"):
                recs.append(r)
    return recs


INFO = 6
# A WARN block: its message lines are compared; the WARNING line without the process id
# and code offset (both differ on every machine), then the register dump and call trace
# up to "---[ end trace" are left out.
WARNING = re.compile(r"^(WARNING: CPU: \d+ )(?:UID: \d+ )?PID: (?:\d+|<pid>)( at \S+ \w+)\+(?:0x[0-9a-f]+/0x[0-9a-f]+|<off>)$")
END_TRACE = re.compile(r"^---\[ end trace [0-9a-f]+ \]---$")
# Bytes ftrace_bug and apply_returns print hold relocated values (addresses differ per boot).
BYTES = re.compile(r"^( actual:   | expected: )[0-9a-f]{2}(:[0-9a-f]{2})*$|^(missing return thunk: \S+: )[0-9a-f]{2}( [0-9a-f]{2})*$")
# The BTF verifier numbers a module's types on from vmlinux's own count.
BTF_ID = re.compile(r"^BPF: \[\d+\]")
STACK_START = re.compile(r"^CPU: \d+ (UID: \d+ )?PID: \d+ Comm: ")
STACK_END = " </TASK>"


def dmesg(r, kernel_side=False):
    lines = r.get("dmesg", MISSING)
    if lines is MISSING or lines is None:
        return lines
    out = []
    in_stack = in_warn = False
    for d in lines:
        # kernel-oracle.sh reads the log over a serial line and drops every carriage return
        msg = d.get("msg", "").replace("\r", "")
        if any(p.search(msg) for p in NOISE):
            continue
        if kernel_side and in_warn:
            in_warn = not END_TRACE.match(msg)
            continue
        w = WARNING.match(msg)
        if w:
            msg = w.group(1) + "PID: <pid>" + w.group(2) + "+<off>"
            in_warn = kernel_side
        msg = BYTES.sub(lambda b: (b.group(1) or b.group(3)) + "<bytes>", msg)
        msg = BTF_ID.sub("BPF: [<id>]", msg)
        if kernel_side:
            if in_stack:
                in_stack = msg != STACK_END
                continue
            if STACK_START.search(msg) and out and out[-1][1].endswith("loading module anyway..."):
                in_stack = True
                continue
            if d.get("level") == INFO:
                continue
        out.append((d.get("level"), ADDR.sub("0x<addr>", RELOC_VAL.sub(r"\g<1>0x<addr>", msg))))
    return out


# A module's own printk whose format string a mutation moved loses its KERN_INFO prefix and
# prints, at the default level, whatever text follows in the module (an empty line, half a
# message); without a newline it even waits for the next message, in a later step.  Such
# a kernel line at the default level, when the replay lacks it (and has no line the kernel
# lacks), is left out if it is text of one of the boot's module files so far.
CONV = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z)?([diuxXcsp%])")
_module_text = {}


def module_text(path):
    if path not in _module_text:
        pats = []
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            data = b""
        for piece in set(data.decode("latin-1").replace("\n", "\0").split("\0")):
            if not piece or len(piece) > 512 or not any(c.isalpha() for c in piece):
                continue
            for k in range(len(piece)):
                tail, out, pos = piece[k:], "", 0
                if len(CONV.sub("", tail)) < 3:  # too little text to tell it from any line
                    continue
                for m in CONV.finditer(tail):
                    out += re.escape(tail[pos:m.start()])
                    out += "%" if m.group(1) == "%" else "[-0-9a-fA-F]+" if m.group(1) in "diuxXp" else ".*"
                    pos = m.end()
                pats.append(out + re.escape(tail[pos:]))
        _module_text[path] = (data.decode("latin-1"), re.compile("|".join("(?:%s)" % x for x in pats)) if pats else None)
    return _module_text[path]


WARN_LEVEL = 4  # a printk without a level prints at the default, KERN_WARNING


def is_module_text(msg, paths):
    """The line is empty, a piece of the module's bytes (a string pointer moved into
    other text), or the tail of one of its strings with the conversions filled in."""
    if msg == "":
        return True
    for text, r in map(module_text, paths):
        if (len(msg) >= 3 and msg in text) or (r is not None and r.fullmatch(msg)):
            return True
    return False


def step_file(rec, oracle_dir):
    f = rec.get("file")
    if not f:
        return None
    return f if os.path.exists(f) else os.path.join(oracle_dir, os.path.basename(f))


def proc_modules(r, ignore_size):
    pm = r.get("proc_modules", MISSING)
    if pm is MISSING or pm is None:
        return pm
    keys = ["refcnt", "users", "state", "taint"] + ([] if ignore_size else ["size"])
    return {k: pm.get(k, MISSING) for k in keys}


def show(v):
    return "<missing>" if v is MISSING else json.dumps(v)


def compare(oracle, replay, ignore_size, label, oracle_dir="."):
    mismatches = 0
    same = 0
    # From a step whose outcome the emulator does not model (it says why: code patching
    # reading memory it does not know), the kernel may have warned, with the boot-wide
    # effects of a WARN: that step and the rest of the boot are compared on their
    # verdicts (rc, errno, /proc/modules), not on log lines and the kernel's taint.
    verdict_only = None
    modules = []  # the module files of the boot so far
    for o, p in zip(oracle, replay):
        f = step_file(o, oracle_dir) if o.get("op") == "insmod" else None
        if f:
            modules.append(f)
        where = "%sstep %s (%s %s)" % (label, o.get("step"), o.get("op"), o.get("name") or o.get("file"))
        if p.get("unmodelled") and verdict_only is None:
            verdict_only = p["unmodelled"]
            print("%s: not modelled (%s): this and later steps compared on their verdicts only" % (where, verdict_only))
        diffs = []
        for k in ("step", "op", "rc", "errno", "errname") + (("kernel_tainted",) if verdict_only is None else ()):
            ov, pv = o.get(k, MISSING), p.get(k, MISSING)
            if ov != pv:
                diffs.append("%s: kernel %s, replay %s" % (k, show(ov), show(pv)))
        od, pd = dmesg(o, kernel_side=True), dmesg(p)
        if od != pd and od and pd is not None and all(l in od for l in pd):
            od = [l for l in od if l in pd or l[0] != WARN_LEVEL or not is_module_text(l[1], modules)]
        if od != pd and verdict_only is None:
            diffs.append("dmesg: kernel %s, replay %s" % (show(od), show(pd)))
        om, pm = proc_modules(o, ignore_size), proc_modules(p, ignore_size)
        if om != pm:
            diffs.append("proc_modules: kernel %s, replay %s" % (show(om), show(pm)))
        for d in diffs:
            print("%s: %s" % (where, d))
        mismatches += bool(diffs)
        same += not diffs
    if len(oracle) != len(replay):
        print("%s%d steps from the kernel, %d from the replay" % (label, len(oracle), len(replay)))
        mismatches += 1
    return same, max(len(oracle), len(replay)), mismatches


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("oracle")
    p.add_argument("replay")
    p.add_argument("--ignore-size", action="store_true")
    p.add_argument("--label", default="", help="printed before each mismatch (e.g. the batch)")
    a = p.parse_args()
    label = a.label + ": " if a.label else ""
    same, total, bad = compare(load(a.oracle), load(a.replay), a.ignore_size, label, os.path.dirname(a.oracle))
    print("%s%d/%d steps identical" % (label, same, total))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
