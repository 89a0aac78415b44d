#!/usr/bin/env bash
# modforge compdb: for each Debian headers tree, every sample module and every
# tests/corpus/modpost-modules/ directory, copied fresh (never built), gets
#  - `modforge compdb DIR`: it builds DIR first (its .mod.c come from modpost) and writes
#    DIR/compile_commands.json; every object the build compiled (a .cmd file with fixdep's
#    source_ line: <mod>.mod.o and 6.12's .module-common.o included) has exactly one entry,
#    whose command is the compile part of the command kbuild's .cmd file records (before
#    6.12's "; ./tools/objtool/objtool ..."), whose file is that .cmd's source_ and whose
#    directory is the tree; and no entry names anything else;
#  - `modforge compdb --clang -o ...`: no second build; the same objects; and
#    `clangd-14 --check` of every C source with it reports no error.  clangd parses no
#    assembler (it reads a .S as C: clangd/coc-clangd#411, llvm-project#62090), so for a .S
#    only the errors about its compile command ([drv_...]) are looked at.
# The modules meant to fail modpost (diag_*, secmis_extable_bad ...) make compdb exit
# non-zero, their .mod.c compiles then missing (as from the build); each such module must
# fail `make -C <tree> M=... modules` too, on a fresh copy.  clangd on the plain (GCC)
# database must report errors: the check can fail.
#
# Usage: kbuild_compdb.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_KEEP=1 keeps the work directory.
set -euo pipefail
source "$(dirname "$0")/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool

for t in clangd-14 python3 make; do
  command -v "$t" >/dev/null || { echo "FAIL: $t is missing (run scripts/setup.sh)"; exit 1; }
done
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
declare -A prefixes=([6.1]=cmd_ [6.12]=savedcmd_)

# Sorted: extra_exporter and load_extra_a (whose Module.symvers the next one reads) come first.
mods=()
for d in "$src"/samples/*/ "$src"/tests/corpus/modpost-modules/*/; do
  [ -f "$d/Kbuild" ] && mods+=("${d%/}")
done
[ ${#mods[@]} -ge 30 ] || { echo "FAIL: expected the samples and the corpus modules, found ${#mods[@]}"; exit 1; }

work=$(mktemp -d)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_CACHE=$work/cache
jobs=$(nproc); [ "$jobs" -le 2 ] || jobs=2

# check_db DB DIR OBJTREE PREFIX: the entries of DB against the .cmd files under DIR; prints
# "<entries>" and writes the entries' source files to DB.sources.
check_db() {
  python3 - "$@" <<'EOF'
import json, os, re, sys
db, moddir, objtree, prefix = sys.argv[1:5]
entries = json.load(open(db, encoding="utf-8"))
fail = []
by_out = {}
for e in entries:
    if set(e) != {"command", "directory", "file", "output"}:
        fail.append(f"entry keys {sorted(e)}")
    if e["directory"] != objtree:
        fail.append(f"{e['output']}: directory {e['directory']}")
    if e["output"] in by_out:
        fail.append(f"{e['output']}: two entries")
    by_out[e["output"]] = e

def unmake(s):  # the value make reads back from a .cmd line (cmd_file.cc's make_cmd, undone)
    return s.replace("$(pound)", "#").replace("$$", "$")

compiled = {}
for root, _, files in os.walk(moddir):
    for f in files:
        if not f.endswith(".o"):
            continue
        obj = os.path.join(root, f)
        cmdfile = os.path.join(root, "." + f + ".cmd")
        text = open(cmdfile, encoding="utf-8").read()
        m = re.match(re.escape(prefix + obj) + r" := (.*)\n", text)
        if not m:
            fail.append(f"{cmdfile}: no {prefix} line")
            continue
        src = re.search(r"^source_" + re.escape(obj) + r" := (.*)$", text, re.M)
        if src:
            compiled[obj] = (unmake(m.group(1)).split(" ; ")[0].strip(), src.group(1))
        elif " -r " not in m.group(1):  # else a linked object (ld -r), no compile
            fail.append(f"{obj}: neither compiled nor linked: {m.group(1)[:80]}")

for obj, (cmd, src) in compiled.items():
    e = by_out.get(obj)
    if not e:
        fail.append(f"{obj}: no entry")
        continue
    if e["command"] != cmd:
        fail.append(f"{obj}: command differs from its .cmd file:\n  entry: {e['command']}\n  .cmd:  {cmd}")
    if e["file"] != os.path.join(objtree, src):
        fail.append(f"{obj}: file {e['file']}, .cmd source_ {src}")
for out in by_out:
    if out not in compiled:
        fail.append(f"{out}: an entry, but the build compiled no such object")
if fail:
    print("\n".join(fail), file=sys.stderr)
    sys.exit(1)
open(db + ".sources", "w").write("".join(e["file"] + "\n" for e in entries))
print(len(entries))
EOF
}

# The same objects in the same order in both databases; prints how many flags --clang removed.
same_objects() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda e: (e["directory"], e["file"], e["output"])
if [key(e) for e in a] != [key(e) for e in b]:
    sys.exit("the --clang database names other objects")
print(sum(len(x["command"].split()) - len(y["command"].split()) for x, y in zip(a, b)))
EOF
}

fail=0
for k in "${versions[@]}"; do
  tree=${trees[$k]:-}
  [ -n "$tree" ] || { echo "FAIL: unknown kernel version $k"; exit 1; }
  [ -d "$tree" ] || { echo "FAIL: headers tree $tree missing (run scripts/setup.sh)"; exit 1; }
  objtree=$(realpath "$tree")
  mkdir -p "$work/$k"
  for m in "${mods[@]}"; do cp -r "$m" "$work/$k/"; done
  entries=0 modfail=0 removed=0
  : >"$work/$k.sources"
  for m in "${mods[@]}"; do
    n=${m##*/} d=$work/$k/$n
    rc=0
    "$modforge" compdb "$d" --kernel "$tree" -j"$jobs" >"$d.out" 2>&1 || rc=$?
    if [ $rc -ne 0 ]; then
      real=$work/$k-real
      [ -d "$real" ] || { mkdir "$real"; for x in "${mods[@]}"; do cp -r "$x" "$real/"; done; }
      if make -s -C "$tree" M="$real/$n" -j"$jobs" modules >"$real/$n.out" 2>&1; then
        echo "FAIL $k $n: modforge compdb exited $rc, make modules succeeds:"; cat "$d.out"; fail=1; continue
      fi
      modfail=$((modfail + 1))
    elif ! ls "$d"/*.ko >/dev/null 2>&1; then
      echo "FAIL $k $n: modforge compdb did not build the module"; fail=1; continue
    fi
    if ! c=$(check_db "$d/compile_commands.json" "$d" "$objtree" "${prefixes[$k]}" 2>"$d.check"); then
      echo "FAIL $k $n:"; cat "$d.check"; fail=1; continue
    fi
    entries=$((entries + c))
    mkdir "$d.clang"
    rc2=0
    "$modforge" compdb "$d" --kernel "$tree" --clang -o "$d.clang/compile_commands.json" >"$d.clang.out" 2>&1 || rc2=$?
    if [ $rc2 -ne 0 ] && [ $rc -eq 0 ]; then
      echo "FAIL $k $n: modforge compdb --clang exited $rc2:"; cat "$d.clang.out"; fail=1
    fi
    if grep -q 'CC \[M\]' "$d.clang.out"; then
      echo "FAIL $k $n: the second compdb built again:"; cat "$d.clang.out"; fail=1
    fi
    if ! r=$(same_objects "$d/compile_commands.json" "$d.clang/compile_commands.json"); then
      echo "FAIL $k $n: --clang"; fail=1; continue
    fi
    removed=$((removed + r))
    # Each source once (.module-common.c is in every 6.12 module), with its module's database.
    while read -r f; do
      cut -f1 "$work/$k.sources" | grep -qxF "$f" || printf '%s\t%s\n' "$f" "$d.clang" >>"$work/$k.sources"
    done <"$d/compile_commands.json.sources"
  done

  # clangd-14 --check: "E[time] [diag] Line N: message" for every error (the compile
  # command's included), then "All checks completed, N errors".
  # Run $jobs at a time (a second each), then read in order.
  mkdir "$work/$k.clangd"
  awk '{ print NR "\t" $0 }' "$work/$k.sources" | xargs -d '\n' -n1 -P"$jobs" bash -c \
    'IFS=$'"'"'\t'"'"' read -r i f db <<<"$1"; clangd-14 --check="$f" --compile-commands-dir="$db" >"$0/$i.log" 2>&1 || true' \
    "$work/$k.clangd"
  checked=0 asm=0 errors=0 i=0
  while IFS=$'\t' read -r f db; do
    i=$((i + 1)) log=$work/$k.clangd/$i.log
    if [[ $f == *.S ]]; then
      asm=$((asm + 1))
      if grep -q '^E\[[^]]*\] \[drv_' "$log" || ! grep -q '^I\[[^]]*\] Compile command from CDB is: ' "$log"; then
        echo "FAIL $k: clangd-14 --check=$f (the command):"; grep -E '^E\[|Compile command' "$log" | head -20
        errors=$((errors + 1)); fail=1
      fi
      continue
    fi
    if grep -q '^E\[' "$log" || ! grep -q 'All checks completed, 0 errors$' "$log"; then
      echo "FAIL $k: clangd-14 --check=$f:"; grep -E '^E\[|All checks' "$log" | head -20
      errors=$((errors + 1)); fail=1
    fi
    checked=$((checked + 1))
  done <"$work/$k.sources"

  # The same check on the plain GCC database of the first module must find errors.
  IFS=$'\t' read -r f db < <(grep -v $'\\.S\t' "$work/$k.sources" | head -1)
  clangd-14 --check="$f" --compile-commands-dir="${db%.clang}" >"$work/$k.gcc.log" 2>&1 || true
  if ! grep -q '^E\[.*unknown argument' "$work/$k.gcc.log"; then
    echo "FAIL $k: clangd-14 reported no error on the GCC options (the check cannot fail):"
    grep -E '^E\[|All checks' "$work/$k.gcc.log" | head; fail=1
  fi
  echo "kbuild compdb $k: ${#mods[@]} directories ($modfail fail modpost, as meant), $entries entries," \
       "$removed GCC-only options left out; clangd-14: $checked C sources checked, $asm .S commands checked, $errors with errors"
done
exit $fail
