#!/bin/bash
# `modforge check abi`'s break policy and waivers on a small crafted pair of Module.symvers
# (inputs written here): every kind of change, then each waiver format — Red Hat and Android
# stablelists, SUSE severity rules (kind inference, first match wins), Debian ignore-changes
# (debian/config's [abi] section and a plain list, '*' within a path component, '**' across) —
# with their stale entries, the order between them, and malformed waiver files (exit 2).
# Usage: tests/abi/check_abi_waivers.sh MODFORGE
set -euo pipefail
modforge=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v jq >/dev/null || fail "jq is missing (scripts/setup.sh)"
start=$(date +%s%N)

row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@"; }
{
  row 0x00000001 sym_crc vmlinux EXPORT_SYMBOL ""
  row 0x00000002 sym_removed drivers/net/foo EXPORT_SYMBOL ""
  row 0x00000003 sym_gpl vmlinux EXPORT_SYMBOL ""
  row 0x00000004 sym_ungpl vmlinux EXPORT_SYMBOL_GPL ""
  row 0x00000005 sym_ns drivers/net/foo EXPORT_SYMBOL ""
  row 0x00000006 sym_ns_gone vmlinux EXPORT_SYMBOL NS_A
  row 0x00000007 sym_moved drivers/net/foo EXPORT_SYMBOL ""
  row 0x00000008 kvm_thing arch/x86/kvm/kvm EXPORT_SYMBOL_GPL ""
  row 0x00000009 same vmlinux EXPORT_SYMBOL ""
  row 0x0000000a net_crc drivers/net/bar EXPORT_SYMBOL_GPL ""
} >"$work/old.symvers"
{
  row 0x10000001 sym_crc vmlinux EXPORT_SYMBOL ""
  row 0x00000003 sym_gpl vmlinux EXPORT_SYMBOL_GPL ""
  row 0x00000004 sym_ungpl vmlinux EXPORT_SYMBOL ""
  row 0x00000005 sym_ns drivers/net/foo EXPORT_SYMBOL NS_B
  row 0x00000006 sym_ns_gone vmlinux EXPORT_SYMBOL ""
  row 0x00000007 sym_moved drivers/net/baz EXPORT_SYMBOL ""
  row 0x10000008 kvm_thing arch/x86/kvm/kvm EXPORT_SYMBOL_GPL ""
  row 0x00000009 same vmlinux EXPORT_SYMBOL ""
  row 0x1000000a net_crc drivers/net/bar EXPORT_SYMBOL_GPL ""
  row 0x0000000b sym_new vmlinux EXPORT_SYMBOL ""
} >"$work/new.symvers"

# run NAME WANT_EXIT [options...]: the JSON report in $work/NAME.json
run() {
  local name=$1 want=$2 rc
  shift 2
  set +e
  "$modforge" check abi "$work/old.symvers" "$work/new.symvers" --format json -o "$work/$name.json" "$@" 2>"$work/$name.err"
  rc=$?
  set -e
  [ "$rc" = "$want" ] || fail "$name: exit $rc, want $want ($(cat "$work/$name.err"))"
}
# The unwaived breaks, the waived ones, the stale waivers' rules: sorted, space-separated.
breaks() { jq -r '[.changes[] | select(.breaks and .waived_by == null) | .symbol] | sort | join(" ")' "$work/$1.json"; }
waived() { jq -r '[.changes[] | select(.waived_by != null) | .symbol] | sort | join(" ")' "$work/$1.json"; }
stale() { jq -r '[.stale_waivers[] | sub("^[^:]*/"; "")] | join(" | ")' "$work/$1.json"; }
want() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }

# The policy, no waivers.
run none 1
# A compressed side (as /boot/symvers-<release>.gz or .xz) reads the same.
gzip -c "$work/old.symvers" >"$work/old.symvers.gz"
xz -c "$work/new.symvers" >"$work/new.symvers.xz"
set +e
"$modforge" check abi "$work/old.symvers.gz" "$work/new.symvers.xz" --format json -o "$work/compressed.json"
rc=$?
set -e
[ $rc = 1 ] || fail "compressed: exit $rc"
cmp -s <(jq -S 'del(.old, .new)' "$work/none.json") <(jq -S 'del(.old, .new)' "$work/compressed.json") ||
  fail "compressed sides report differently"
want "none: breaks" "$(breaks none)" "kvm_thing net_crc sym_crc sym_gpl sym_ns sym_removed"
want "none: kinds" "$(jq -r '[.changes[] | "\(.symbol):\(.kind)"] | join(" ")' "$work/none.json")" \
  "kvm_thing:crc net_crc:crc sym_crc:crc sym_gpl:export-type sym_moved:module sym_new:added sym_ns:namespace sym_ns_gone:namespace sym_removed:removed sym_ungpl:export-type"
want "none: stale" "$(stale none)" ""

# Red Hat's stablelist: only the listed symbols break; a listed symbol the old kernel does not
# export is stale.
printf '[rhel9_x86_64_stablelist]\n\tsym_crc\n\tsame\n  not_exported   # gone long ago\n' >"$work/kabi_stablelist_x86_64"
run stablelist 1 --stablelist "$work/kabi_stablelist_x86_64"
want "stablelist: breaks" "$(breaks stablelist)" "sym_crc"
want "stablelist: waived" "$(waived stablelist)" "kvm_thing net_crc sym_gpl sym_ns sym_removed"
want "stablelist: stale" "$(stale stablelist)" "kabi_stablelist_x86_64:4: stablelist not_exported (not exported by the old kernel)"
# Android's symbol list: nothing that breaks is listed.
printf '[abi_symbol_list]\n  # core\n  same\n  sym_new\n' >"$work/abi_symbol_list"
run android 0 --stablelist "$work/abi_symbol_list"
want "android: breaks" "$(breaks android)" ""
want "android: stale" "$(stale android)" "abi_symbol_list:4: stablelist sym_new (not exported by the old kernel)"

# SUSE's severity rules: the kind inferred from the pattern (a '/' or vmlinux: module; no
# lower-case letter: namespace; else symbol) or named; the first match decides.
cat >"$work/severities" <<'R'
# kABI severities
net_crc FAIL             # first: the module rule below would pass it
drivers/net/* PASS       # '*' crosses '/' in SUSE's wildcards
NS_B FAIL                # sym_ns matched the line above first: never decides
kvm_* PASS
SYMBOL sym_gpl PASS
no_such_* PASS
R
run rules 1 --rules "$work/severities"
want "rules: breaks" "$(breaks rules)" "net_crc sym_crc"
want "rules: waived" "$(waived rules)" "kvm_thing sym_gpl sym_ns sym_removed"
want "rules: waived_by" "$(jq -r '.changes[] | select(.symbol == "sym_removed") | .waived_by | sub("^[^:]*/"; "")' "$work/rules.json")" \
  "severities:3: drivers/net/* PASS"
want "rules: stale" "$(stale rules)" "severities:4: NS_B FAIL | severities:7: no_such_* PASS"
# "*" has no lower-case letter: a namespace rule, which matches only namespaced symbols.
printf '* PASS\n' >"$work/star"
run star 1 --rules "$work/star"
want "star: waived" "$(waived star)" "sym_ns"
# Rules files are read in order: the second file's rules come after the first's.
printf 'sym_crc PASS\nnet_crc PASS\n' >"$work/more"
run two-rules 0 --rules "$work/more" --rules "$work/severities"
run two-rules-order 1 --rules "$work/severities" --rules "$work/more"
want "two-rules-order: breaks" "$(breaks two-rules-order)" "net_crc"

# Debian's ignore-changes, as debian/config/defines has it.
cat >"$work/defines" <<'D'
[base]
arches: amd64

[abi]
abiname: 55
ignore-changes:
 module:drivers/net/**
 kvm_*
 name:sym_g?l
 module:drivers/*
D
run debian 1 --ignore-changes "$work/defines"
want "debian: breaks" "$(breaks debian)" "sym_crc sym_gpl"
want "debian: waived" "$(waived debian)" "kvm_thing net_crc sym_ns sym_removed"
want "debian: stale" "$(stale debian)" "defines:9: ignore-changes name:sym_g?l | defines:10: ignore-changes module:drivers/*"
# A plain list of patterns.
printf 'sym_*\nmodule:arch/x86/kvm/kvm net_crc\n' >"$work/ignore.list"
run debian-plain 0 --ignore-changes "$work/ignore.list"
want "debian-plain: stale" "$(stale debian-plain)" ""

# The order: an explicit FAIL rule keeps the break an ignore-changes pattern would waive.
printf 'sym_crc FAIL\n' >"$work/fail"
run order 1 --rules "$work/fail" --ignore-changes "$work/ignore.list"
want "order: breaks" "$(breaks order)" "sym_crc"

# Malformed or missing waiver files: input errors, never a pass.
printf 'foo MAYBE\n' >"$work/bad.rules"
run bad-verdict 2 --rules "$work/bad.rules"
grep -q 'bad.rules:1: invalid verdict' "$work/bad-verdict.err" || fail "bad-verdict: $(cat "$work/bad-verdict.err")"
printf 'foo\n' >"$work/no-verdict"
run no-verdict 2 --rules "$work/no-verdict"
printf '[x]\nsym_crc PASS\n' >"$work/two-words"
run bad-stablelist 2 --stablelist "$work/two-words"
printf '[abi_symbol_list]\n' >"$work/empty-list"
run empty-stablelist 2 --stablelist "$work/empty-list"
printf 'bogus:sym_*\n' >"$work/bad.ignore"
run bad-ignore 2 --ignore-changes "$work/bad.ignore"
printf '[abi]\nabiname: 1\n' >"$work/no-key"
run no-ignore-key 2 --ignore-changes "$work/no-key"
run missing-waiver 2 --rules "$work/no-such-file"

# Every format names the waivers.
"$modforge" check abi "$work/old.symvers" "$work/new.symvers" --rules "$work/severities" >"$work/text" || true
grep -q "waived by .*severities:3: drivers/net/\* PASS" "$work/text" || fail "text: no waiver"
grep -q "stale waivers" "$work/text" || fail "text: no stale waivers"
"$modforge" check abi "$work/old.symvers" "$work/new.symvers" --rules "$work/severities" -f junit >"$work/junit" || true
grep -q 'failures="2"' "$work/junit" || fail "junit: failures"
"$modforge" check abi "$work/old.symvers" "$work/new.symvers" --rules "$work/severities" -f markdown >"$work/md" || true
grep -q "Waived breaks (4)" "$work/md" || fail "markdown: waived"
echo "check_abi_waivers: ok ($(( ($(date +%s%N) - start) / 1000000 )) ms)"
