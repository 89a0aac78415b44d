#!/usr/bin/env python3
"""fs-floor-list.py STRACE_LOG > LIST: the file-system work of one traced modpost run
(strace -f -e trace=openat -o LOG ...) as bench/fs-floor.cc's list: every regular file
opened read-only with success ("r PATH") and every file created for writing
("w PATH SIZE", SIZE read from the file the run left)."""
import os
import re
import sys

OPEN = re.compile(r'openat\(AT_FDCWD, "((?:[^"\\]|\\.)*)", ([A-Z_|]+)(?:, 0\d+)?\) = (-?\d+)')


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fs-floor-list.py STRACE_LOG")
    seen = []
    with open(sys.argv[1]) as log:
        for line in log:
            m = OPEN.search(line)
            if not m or int(m.group(3)) < 0:
                continue
            path, flags = m.group(1), m.group(2)
            if path.startswith(("/lib", "/usr/lib", "/etc", "/proc", "/sys")):
                continue  # the loader's own files, not the run's work
            if "O_CREAT" in flags or "O_WRONLY" in flags:
                seen.append(f"w {path} {os.path.getsize(path)}")
            elif os.path.isfile(path):
                seen.append(f"r {path}")
    sys.stdout.write("\n".join(seen) + "\n")


if __name__ == "__main__":
    main()
