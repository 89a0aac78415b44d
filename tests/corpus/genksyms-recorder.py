#!/usr/bin/env python3
"""Stand-in for kbuild's `genksyms` that records a golden test case.

kbuild calls it (through the `genksyms` make variable that
make-genksyms-corpus.sh overrides on the make command line) as

  genksyms-recorder.py --corpus DIR --real GENKSYMS --srcroot DIR \
      --moddir M_DIR --target $@ --source $< -- <the genksyms arguments kbuild would use>

with the preprocessed C on stdin.  For each call it stores, in
<corpus>/<dir-slug>__<file-stem>/:

  input.i   stdin, byte for byte
  args      the genksyms argv (one per line); the -T path is replaced by
            the literal @SYMTYPES@, everything else is kept as given
  cmdline   which object / module directory this came from (for humans)
  stdout, stderr, exit, symtypes
            what the REAL genksyms printed, its exit code and its -T file

Then it hands the real stdout/stderr through and exits with the real exit
code, so the kernel build proceeds exactly as with the real tool.
"""
import os
import shutil
import subprocess
import sys


def main() -> int:
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.stderr.write("genksyms-recorder: missing '--'\n")
        return 2
    sep = argv.index("--")
    opts, gk_args = argv[:sep], argv[sep + 1:]
    o = {}
    it = iter(opts)
    for k in it:
        o[k.lstrip("-")] = next(it)
    corpus, real, srcroot, target = o["corpus"], o["real"], o["srcroot"], o["target"]
    source = o.get("source", "")
    moddir = o.get("moddir", "")

    data = sys.stdin.buffer.read()

    # The object this invocation belongs to, relative to the mirrored source root.
    obj = os.path.relpath(os.path.abspath(target), os.path.abspath(srcroot))
    objdir, objfile = os.path.split(obj)
    stem = objfile[:-2] if objfile.endswith(".o") else objfile
    case = objdir.replace("/", "_") + "__" + stem
    cdir = os.path.join(corpus, case)
    if os.path.exists(cdir):
        # The same object recorded twice in one run would silently lose data.
        sys.stderr.write(f"genksyms-recorder: duplicate case {case}\n")
        shutil.rmtree(cdir)
    os.makedirs(cdir)

    real_args = []
    rec_args = []
    orig_symtypes = None
    i = 0
    while i < len(gk_args):
        a = gk_args[i]
        if a == "-T" and i + 1 < len(gk_args):
            orig_symtypes = gk_args[i + 1]
            real_args += ["-T", os.path.join(cdir, "symtypes")]
            rec_args += ["-T", "@SYMTYPES@"]
            i += 2
            continue
        real_args.append(a)
        rec_args.append(a)
        i += 1

    with open(os.path.join(cdir, "input.i"), "wb") as f:
        f.write(data)
    with open(os.path.join(cdir, "args"), "w") as f:
        f.write("".join(a + "\n" for a in rec_args))
    with open(os.path.join(cdir, "cmdline"), "w") as f:
        src = os.path.relpath(os.path.abspath(source), os.path.abspath(srcroot)) if source else "?"
        f.write(f"make -C <headers> M={moddir} modules  (KBUILD_SYMTYPES=1)\n")
        f.write(f"target: {obj}\n")
        f.write(f"source: {src}\n")

    p = subprocess.run([real] + real_args, input=data, capture_output=True)
    with open(os.path.join(cdir, "stdout"), "wb") as f:
        f.write(p.stdout)
    with open(os.path.join(cdir, "stderr"), "wb") as f:
        f.write(p.stderr)
    with open(os.path.join(cdir, "exit"), "w") as f:
        f.write(f"{p.returncode}\n")
    symtypes = os.path.join(cdir, "symtypes")
    if not os.path.exists(symtypes):
        open(symtypes, "wb").close()
    elif orig_symtypes:
        # Leave the -T file where kbuild asked for it too, as the real tool would.
        try:
            shutil.copyfile(symtypes, orig_symtypes)
        except OSError:
            pass

    sys.stdout.buffer.write(p.stdout)
    sys.stdout.flush()
    sys.stderr.buffer.write(p.stderr)
    sys.stderr.flush()
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
