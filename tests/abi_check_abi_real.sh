#!/bin/bash
# `modforge check abi` on Debian's real ABI history (issue 14): 6.12.117 -> 6.12.118 and
# 6.1.0-54 -> 6.1.0-55, each side as a headers tree and as the headers .deb.  What the tool
# reports is compared with what awk counts in the two Module.symvers on its own (every kind:
# crc, added, removed, export type, namespace, module), symbol by symbol for the CRC changes;
# the tree and the .deb give the same JSON (their paths aside); the exit codes; the four
# formats are well formed and agree on the counts.
# Usage: tests/abi_check_abi_real.sh MODFORGE SOURCE_DIR
set -euo pipefail
modforge=$1
root=$2
cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in jq python3 awk dpkg-deb apt-get; do command -v $t >/dev/null || fail "$t is missing (scripts/setup.sh)"; done
start=$(date +%s.%N)
lap() { printf '  [%.2f s] %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$*"; }

# The headers packages (fetched when missing) and their unpacked trees.
bash "$root/tests/corpus/fetch-abi-history.sh" abi-diff-6.12 abi-diff-6.1 >/dev/null
tree() { echo "$cache/$1/root/usr/src/$1"; }
deb() {
  local f
  f=$(ls "$cache/$1"/*.deb 2>/dev/null | head -n 1) || true
  [ -n "$f" ] || fail "no .deb of $1 in $cache/$1"
  echo "$f"
}
# 6.12.117's tree is the installed one; its .deb comes from apt's cache or is downloaded.
old612_tree=/usr/src/linux-headers-6.12.117+deb12-amd64
[ -f "$old612_tree/Module.symvers" ] || fail "$old612_tree is not installed (scripts/setup.sh)"
old612_deb=$(ls /var/cache/apt/archives/linux-headers-6.12.117+deb12-amd64_6.12.117-1~deb12u1_amd64.deb 2>/dev/null || true)
if [ -z "$old612_deb" ]; then
  mkdir -p "$cache/linux-headers-6.12.117+deb12-amd64"
  (cd "$cache/linux-headers-6.12.117+deb12-amd64" && ls ./*.deb >/dev/null 2>&1 ||
    apt-get download -q linux-headers-6.12.117+deb12-amd64=6.12.117-1~deb12u1 >/dev/null) ||
    fail "cannot download linux-headers-6.12.117+deb12-amd64"
  old612_deb=$(deb linux-headers-6.12.117+deb12-amd64)
fi
lap "packages ready"

# What awk finds in two Module.symvers, in the JSON summary's terms.
expect() {
  awk -F'\t' '
    NR == FNR { crc[$2] = $1; mod[$2] = $3; typ[$2] = $4; ns[$2] = $5; next }
    { seen[$2] = 1
      if (!($2 in crc)) { added++; next }
      if (crc[$2] != $1) c++
      if (typ[$2] != $4) t++
      if (ns[$2] != $5) n++
      if (mod[$2] != $3) m++ }
    END { for (s in crc) if (!(s in seen)) removed++
          printf "{\"crc\": %d, \"added\": %d, \"removed\": %d, \"export_type\": %d, \"namespace\": %d, \"module\": %d}\n",
                 c, added, removed, t, n, m }' "$1" "$2"
}
crc_symbols() { awk -F'\t' 'NR == FNR { crc[$2] = $1; next } ($2 in crc) && crc[$2] != $1 { print $2 }' "$1" "$2" | LC_ALL=C sort; }

check_pair() {
  local name=$1 otree=$2 ntree=$3 odeb=$4 ndeb=$5 rc
  local out=$work/$name
  mkdir -p "$out"
  set +e
  "$modforge" check abi "$otree" "$ntree" --format json -o "$out/tree.json"; rc=$?
  set -e
  [ $rc = 1 ] || fail "$name: exit $rc with changes (want 1)"
  lap "$name: trees compared"
  local want got
  want=$(expect "$otree/Module.symvers" "$ntree/Module.symvers")
  got=$(jq -c '.summary | {crc: .crc, added: .added, removed: .removed, export_type: .export_type, namespace: .namespace, module: .module}' "$out/tree.json")
  [ "$(echo "$want" | jq -c .)" = "$got" ] || fail "$name: awk counts $want, check abi $got"
  echo "  $name: $got (awk agrees)"
  crc_symbols "$otree/Module.symvers" "$ntree/Module.symvers" >"$out/crc.awk"
  jq -r '.changes[] | select(.kind == "crc") | .symbol' "$out/tree.json" | LC_ALL=C sort >"$out/crc.ours"
  cmp -s "$out/crc.awk" "$out/crc.ours" || fail "$name: the crc-changed symbols differ from awk's ($(diff "$out/crc.awk" "$out/crc.ours" | head -5))"
  # every crc change and removal breaks, nothing else does in these pairs (no waivers)
  [ "$(jq '.summary.breaks' "$out/tree.json")" = "$(jq '[.changes[] | select(.kind == "crc" or .kind == "removed" or (.kind == "export-type" and .new == "EXPORT_SYMBOL_GPL") or (.kind == "namespace" and .new != null))] | length' "$out/tree.json")" ] ||
    fail "$name: breaks do not follow the documented policy"

  set +e
  "$modforge" check abi "$odeb" "$ndeb" --format json -o "$out/deb.json"; rc=$?
  set -e
  [ $rc = 1 ] || fail "$name: exit $rc for the .deb pair (want 1)"
  lap "$name: .deb packages compared"
  cmp -s <(jq -S 'del(.old, .new)' "$out/tree.json") <(jq -S 'del(.old, .new)' "$out/deb.json") ||
    fail "$name: the trees and the .deb packages give different reports"
  [ "$(jq .old.exports "$out/tree.json")" = "$(jq .old.exports "$out/deb.json")" ] || fail "$name: export counts differ"

  # each side against itself: nothing, exit 0
  "$modforge" check abi "$otree" "$otree/Module.symvers" --format json -o "$out/self.json" ||
    fail "$name: a side against itself exits $?"
  [ "$(jq '.summary.changes' "$out/self.json")" = 0 ] || fail "$name: changes found between a side and itself"

  # the other formats: well formed, the same counts
  set +e
  "$modforge" check abi "$otree" "$ntree" >"$out/report.txt"; rc=$?
  "$modforge" check abi "$otree" "$ntree" -f junit -o "$out/report.xml"
  "$modforge" check abi "$otree" "$ntree" -f markdown -o "$out/report.md"
  set -e
  [ $rc = 1 ] || fail "$name: text format exits $rc"
  python3 - "$out/report.xml" "$out/tree.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
j = json.load(open(sys.argv[2]))
symbols = {c["symbol"] for c in j["changes"]}
failing = {c["symbol"] for c in j["changes"] if c["breaks"] and not c["waived_by"]}
cases = suite.findall("testcase")
assert len(cases) == len(symbols) == int(suite.get("tests")), (len(cases), len(symbols))
got = {c.get("name") for c in cases if c.find("failure") is not None}
assert got == failing and int(suite.get("failures")) == len(failing), (len(got), len(failing))
PY
  grep -q "^$(jq -r '.summary.changes' "$out/tree.json") changes in" "$out/report.txt" || fail "$name: text summary"
  grep -q "| $(jq -r '.summary.crc' "$out/tree.json") | $(jq -r '.summary.added' "$out/tree.json") |" "$out/report.md" ||
    fail "$name: markdown summary"
  lap "$name: formats checked"
}

check_pair 6.12.117-6.12.118 "$old612_tree" "$(tree linux-headers-6.12.118+deb12-amd64)" \
  "$old612_deb" "$(deb linux-headers-6.12.118+deb12-amd64)"
check_pair 6.1.0-54-6.1.0-55 "$(tree linux-headers-6.1.0-54-amd64)" "$(tree linux-headers-6.1.0-55-amd64)" \
  "$(deb linux-headers-6.1.0-54-amd64)" "$(deb linux-headers-6.1.0-55-amd64)"

# Input and usage errors: exit 2, never a pass.
expect_2() {
  local rc
  set +e
  "$modforge" check abi "$@" >"$work/err.out" 2>"$work/err.txt"; rc=$?
  set -e
  [ $rc = 2 ] || fail "check abi $*: exit $rc (want 2)"
  [ -s "$work/err.txt" ] || fail "check abi $*: no message"
}
expect_2 "$work/missing/Module.symvers" "$old612_tree"                 # a missing baseline
expect_2 "$old612_tree" "$work/missing.deb"                            # a missing new side
: >"$work/empty.symvers"
expect_2 "$work/empty.symvers" "$old612_tree"                          # an empty baseline
printf 'garbage\n' >"$work/bad.symvers"
expect_2 "$work/bad.symvers" "$old612_tree"                            # not a Module.symvers
expect_2 "$work" "$old612_tree"                                        # a directory without one
common_deb=$(deb linux-headers-6.1.0-55-common)
expect_2 "$common_deb" "$old612_tree"                                  # a headers package without one
expect_2 "$old612_tree" "$old612_tree" --no-such-option                # a bad option
expect_2 "$old612_tree" "$old612_tree" --format yaml                   # a bad format
expect_2 "$old612_tree"                                                # no NEW
expect_2 "$old612_tree" "$old612_tree" --old-symtypes "$work"          # one side's symtypes only
"$modforge" check abi --help | grep -q "Exit status" || fail "--help"
lap "exit codes checked"
echo "abi_check_abi_real: ok"
