#!/bin/bash
# `modforge check abi` with whole-kernel symtypes on Debian's real ABI history (issue 14,
# "Checked on Debian's real history"): 6.12.117 -> 6.12.118 and 6.1.0-54 -> 6.1.0-55 (sources
# 6.1.190 -> 6.1.192).  The symtypes are the consolidated ones stored in tests/corpus/abi-symtypes/
# (made by tests/corpus/make-abi-symtypes.sh, which stores them only when every CRC equals the
# headers tree's Module.symvers).  Checked independently of the tool, from awk over the two
# Module.symvers: every CRC change appears as a "crc" change with a root cause; the union of the
# root causes' exports is exactly the set of changed CRCs (no export reported whose CRC did not
# change); nothing is unexplained.  The text and markdown formats run too.
# Usage: tests/abi_check_abi_symtypes.sh MODFORGE SOURCE_DIR [PAIR...]   (6.12, 6.1; default both)
set -euo pipefail
modforge=$1
root=$2
shift 2
pairs=("$@")
[ ${#pairs[@]} -gt 0 ] || pairs=(6.12 6.1)
cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
corpus=$root/tests/corpus/abi-symtypes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in jq python3 awk join xz; do command -v $t >/dev/null || fail "$t is missing (scripts/setup.sh)"; done
start=$(date +%s.%N)
lap() { printf '  [%.2f s] %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$*"; }

bash "$root/tests/corpus/fetch-abi-history.sh" abi-diff-6.12 abi-diff-6.1 >/dev/null
tree() { echo "$cache/$1/root/usr/src/$1"; }

for pair in "${pairs[@]}"; do
  case $pair in
    6.12) old=/usr/src/linux-headers-6.12.117+deb12-amd64; new=$(tree linux-headers-6.12.118+deb12-amd64)
          ov=6.12.117 nv=6.12.118 ;;
    6.1)  old=$(tree linux-headers-6.1.0-54-amd64); new=$(tree linux-headers-6.1.0-55-amd64)
          ov=6.1.190 nv=6.1.192 ;;
    *) fail "unknown pair $pair (6.12, 6.1)" ;;
  esac
  for f in "$old/Module.symvers" "$new/Module.symvers" "$corpus/$ov.symtypes.xz" "$corpus/$nv.symtypes.xz"; do
    [ -f "$f" ] || fail "$pair: no $f"
  done
  xz -dc "$corpus/$ov.symtypes.xz" >"$work/old.symtypes"
  xz -dc "$corpus/$nv.symtypes.xz" >"$work/new.symtypes"
  lap "$pair: symtypes decompressed"

  # The changed CRCs, the Debian way: join the two files on the symbol.
  awk -F'\t' '{print $2"\t"$1}' "$old/Module.symvers" | LC_ALL=C sort >"$work/old.crc"
  awk -F'\t' '{print $2"\t"$1}' "$new/Module.symvers" | LC_ALL=C sort >"$work/new.crc"
  LC_ALL=C join -t $'\t' "$work/old.crc" "$work/new.crc" | awk -F'\t' '$2 != $3 {print $1}' >"$work/expected"
  expected=$(wc -l <"$work/expected")
  [ "$expected" -gt 0 ] || fail "$pair: no CRC changes between the two Module.symvers"

  t0=$(date +%s.%N)
  set +e
  "$modforge" check abi "$old" "$new" --old-symtypes "$work/old.symtypes" --new-symtypes "$work/new.symtypes" \
    -f json -o "$work/report.json"
  rc=$?
  set -e
  t1=$(date +%s.%N)
  [ $rc = 1 ] || fail "$pair: check abi exited $rc (CRC changes break: 1 expected)"
  jq -e '.schema == "modforge-check-abi/1" and .summary.have_symtypes' "$work/report.json" >/dev/null ||
    fail "$pair: not a modforge-check-abi/1 report with symtypes"

  # The crc changes and their root causes, and the union of the root causes' exports.
  jq -r '.changes[] | select(.kind == "crc") | .symbol' "$work/report.json" | LC_ALL=C sort >"$work/crc"
  jq -r '.changes[] | select(.kind == "crc" and .root_cause == null) | .symbol' "$work/report.json" >"$work/nocause"
  jq -r '.root_causes[].exports[]' "$work/report.json" | LC_ALL=C sort >"$work/union.all"
  LC_ALL=C sort -u "$work/union.all" >"$work/union"
  LC_ALL=C sort -C "$work/expected" || LC_ALL=C sort -o "$work/expected" "$work/expected"
  cmp -s "$work/expected" "$work/crc" || {
    diff "$work/expected" "$work/crc" | head -20; fail "$pair: the crc changes reported are not the Module.symvers' changed CRCs"; }
  [ ! -s "$work/nocause" ] || { head "$work/nocause"; fail "$pair: $(wc -l <"$work/nocause") crc changes without a root cause"; }
  cmp -s "$work/expected" "$work/union" || {
    echo "  reported, CRC unchanged:"; LC_ALL=C comm -13 "$work/expected" "$work/union" | head -20
    echo "  CRC changed, in no root cause:"; LC_ALL=C comm -23 "$work/expected" "$work/union" | head -20
    fail "$pair: the root causes' exports are not exactly the changed CRCs"; }
  jq -e '.unexplained == [] and .summary.unexplained == 0' "$work/report.json" >/dev/null ||
    fail "$pair: unexplained: $(jq -c '.unexplained[:10]' "$work/report.json")"
  # Each change's root_cause names a root cause that lists that export.
  python3 - "$work/report.json" <<'PY' || fail "$pair: a change's root_cause does not list it"
import json, sys
d = json.load(open(sys.argv[1]))
by_key = {}
for rc in d["root_causes"]:
    by_key.setdefault(rc["key"], set()).update(rc["exports"])
    assert rc["count"] == len(rc["exports"]) == len(rc["chains"]), rc["key"]
bad = [c["symbol"] for c in d["changes"] if c["kind"] == "crc" and c["symbol"] not in by_key.get(c["root_cause"], ())]
if bad:
    print(bad[:10]); sys.exit(1)
PY
  printf '%s: %d CRC changes in Module.symvers, %d crc changes reported, %d root causes, %d exports over them (%d distinct), %d unexplained; check abi %.2f s\n' \
    "$pair ($ov -> $nv)" "$expected" "$(wc -l <"$work/crc")" "$(jq '.root_causes | length' "$work/report.json")" \
    "$(wc -l <"$work/union.all")" "$(wc -l <"$work/union")" "$(jq '.summary.unexplained' "$work/report.json")" \
    "$(echo "$t1 - $t0" | bc)"
  echo "  root causes (type, class, count):"
  jq -r '.root_causes[] | "    \(.type // .key)\t\(.class)\t\(.count)"' "$work/report.json"

  # The text and markdown formats run over the same inputs, and carry the root causes.
  for f in text markdown; do
    set +e
    "$modforge" check abi "$old" "$new" --old-symtypes "$work/old.symtypes" --new-symtypes "$work/new.symtypes" \
      -f $f -o "$work/report.$f"
    rc=$?
    set -e
    [ $rc = 1 ] || fail "$pair: check abi -f $f exited $rc"
    top=$(jq -r '.root_causes[0].type' "$work/report.json")
    grep -qF "$top" "$work/report.$f" || fail "$pair: -f $f does not name the first root cause ($top)"
  done
  lap "$pair: done"
done
echo "PASS"
