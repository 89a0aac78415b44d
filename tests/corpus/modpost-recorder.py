#!/usr/bin/env python3
"""Stand-in for kbuild's `$(MODPOST)` that records a golden modpost case.

make-modpost-corpus.sh sets `MODPOST=<this file>` on the make command line
(kbuild lists $(MODPOST) as a prerequisite, so it must be one word) and passes
the rest through the environment:

  MODFORGE_REC_REAL    the real modpost.real-lsb-64 of the kernel version
  MODFORGE_REC_ROOT    the build root: every path under it is stored in the case
  MODFORGE_REC_CASE    directory to create for this invocation (must not exist)

It runs the real modpost with the same argv, cwd and stdin under
`strace -f -e trace=open,openat` to learn every file the tool opened, then
stores in the case directory:

  args        argv without argv[0], one per line
  cwd         the working directory
  root        MODFORGE_REC_ROOT
  stdin       stdin bytes (only when an argument is `-T -`; otherwise modpost
              never reads stdin and the real run gets /dev/null)
  stdout, stderr, exit
  inputs      one line per file opened for reading, in first-open order:
                `root <path>`               the file is under the root, copied to files/<path rel. to root>
                `ext <sha256> <path>`       outside the root (used in place by a replay)
                `absent <path>`             modpost tried to open it and it did not exist
  outputs     one line per file opened for writing: `<path>` (copied to out/<rel. path>)
  files/, out/

It then hands stdout/stderr and the exit code back to kbuild unchanged.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Files the dynamic loader and libc open before main(); never modpost's inputs.
SYSTEM_PREFIXES = ("/etc/", "/lib/", "/lib64/", "/usr/lib/x86_64-linux-gnu/", "/proc/", "/sys/", "/dev/")
OPEN_RE = re.compile(r'^\d+\s+(open|openat)\((?:AT_FDCWD, )?"((?:\\x[0-9a-f]{2})*)", ([A-Z_|]+)[^)]*\)\s+=\s+(-?\d+)')


def reads_stdin(args):
    for i, a in enumerate(args):
        if a == "-T" and i + 1 < len(args) and args[i + 1] == "-":
            return True
        if a == "-T-":
            return True
    return False


def parse_strace(text, cwd):
    """[(path, is_write, ok)] in order, system files dropped."""
    events = []
    for line in text.splitlines():
        m = OPEN_RE.match(line)
        if not m:
            continue
        path = bytes.fromhex(m.group(2).replace("\\x", "")).decode("utf-8", "surrogateescape")
        flags = m.group(3).split("|")
        ok = int(m.group(4)) >= 0
        path = os.path.normpath(os.path.join(cwd, path))
        if path.startswith(SYSTEM_PREFIXES):
            continue
        is_write = any(f in flags for f in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"))
        events.append((path, is_write, ok))
    return events


def under(path, root):
    return path == root or path.startswith(root.rstrip("/") + "/")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def record(case, real, root, args, cwd, data):
    """Runs the real tool under strace; writes the case; returns (stdout, stderr, exit)."""
    os.makedirs(case)
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace")
        stdin_path = os.path.join(tmp, "stdin")
        with open(stdin_path, "wb") as f:
            f.write(data if data is not None else b"")
        with open(stdin_path if data is not None else os.devnull, "rb") as fin:
            p = subprocess.run(["strace", "-f", "-qq", "-xx", "-s", "65536", "-e", "trace=open,openat",
                                "-e", "signal=none", "-o", trace, "--", real] + args,
                               stdin=fin, capture_output=True)
        with open(trace) as f:
            events = parse_strace(f.read(), cwd)

    written = []
    inputs = []
    seen = set()
    for path, is_write, ok in events:
        if is_write:
            if ok and path not in written:
                written.append(path)
            continue
        if path in seen:
            continue
        seen.add(path)
        if path in written:
            # Read back after this run wrote it (never seen so far): not an input.
            continue
        if not ok:
            inputs.append(("absent", path))
        elif under(path, root):
            inputs.append(("root", path))
        else:
            inputs.append(("ext", path))

    with open(os.path.join(case, "args"), "w") as f:
        f.write("".join(a + "\n" for a in args))
    with open(os.path.join(case, "cwd"), "w") as f:
        f.write(cwd + "\n")
    with open(os.path.join(case, "root"), "w") as f:
        f.write(root + "\n")
    if data is not None:
        with open(os.path.join(case, "stdin"), "wb") as f:
            f.write(data)
    for name, blob in (("stdout", p.stdout), ("stderr", p.stderr)):
        with open(os.path.join(case, name), "wb") as f:
            f.write(blob)
    with open(os.path.join(case, "exit"), "w") as f:
        f.write(f"{p.returncode}\n")

    problems = []
    with open(os.path.join(case, "inputs"), "w") as f:
        for kind, path in inputs:
            if kind == "root":
                dst = os.path.join(case, "files", os.path.relpath(path, root))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(path, dst)
                f.write(f"root {path}\n")
            elif kind == "ext":
                f.write(f"ext {sha256(path)} {path}\n")
            else:
                f.write(f"absent {path}\n")
    with open(os.path.join(case, "outputs"), "w") as f:
        for path in written:
            if not under(path, root):
                problems.append(f"output outside the root: {path}")
                continue
            dst = os.path.join(case, "out", os.path.relpath(path, root))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if os.path.exists(path):
                shutil.copyfile(path, dst)
            else:
                problems.append(f"output vanished: {path}")
            f.write(f"{path}\n")
    for kind, path in inputs:
        if kind == "root" and path in written:
            problems.append(f"input also written (replay would differ): {path}")
    if problems:
        with open(os.path.join(case, "PROBLEMS"), "w") as f:
            f.write("".join(x + "\n" for x in problems))
    return p.stdout, p.stderr, p.returncode


def main():
    args = sys.argv[1:]
    try:
        real = os.environ["MODFORGE_REC_REAL"]
        root = os.path.normpath(os.environ["MODFORGE_REC_ROOT"])
        case = os.environ["MODFORGE_REC_CASE"]
    except KeyError as e:
        sys.stderr.write(f"modpost-recorder: environment variable {e} not set\n")
        return 2
    if os.path.exists(case):
        sys.stderr.write(f"modpost-recorder: case {case} already recorded (two modpost runs in one make?)\n")
        return 2
    data = sys.stdin.buffer.read() if reads_stdin(args) else None
    out, err, rc = record(case, real, root, args, os.getcwd(), data)
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.buffer.write(err)
    sys.stderr.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())
