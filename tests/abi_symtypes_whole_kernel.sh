#!/usr/bin/env bash
# Whole-kernel symtypes (`modforge symtypes --source --kernel`, abi/symtypes_gen.h): from Debian's
# kernel source at a version and the headers tree of that very build, every CRC we compute
# must equal the one in the headers tree's Module.symvers (written by Debian's build with the
# real genksyms), for every symbol of the kernel.  Prints, per version, the counts equal /
# different / missing (in Module.symvers, not computed) / extra (computed, not in it), the
# first differences, and the run time; fails when any differ, are missing or extra, or any
# object failed.
#
# Usage: tests/abi_symtypes_whole_kernel.sh MODFORGE PROJECT_DIR [VERSION ...]
#   VERSION: 6.12.117 (default), 6.12.118, 6.1.190 (the build of linux-headers-6.1.0-54),
#            6.1.192 (linux-headers-6.1.0-55).
# Env: JOBS (default 2), MODFORGE_ABI_CACHE (tests/corpus/fetch-abi-history.sh's cache),
#      KEEP=1 keeps the output directory.
set -euo pipefail

gen=$1
project=$2
shift 2
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.12.117)
cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
jobs=${JOBS:-2}
die() { echo "abi_symtypes_whole_kernel: $*" >&2; exit 1; }
[ -x "$gen" ] || die "$gen is not executable"

status=0
for v in "${versions[@]}"; do
  case $v in
    6.12.117)
      groups=(sources-6.12)
      source=$cache/linux-source-6.12_6.12.117-1~deb12u1/root/linux-source-6.12
      # installed by scripts/setup.sh (the tree the rest of the suite builds against)
      headers=/usr/src/linux-headers-6.12.117+deb12-amd64 ;;
    6.1.190)
      groups=(sources-6.1 abi-diff-6.1)
      source=$cache/linux-source-6.1_6.1.190-1/root/linux-source-6.1
      headers=$cache/linux-headers-6.1.0-54-amd64/root/usr/src/linux-headers-6.1.0-54-amd64 ;;
    6.12.118)
      groups=(sources-6.12 abi-diff-6.12)
      source=$cache/linux-source-6.12_6.12.118-1~deb12u1/root/linux-source-6.12
      headers=$cache/linux-headers-6.12.118+deb12-amd64/root/usr/src/linux-headers-6.12.118+deb12-amd64 ;;
    6.1.192)
      groups=(sources-6.1 abi-diff-6.1)
      source=$cache/linux-source-6.1_6.1.192-1/root/linux-source-6.1
      headers=$cache/linux-headers-6.1.0-55-amd64/root/usr/src/linux-headers-6.1.0-55-amd64 ;;
    *) die "unknown version $v (6.12.117, 6.12.118, 6.1.190 or 6.1.192)" ;;
  esac
  bash "$project/tests/corpus/fetch-abi-history.sh" "${groups[@]}" >/dev/null
  [ -f "$source/Makefile" ] || die "$source: no kernel source"
  [ -f "$headers/Module.symvers" ] || die "$headers: no Module.symvers (scripts/setup.sh installs the 6.12.117 headers)"

  work=$(mktemp -d "${TMPDIR:-/tmp}/abi-symtypes.XXXXXX")
  [ "${KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
  start=$(date +%s.%N)
  gen_rc=0
  "$gen" symtypes --source "$source" --kernel "$headers" -o "$work/out" --symvers "$work/crcs" -j "$jobs" \
    2> "$work/gen.log" || gen_rc=$?
  end=$(date +%s.%N)
  grep -v '^make: ' "$work/gen.log" | tail -n 40 >&2 || true
  [ -s "$work/crcs" ] || die "$v: no CRCs written (modforge symtypes exit $gen_rc)"
  symtypes=$(find "$work/out" -name '*.symtypes' | wc -l)

  # Module.symvers: "0xCRC<TAB>symbol<TAB>module<TAB>type<TAB>ns"; ours: "0xCRC<TAB>symbol<TAB>module<TAB>object".
  counts=$(awk -F'\t' -v diffs="$work/diffs" '
    NR == FNR { ours[$2] = $1; obj[$2] = $4; next }
    { seen[$2] = 1
      if (!($2 in ours)) { missing++; print "missing  " $2 " (" $3 ")" > diffs; next }
      if (ours[$2] == $1) equal++
      else { different++; print "differs  " $2 " (" $3 ", " obj[$2] "): ours " ours[$2] ", Module.symvers " $1 > diffs } }
    END { for (s in ours) if (!(s in seen)) { extra++; print "extra    " s " (" obj[s] ")" > diffs }
          printf "%d %d %d %d\n", equal, different, missing, extra }' "$work/crcs" "$headers/Module.symvers")
  read -r equal different missing extra <<< "$counts"
  printf '%s: %d equal, %d different, %d missing, %d extra (of %d in Module.symvers); %d .symtypes; %.0f s with -j%s\n' \
    "$v" "$equal" "$different" "$missing" "$extra" "$(wc -l < "$headers/Module.symvers")" "$symtypes" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$jobs"
  [ -f "$work/diffs" ] && sort "$work/diffs" | head -n 30
  if [ "$different" -ne 0 ] || [ "$missing" -ne 0 ] || [ "$extra" -ne 0 ] || [ "$gen_rc" -ne 0 ]; then
    echo "$v: FAIL (modforge symtypes exit $gen_rc)"
    status=1
  fi
  [ "${KEEP:-}" = 1 ] && echo "kept $work" || rm -rf "$work"
  trap - EXIT
done
exit $status
