#!/usr/bin/env bash
# The baseline for the kbuild driver's comparisons (issue 11): how reproducible is real make
# itself? Builds every module of tests/kbuild-modules.txt twice with
# `make -C <tree> M=<dir> VAR=VALUE... modules`, at the same absolute paths (the first build
# is moved aside before the second: see tests/kbuild_lib.sh), for each Debian headers tree,
# and reports per module: make's exit code (and first error line when it fails), the number
# of .ko files, every output that differs between the two runs (with the ELF sections that
# differ, and whether each .ko is identical once .BTF is removed), and any file kbuild wrote
# that kb_outputs does not list.
#
# Expected on Debian 12: 6.1 skips BTF (its headers tree has no vmlinux), so both runs are
# identical; 6.12 runs pahole 1.24 with -j, whose .BTF can differ between runs on larger
# modules (and resolve_btfids' .BTF_ids after it). Set KBUILD_BUILD_TIMESTAMP to see kbuild
# drop -j (scripts/Makefile.btf).
#
# Fails (exit 1) when the two runs of a module differ in anything other than .ko files that
# are identical without .BTF, when their exit codes differ, or when a file kb_outputs does
# not list turns up.
#
# Usage: tests/kbuild_make_repro.sh [6.1|6.12 ...]   (default: both)
# Env: KB_WORK (default /tmp/modforge-kbuild-repro; kept afterwards, for a look),
#      KB_MODULES (module list, default tests/kbuild-modules.txt), KB_JOBS (default 2),
#      KB_ONLY (an extended regex: build only the list lines it matches).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/kbuild_lib.sh"

declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
versions=("$@"); [ $# -gt 0 ] || versions=(6.1 6.12)
work=${KB_WORK:-/tmp/modforge-kbuild-repro}
kb_need_tools make objcopy readelf cmp pahole

mapfile -t lines < <(kb_module_lines "${KB_MODULES:-$here/kbuild-modules.txt}")
if [ -n "${KB_ONLY:-}" ]; then
  mapfile -t lines < <(printf '%s\n' "${lines[@]}" | grep -E -- "$KB_ONLY" || true)
fi
[ ${#lines[@]} -gt 0 ] || { echo "FAIL: no modules to build"; exit 1; }

# build_all TREE ROOT: every module, in list order, at ROOT/...; prints one line per module:
# name, exit code, seconds.
build_all() {
  local tree=$1 root=$2 l t0 t1
  rm -rf "$root" && mkdir -p "$root"
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    kb_copy "$KB_SRC" "$KB_DST"
    t0=$(date +%s.%N)
    kb_make --cwd "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}" || true
    t1=$(date +%s.%N)
    printf '%s\t%s\t%.1f\n' "$KB_NAME" "$KB_RC" "$(echo "$t1 - $t0" | bc)"
  done
}

# first_error STDERR_FILE: the compiler's or modpost's first error line, else make's.
first_error() {
  grep -m1 -E 'error:|ERROR:|FATAL:' "$1" || grep -m1 -F '***' "$1" || head -n1 "$1"
}

fail=0
for v in "${versions[@]}"; do
  tree=${trees[$v]:-}
  [ -n "$tree" ] || { echo "FAIL: unknown kernel version $v"; exit 1; }
  [ -d "$tree" ] || { echo "FAIL: headers tree $tree missing (run scripts/setup.sh)"; exit 1; }
  root=$work/$v/m
  mkdir -p "$work/$v"
  for run in a b; do
    build_all "$tree" "$root" >"$work/$v/times.$run"
    kb_stash "$root" "$run"
  done

  echo "== $v ($tree): ${#lines[@]} modules, each built twice by make at $root"
  nmods=0 nko=0 nfail=0 ndiff=0 nbtf=0 nother=0
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    rel=${KB_DST#"$root"/} mrel=${KB_M#"$root"/}
    a=$root.a/$rel b=$root.b/$rel
    rca=$(cat "$root.a/$mrel.make.rc") rcb=$(cat "$root.b/$mrel.make.rc")
    kos=$(kb_outputs "$a" | grep -c '\.ko$' || true)
    nmods=$((nmods + 1)) nko=$((nko + kos))
    status="ok"
    if [ "$rca" != 0 ]; then
      nfail=$((nfail + 1))
      # The compiler's or modpost's first error, else make's.
      err=$(first_error "$root.a/$mrel.make.err")
      status="make exit $rca: ${err//"$root/"/}"
      # Under -j, another job may fail first: say so (not a failure of this test).
      errb=$(first_error "$root.b/$mrel.make.err")
      [ "$errb" = "$err" ] || status+=" (second run: ${errb//"$root/"/})"
    fi
    if [ "$rca" != "$rcb" ]; then
      echo "FAIL $v $KB_NAME: exit codes differ between the runs: $rca, $rcb"; fail=1
    fi
    printf '%-45s %3d .ko  %s\n' "$KB_NAME" "$kos" "$status"
    unl=$(kb_unlisted "$KB_SRC" "$a")
    if [ -n "$unl" ]; then echo "FAIL $v $KB_NAME: files kb_outputs does not list: ${unl//$'\n'/ }"; fail=1; fi
    if ! cmpout=$(kb_compare "$a" "$b"); then
      ndiff=$((ndiff + 1))
      printf '%s\n' "$cmpout" | sed 's/^/    /'
      # Allowed: .ko files that are identical without .BTF. Anything else is a finding.
      if grep -v -E '^differs .*\.ko sections: .* without \.BTF: identical$' <<<"$cmpout" | grep -q '^[a-z]'; then
        nother=$((nother + 1))
        echo "FAIL $v $KB_NAME: two make runs differ beyond .BTF"; fail=1
      else
        nbtf=$((nbtf + 1))
      fi
    fi
  done
  total_a=$(awk -F'\t' '{s += $3} END {printf "%.0f", s}' "$work/$v/times.a")
  echo "== $v: $nmods modules, $nko .ko, $nfail failing with make; $ndiff differ between two" \
    "make runs ($nbtf only in .ko files identical without .BTF, $nother otherwise);" \
    "one run of all: ${total_a}s"
done
[ $fail -eq 0 ] && echo "kbuild_make_repro: done" || echo "kbuild_make_repro: FAILED"
exit $fail
