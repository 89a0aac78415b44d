#!/usr/bin/env bash
# The kmod-style commands of modforge-kmod on a saved emulated state, against the real
# kernel: for each Debian kernel (6.1, 6.12) the load_pair modules are built with the real
# kbuild, and one command sequence (insmod of the importer before its exporter, insmod of
# both, rmmod of the exporter in use, rmmod of both) runs
#  - in the real kernel under qemu with the real kmod insmod/rmmod (kernel-oracle.sh), and
#  - through our insmod/rmmod on one state file;
# every step's exit code and kmod message must agree, and after the inserts our lsmod must
# print the real /proc/modules in lsmod's format (name, size, refcount, users).  Then:
# modprobe of the importer from a module directory indexed by the real depmod loads both
# modules in order and modprobe -r removes both; a failing command leaves the state file
# byte for byte as it was; a corrupt state file is refused with one line and exit 1.
#
# Usage: loader_cli.sh MODFORGE_KMOD SOURCE_DIR [6.1|6.12 ...]
set -euo pipefail
source "$(dirname "$0")/tier_lib.sh"
tier_args MODFORGE_KMOD "$@"
kmod=$tool
need_qemu_tier
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
run() { "$kmod" "$@"; }  # modforge-kmod COMMAND ...

fail=0
for k in "${versions[@]}"; do
  tree=${trees[$k]}
  w=$work/$k; mkdir -p "$w"
  cp -r "$src/tests/corpus/modpost-modules/load_pair" "$w/"
  nice make -s -C "$tree" M="$w/load_pair" modules > "$w/build.log" 2>&1 || { echo "FAIL: build ($k)"; cat "$w/build.log"; exit 1; }
  imp=$w/load_pair/load_pair_imp.ko exp=$w/load_pair/load_pair_exp.ko
  steps=("insmod $imp" "insmod $exp" "insmod $imp" "rmmod load_pair_exp" "rmmod load_pair_imp" "rmmod load_pair_exp")
  printf '%s\n' "${steps[@]:0:3}" > "$w/steps-a"       # up to both loaded: /proc/modules read here
  printf '%s\n' "${steps[@]}" > "$w/steps"
  bash "$oracle" -k "$k" -f "$w/steps" -o "$w/oracle.jsonl" > /dev/null 2>&1 || true
  # ours, step by step, on one state file
  # the target's shipped modules (sizeof(struct module)): the oracle cache's
  pkg=${tree#/usr/src/linux-headers-}
  export MODFORGE_STATE=$w/state MODFORGE_TARGET=$tree MODFORGE_MODULES=$cache/$pkg/lib/modules/$pkg
  : > "$w/ours.txt"
  i=0
  for s in "${steps[@]}"; do
    set +e; run $s > "$w/out" 2> "$w/err"; rc=$?; set -e
    python3 - "$w/err" "$rc" "$i" >> "$w/ours.txt" <<'PY'
import json, sys
print(json.dumps({"step": int(sys.argv[3]), "rc": int(sys.argv[2]), "stderr": open(sys.argv[1]).read()}))
PY
    if [ $i = 2 ]; then run lsmod > "$w/lsmod"; fi
    i=$((i + 1))
  done
  python3 - "$w/oracle.jsonl" "$w/ours.txt" "$w/lsmod" "$k" <<'PY' || fail=1
import json, sys
real = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
final = [r for r in real if r.get("final")]
real = [r for r in real if not r.get("final")]
ours = [json.loads(l) for l in open(sys.argv[2])]
k = sys.argv[4]
bad = 0
if len(real) != len(ours) or any(r.get("status") != "ok" for r in real):
    print(f"FAIL {k}: the real kernel ran {len(real)} steps ({[r.get('status') for r in real]}), ours {len(ours)}"); sys.exit(1)
import re
def norm(text):  # the module's directory differs (guest /m/NNN/, host temp dir)
    return re.sub(r"/\S*/(load_pair_\w+\.ko)", r"\1", text).rstrip("\n")
for r, o in zip(real, ours):
    if r["rc"] != o["rc"] or norm(r["stderr"]) != norm(o["stderr"]):
        bad += 1
        print(f"FAIL {k} step {o['step']}: real rc {r['rc']} {r['stderr']!r}, ours rc {o['rc']} {o['stderr']!r}")
# lsmod after step 2 (both loaded), from the real /proc/modules right after that step
pm = real[2].get("proc_modules_all") or None
lines = ["Module                  Size  Used by"]
mods = {}
for r in real[:3]:
    p = r.get("proc_modules")
    if p and r["rc"] == 0:
        mods[p["name"]] = p
# the exporter's refcount/users are read after the importer loaded (step 2)
exp = real[1]["proc_modules"]; imp = real[2]["proc_modules"]
users_after = [u for u in (imp and [imp["name"]] or [])]
expected = [imp, dict(exp, refcnt=1, users=[imp["name"]])]
for p in expected:
    users = p.get("users") or []
    users = [u for u in users if u != "-"]
    line = "%-19s %8d  %d" % (p["name"], int(p["size"]), int(p["refcnt"]))
    if users:
        line += " " + ",".join(users)
    lines.append(line)
got = open(sys.argv[3]).read().splitlines()
if got != lines:
    bad += 1
    print(f"FAIL {k} lsmod:\n  real /proc/modules as lsmod: {lines}\n  ours: {got}")
print(f"{k}: {len(ours) - (bad and 1 or 0)}/{len(ours)} steps, lsmod {'identical' if got == lines else 'DIFFERENT'}")
sys.exit(1 if bad else 0)
PY
  # the real kernel's own view of the exporter's users after step 2 is checked above through
  # its refcount; now modprobe from a module directory indexed by the real depmod
  rel=$(cat "$tree/include/config/kernel.release")
  root=$w/root; mkdir -p "$root/lib/modules/$rel/extra"
  cp "$imp" "$exp" "$root/lib/modules/$rel/extra/"
  /sbin/depmod -b "$root" "$rel" 2>/dev/null  # (no modules.order etc. here: warnings only)
  rm -f "$w/state"
  run modprobe -d "$root" -S "$rel" load_pair_imp || { echo "FAIL $k: modprobe load_pair_imp"; fail=1; }
  got=$(run lsmod | tail -n +2 | awk '{print $1, $3, $4}' | tr '\n' ';')
  [ "$got" = "load_pair_imp 0 ;load_pair_exp 1 load_pair_imp;" ] || { echo "FAIL $k: after modprobe, lsmod says $got"; fail=1; }
  run modprobe -r -d "$root" -S "$rel" load_pair_imp || { echo "FAIL $k: modprobe -r"; fail=1; }
  [ "$(run lsmod | wc -l)" = 1 ] || { echo "FAIL $k: modules left after modprobe -r"; run lsmod; fail=1; }
  # a failing command leaves the state as it was; a corrupt state is refused
  run insmod "$exp"
  cp "$w/state" "$w/state.before"
  set +e; run insmod "$exp" 2>/dev/null; rc1=$?; run rmmod nosuch 2>/dev/null; rc2=$?; set -e
  cmp -s "$w/state" "$w/state.before" && [ $rc1 = 1 ] && [ $rc2 = 1 ] || { echo "FAIL $k: failed commands changed the state (rc $rc1 $rc2)"; fail=1; }
  head -c 40 "$w/state.before" > "$w/state"; echo "garbage line" >> "$w/state"; cp "$w/state" "$w/state.corrupt"
  set +e; msg=$(run lsmod 2>&1 >/dev/null); rc=$?; set -e
  if [ $rc != 1 ] || [ "$(printf '%s\n' "$msg" | wc -l)" != 1 ] || ! cmp -s "$w/state" "$w/state.corrupt"; then
    echo "FAIL $k: corrupt state: rc $rc, message: $msg"; fail=1
  else
    echo "$k: corrupt state refused: $msg"
  fi
  unset MODFORGE_STATE MODFORGE_TARGET MODFORGE_MODULES
done
[ $fail = 0 ] && echo "PASS" || { echo "FAIL"; exit 1; }
