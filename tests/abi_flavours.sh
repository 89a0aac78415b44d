#!/usr/bin/env bash
# `modforge check load` across Debian's kernel flavours (issue 13, "Checked on real material"):
# for 6.1.0-56 and 6.12.117, every module of the -rt and -cloud images against the generic
# headers tree, and every generic module against the -rt and -cloud trees (8 directions).
# Prints per direction the counts and the first reasons, and the vermagic fields the check
# reports; the vermagic of each side is read by kmod's modinfo, and the check must name a
# vermagic field (besides the release) exactly when the two differ beyond the release.
# Then, per direction, ABI_PER_CLASS (default 10) modules of each kind of verdict (verdict,
# errno, first reason's kind) are asked of the real target kernel under qemu (generic: the
# oracle's 6.1.0-56 / 6.12.117; -rt and -cloud: the vmlinuz of their image packages,
# kernel-oracle.sh -K), one boot per direction, and compared (tests/abi-history-sample.py).
#   abi_flavours.sh MODFORGE SOURCE_DIR
# Env: MODFORGE_ORACLE, ORACLE_CACHE, MODFORGE_ABI_CACHE, ABI_PER_CLASS, MODFORGE_KEEP=1.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 MODFORGE SOURCE_DIR" >&2; exit 2; }
modforge=$(realpath "$1") src=$(realpath "$2")
[ -x "$modforge" ] || { echo "FAIL: $modforge is missing"; exit 1; }
source "$src/tests/tier_lib.sh"
need_qemu_tier /sbin/modinfo xz
abi_tier_init
t=$(now)
"$src/tests/corpus/fetch-abi-history.sh" flavours-6.1 flavours-6.12 >/dev/null || { echo "FAIL: fetching the packages"; exit 1; }
bash "$oracle" --setup 6.1 6.12 || { echo "FAIL: kernel-oracle.sh --setup"; exit 1; }
echo "packages ready in $(ms "$t") ms"

fail=0
# direction NAME VER MODULES_RELEASE MODULES_DIR TREE TARGET_MODULES [KERNEL_IMAGE]
direction() {
  local name=$1 v=$2 mrel=$3 mods=$4 tree=$5 tmods=$6 kimg=${7:-} rc=0 t
  for d in "$mods" "$tree" "$tmods"; do [ -d "$d" ] || { echo "FAIL $name: $d missing"; fail=1; return; }; done
  t=$(now)
  "$modforge" check load "$mods/kernel" --kernel "$tree" --modules "$tmods" --format json -o "$work/$name.json" \
    2>"$work/$name.err" || rc=$?
  local el; el=$(ms "$t")
  if [ $rc -gt 1 ] || [ ! -s "$work/$name.json" ]; then
    echo "FAIL $name: modforge check load exited $rc: $(head -c 2000 "$work/$name.err")"; fail=1; return
  fi
  # kmod's modinfo: the vermagic of the first three modules of each side (a package's modules share it)
  local mv tv
  mv=$(find "$mods/kernel" -name '*.ko*' | sort | sed -n 1,3p | xargs -n1 /sbin/modinfo -F vermagic | sort -u)
  tv=$(find "$tmods/kernel" -name '*.ko*' | sort | sed -n 1,3p | xargs -n1 /sbin/modinfo -F vermagic | sort -u)
  [ "$(wc -l <<<"$mv")" = 1 ] && [ "$(wc -l <<<"$tv")" = 1 ] || { echo "FAIL $name: vermagic not shared: $mv / $tv"; fail=1; return; }
  python3 - "$work/$name.json" "$name" "$rc" "$el" "$mv" "$tv" <<'PY' || fail=1
import collections, json, sys
doc = json.load(open(sys.argv[1]))
name, rc, ms, mv, tv = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
(t,) = doc["targets"]
res = t["results"]
c = collections.Counter(r["verdict"] for r in res)
print("%s: %d modules (vermagic '%s') against %s (vermagic '%s'): %d load, %d load with taints, "
      "%d pass every load check (init not evaluated), %d refused [exit %d, %s ms]" % (
      name, len(res), mv, t["release"], tv, c["loads"], c["loads-with-taints"], c["init-not-evaluated"],
      c["refused"], rc, ms))
ok = True
if (rc == 1) != (c["refused"] > 0):
    print("FAIL %s: exit %d with %d refused" % (name, rc, c["refused"])); ok = False
first = collections.Counter()
vm = collections.Counter()
flags_differ = mv.split()[1:] != tv.split()[1:]
for r in res:
    f = [x for x in r["reasons"] if x.get("first")]
    if r["verdict"] == "refused":
        first[(f[0]["kind"] if f else None, r["errno"])] += 1
    fields = sorted({x.get("field") for x in r["reasons"] if x["kind"] == "vermagic" and x.get("field") != "release"})
    vm[tuple(fields)] += 1
    if bool(fields) != flags_differ:
        if ok:
            print("FAIL %s: %s: vermagic fields %s, but modinfo says '%s' vs '%s'" % (name, r["name"], fields, mv, tv))
        ok = False
for (k, e), n in first.most_common():
    print("  refused, first reason %s (%s): %d" % (k, e, n))
ex = next((x for r in res for x in r["reasons"] if x["kind"] == "vermagic" and x.get("field") != "release"), None)
print("  vermagic fields reported (besides the release): %s%s" % (
    dict(vm), "; e.g. \"%s\"" % ex["message"] if ex else ""))
sys.exit(0 if ok else 1)
PY
  t=$(now)
  python3 "$src/tests/abi-history-sample.py" plan --check "$work/$name.json" --out "$work/$name.live" \
    --per-class "${ABI_PER_CLASS:-10}" || { echo "FAIL $name: planning"; fail=1; return; }
  local args; args=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel_args"])' "$work/$name.live/plan.json")
  local -a o=(-k "$v")
  [ -z "$kimg" ] || o+=(-K "$kimg")
  local steps
  for steps in "$work/$name.live"/batch-*.steps; do
    bash "$oracle" "${o[@]}" -A "$args" -f "$steps" -o "${steps%.steps}.oracle.jsonl" >"${steps%.steps}.log" 2>&1 || true
  done
  python3 "$src/tests/abi-history-sample.py" compare --check "$work/$name.json" --plan "$work/$name.live" \
    --label "$name" || fail=1
  echo "$name: the real-kernel sample took $(ms "$t") ms"
}

# Each flavour's vmlinuz (-rt: xz/zstd; -cloud: lz4) read as the target reads it: vmlinux's
# exports equal its headers package's Module.symvers, line for line.
[ -x "${DUMP_VMLINUX_EXPORTS:-}" ] || { echo "FAIL: DUMP_VMLINUX_EXPORTS (tests/tools/dump-vmlinux-exports) not set"; exit 1; }
for rel in 6.1.0-56-rt-amd64 6.1.0-56-cloud-amd64 6.12.117+deb12-rt-amd64 6.12.117+deb12-cloud-amd64; do
  img=$abi/linux-image-$rel-unsigned/root/boot/vmlinuz-$rel sv=$abi/linux-headers-$rel/root/usr/src/linux-headers-$rel/Module.symvers
  "$DUMP_VMLINUX_EXPORTS" "$img" 2>/dev/null | sort >"$work/$rel.ours" || { echo "FAIL $rel: reading $img"; fail=1; continue; }
  awk -F'\t' '$3 == "vmlinux"' "$sv" | sort >"$work/$rel.real"
  if cmp -s "$work/$rel.ours" "$work/$rel.real"; then
    echo "$rel: $(wc -l <"$work/$rel.ours") vmlinux exports from its vmlinuz, all equal to Module.symvers"
  else
    echo "FAIL $rel: the vmlinuz's exports differ from $sv"; fail=1
  fi
done

o=${cache}
for v in 6.1 6.12; do
  case $v in 6.1) abi_=6.1.0-56 ;; 6.12) abi_=6.12.117+deb12 ;; esac
  gen=$abi_-amd64
  gmods=$o/$gen/lib/modules/$gen gtree=/usr/src/linux-headers-$gen
  for fl in rt cloud; do
    rel=$abi_-$fl-amd64
    fmods=$abi/linux-image-$rel-unsigned/root/lib/modules/$rel
    ftree=$abi/linux-headers-$rel/root/usr/src/linux-headers-$rel
    fimg=$abi/linux-image-$rel-unsigned/root/boot/vmlinuz-$rel
    direction "$fl-$v-on-generic" "$v" "$rel" "$fmods" "$gtree" "$gmods"
    direction "generic-$v-on-$fl" "$v" "$gen" "$gmods" "$ftree" "$fmods" "$fimg"
  done
done
echo "abi_flavours: $(ms "$t_all") ms in all"
[ $fail -eq 0 ] && echo PASS || echo FAIL
exit $fail
