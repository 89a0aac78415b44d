#!/usr/bin/env bash
# `modforge check load` on Debian's own ABI history (issue 13, "Checked on real material"):
#   - every module of linux-image-6.1.0-47-amd64-unsigned against the 6.1.0-56 headers tree,
#   - every module of 6.1.0-56 (kernel-oracle.sh's cache) against the 6.1.0-57 headers tree,
#   - every module of linux-image-6.12.107+deb12-amd64-unsigned against the 6.12.117 tree;
# prints, per pair, how many load and which are refused and why; the 6.1.0-57 image package
# (.deb) as the target gives every result the 6.1.0-57 headers tree gives.  Then the real kernels:
#   - 6.1.0-47-on-56 and 6.12.107-on-117: every module's answer from the real 6.1.0-56 /
#     6.12.117 kernel, stored by tests/corpus/make-abi-history-corpus.sh (a whole package
#     takes ~12 min under qemu), compared with the check; and a live boot of ABI_LIVE
#     (default 100) of them, compared the same way (the stored answers are still the kernel's);
#   - 6.1.0-56-on-57: a live sample of ABI_SAMPLE (default 220) modules (every refused one,
#     then a spread of the others; tests/abi-history-sample.py) in one boot of the real
#     6.1.0-57 kernel (the vmlinuz of linux-image-6.1.0-57-amd64-unsigned, kernel-oracle.sh -K).
# Each module goes in after the modules the check loads before it; its errno, kernel lines
# (trace event module_load tells a failing init from a refusal) and taint must be the check's.
#   abi_history.sh MODFORGE SOURCE_DIR
# Env: MODFORGE_ORACLE, ORACLE_CACHE (tier_lib.sh), MODFORGE_ABI_CACHE (fetch-abi-history.sh),
#      ABI_SAMPLE, ABI_LIVE, MODFORGE_KEEP=1 keeps the work dir.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 MODFORGE SOURCE_DIR" >&2; exit 2; }
modforge=$(realpath "$1") src=$(realpath "$2")
[ -x "$modforge" ] || { echo "FAIL: $modforge is missing"; exit 1; }
source "$src/tests/tier_lib.sh"
need_qemu_tier
abi_tier_init

t=$(now)
"$src/tests/corpus/fetch-abi-history.sh" history-6.1 history-6.12 >"$work/fetched.tsv" || { echo "FAIL: fetching the packages"; exit 1; }
bash "$oracle" --setup 6.1 6.12 || { echo "FAIL: kernel-oracle.sh --setup"; exit 1; }
echo "packages ready in $(ms "$t") ms"

m47=$abi/linux-image-6.1.0-47-amd64-unsigned/root/lib/modules/6.1.0-47-amd64
m56=$cache/6.1.0-56-amd64/lib/modules/6.1.0-56-amd64
m107=$abi/linux-image-6.12.107+deb12-amd64-unsigned/root/lib/modules/6.12.107+deb12-amd64
m117=$cache/6.12.117+deb12-amd64/lib/modules/6.12.117+deb12-amd64
t56=/usr/src/linux-headers-6.1.0-56-amd64
t57=$abi/linux-headers-6.1.0-57-amd64/root/usr/src/linux-headers-6.1.0-57-amd64
m57=$abi/linux-image-6.1.0-57-amd64-unsigned/root/lib/modules/6.1.0-57-amd64
k57=$abi/linux-image-6.1.0-57-amd64-unsigned/root/boot/vmlinuz-6.1.0-57-amd64
t117=/usr/src/linux-headers-6.12.117+deb12-amd64
for d in "$m47" "$m56" "$m57" "$m107" "$m117" "$t56" "$t57" "$t117" "$k57"; do
  [ -e "$d" ] || { echo "FAIL: $d missing"; exit 1; }
done

fail=0
# check NAME MODULES TARGET TARGET_MODULES: the check of every module of MODULES against TARGET, as JSON in
# $work/NAME.json; exit 0 (all load) or 1 (some refused) expected, anything else fails.
check() {
  local name=$1 mods=$2 tgt=$3 rc=0 t
  t=$(now)
  "$modforge" check load "$mods/kernel" --kernel "$tgt" --modules "$4" --format json -o "$work/$name.json" 2>"$work/$name.err" || rc=$?
  local el; el=$(ms "$t")
  if [ $rc -gt 1 ] || [ ! -s "$work/$name.json" ]; then
    echo "FAIL $name: modforge check load exited $rc: $(head -c 2000 "$work/$name.err")"; fail=1; return 1
  fi
  python3 - "$work/$name.json" "$name" "$rc" "$el" <<'PY' || fail=1
import collections, json, sys
doc = json.load(open(sys.argv[1]))
name, rc, ms = sys.argv[2], int(sys.argv[3]), sys.argv[4]
(t,) = doc["targets"]
s, res = t["summary"], t["results"]
counts = collections.Counter(r["verdict"] for r in res)
print("%s: %d modules against %s (%s): %d load, %d load with taints, %d pass every load check "
      "(init not evaluated), %d refused [exit %d, %s ms]" % (
      name, len(res), t["release"], t["target"], counts["loads"], counts["loads-with-taints"],
      counts["init-not-evaluated"], counts["refused"], rc, ms))
ok = True
want = {"modules": len(res), "loads": counts["loads"], "loads_with_taints": counts["loads-with-taints"],
        "refused": counts["refused"], "init_not_evaluated": counts["init-not-evaluated"]}
if any(s.get(k) != v for k, v in want.items()):
    print("FAIL %s: the summary %s does not count the results %s" % (name, s, want)); ok = False
if (rc == 1) != (counts["refused"] > 0):
    print("FAIL %s: exit %d with %d refused" % (name, rc, counts["refused"])); ok = False
taints = collections.Counter("".join(sorted(r.get("taints") or [])) for r in res if r["verdict"] != "refused")
print("  taints of the modules that pass: %s" % dict(taints))
first = collections.Counter()
for r in res:
    if r["verdict"] == "refused":
        f = [x for x in r["reasons"] if x.get("first")]
        if len(f) != 1:
            print("FAIL %s: %s: %d first reasons" % (name, r["name"], len(f))); ok = False
            continue
        first[(f[0]["kind"], r["errno"])] += 1
for (k, e), c in sorted(first.items(), key=lambda x: -x[1]):
    print("  refused, first reason %s (%s): %d" % (k, e, c))
ref = sorted((r for r in res if r["verdict"] == "refused"), key=lambda r: r["name"])
if len(ref) > 25:
    print("  the first 25 refused modules by name (every one is in the JSON report):")
for r in ref[:25]:
    rs = r["reasons"]
    print("  refused %s: %s -- %s" % (r["name"], r["errno"], "; ".join(
        x.get("message", "") + (" [%s]" % x["kernel_line"] if x.get("kernel_line") else "") for x in rs[:3])
        + ("; ... %d more" % (len(rs) - 3) if len(rs) > 3 else "")))
sys.exit(0 if ok else 1)
PY
}

check 6.1.0-47-on-56 "$m47" "$t56" "$m56" || true
check 6.1.0-56-on-57 "$m56" "$t57" "$m57" || true
check 6.12.107-on-117 "$m107" "$t117" "$m117" || true
# The same 6.1.0-57 kernel named by its image package itself (.deb, unpacked on the fly: exports
# and CRCs from its vmlinuz, its own modules): every result as against the headers tree.
deb57=$(ls "$abi"/linux-image-6.1.0-57-amd64-unsigned/*.deb)
t=$(now)
rc=0
"$modforge" check load "$m56/kernel" --kernel "$deb57" --format json -o "$work/deb57.json" 2>"$work/deb57.err" || rc=$?
echo "6.1.0-56 modules against the 6.1.0-57 .deb: exit $rc in $(ms "$t") ms"
python3 - "$work/deb57.json" "$work/6.1.0-56-on-57.json" <<'PY' || { echo "FAIL: the .deb target differs from the headers tree"; fail=1; }
import json, sys
a, b = (json.load(open(f))["targets"][0] for f in sys.argv[1:3])
strip = lambda t: [{k: v for k, v in r.items() if k != "after_files"} for r in t["results"]]
same = a["release"] == b["release"] and a["summary"] == b["summary"] and strip(a) == strip(b)
print(".deb target: %s (%s)" % ("every result equal to the headers tree's" if same else "DIFFERENT", a["summary"]))
sys.exit(0 if same else 1)
PY

# live: ORACLE_ARGS... NAME PLAN_OPTIONS...: plan a sample of NAME's check, ask the real kernel
# (one boot per batch) and compare
live() {
  local -a oargs=()
  while [ "$1" != -- ]; do oargs+=("$1"); shift; done
  shift
  local name=$1 t tb args steps; shift
  [ -s "$work/$name.json" ] || { echo "FAIL $name: no check result to sample"; fail=1; return; }
  t=$(now)
  python3 "$src/tests/abi-history-sample.py" plan --check "$work/$name.json" --out "$work/$name.live" "$@" \
    || { echo "FAIL $name: planning the sample"; fail=1; return; }
  args=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel_args"])' "$work/$name.live/plan.json")
  for steps in "$work/$name.live"/batch-*.steps; do
    tb=$(now)
    bash "$oracle" "${oargs[@]}" -A "$args" -f "$steps" -o "${steps%.steps}.oracle.jsonl" >"${steps%.steps}.log" 2>&1 || true
    echo "$name: $(grep -c '^insmod' "$steps") insmods in one boot of the real kernel: $(ms "$tb") ms"
  done
  python3 "$src/tests/abi-history-sample.py" compare --check "$work/$name.json" --plan "$work/$name.live" \
    --label "$name (live)" || fail=1
  echo "$name: the live sample took $(ms "$t") ms"
}

# stored NAME ROOT: every module's answer from the stored corpus, compared with the check
stored() {
  local name=$1 root=$2 c=$src/tests/corpus/abi-history/$1.jsonl.xz t
  t=$(now)
  [ -s "$work/$name.json" ] || { echo "FAIL $name: no check result"; fail=1; return; }
  [ -f "$c" ] || { echo "FAIL $name: $c missing (tests/corpus/make-abi-history-corpus.sh makes it)"; fail=1; return; }
  xz -dc "$c" >"$work/$name.stored.jsonl"
  python3 "$src/tests/abi-history-sample.py" restore --check "$work/$name.json" --corpus "$work/$name.stored.jsonl" \
    --root "$root" --out "$work/$name.stored" || { echo "FAIL $name: the stored corpus does not fit"; fail=1; return; }
  python3 "$src/tests/abi-history-sample.py" compare --check "$work/$name.json" --plan "$work/$name.stored" \
    --label "$name (stored, every module)" || fail=1
  echo "$name: the stored comparison took $(ms "$t") ms"
}

stored 6.1.0-47-on-56 "$abi/linux-image-6.1.0-47-amd64-unsigned/root"
stored 6.12.107-on-117 "$abi/linux-image-6.12.107+deb12-amd64-unsigned/root"
live -k 6.1 -- 6.1.0-47-on-56 --limit "${ABI_LIVE:-100}"
live -k 6.12 -- 6.12.107-on-117 --limit "${ABI_LIVE:-100}"
live -k 6.1 -K "$k57" -- 6.1.0-56-on-57 --size "${ABI_SAMPLE:-220}"
echo "abi_history: $(ms "$t_all") ms in all"
[ $fail -eq 0 ] && echo PASS || echo FAIL
exit $fail
