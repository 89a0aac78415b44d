#!/usr/bin/env bash
# Commands run at once on one state file serialize as the kernel's module_mutex serializes
# loads: 40 insmods of distinct shipped modules started together, then 20 rmmods of half of
# them started together, must leave exactly the set some serial order leaves (every insert
# and every removal kept, nothing lost to a concurrent rewrite of the state).
#   loader_state_burst.sh MODFORGE_KMOD
# Target: the 6.12 headers tree; its shipped modules: the oracle cache's tree, named with
# MODFORGE_MODULES (ORACLE_CACHE, default ~/.cache/modforge-oracle).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 MODFORGE_KMOD" >&2; exit 2; }
kmod=$(realpath "$1")
rel=6.12.117+deb12-amd64
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
mods=$cache/$rel/lib/modules/$rel
export MODFORGE_TARGET=/usr/src/linux-headers-$rel MODFORGE_MODULES=$mods
[ -f "$MODFORGE_TARGET/Module.symvers" ] || { echo "FAIL: $MODFORGE_TARGET missing (scripts/setup.sh)"; exit 1; }
[ -f "$mods/modules.order" ] || { echo "FAIL: $mods missing (kernel-oracle.sh --setup 6.12)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 40 modules that need no other module and load alone (each tried on a scratch state)
files=() names=()
while read -r m && [ ${#files[@]} -lt 40 ]; do
  f=$(ls "$mods/$m"* 2>/dev/null | head -1)
  [ -n "$f" ] && [ -z "$(/sbin/modinfo -F depends "$f")" ] || continue
  rm -f "$work/scratch"
  MODFORGE_STATE=$work/scratch "$kmod" insmod "$f" 2>/dev/null || continue
  files+=("$f")
  names+=("$(MODFORGE_STATE=$work/scratch "$kmod" lsmod | awk 'NR == 2 {print $1}')")
done < "$mods/modules.order"
[ ${#files[@]} -eq 40 ] || { echo "FAIL: only ${#files[@]} loadable modules without dependencies"; exit 1; }

export MODFORGE_STATE=$work/state
fail=0
check() {  # check WHAT EXPECTED_NAMES...: lsmod lists exactly these modules
  local what=$1; shift
  local want got
  want=$(printf '%s\n' "$@" | sort)
  got=$("$kmod" lsmod | tail -n +2 | awk '{print $1}' | sort)
  if [ "$want" = "$got" ]; then
    echo "$what: lsmod lists exactly the $# expected modules"
  else
    echo "FAIL $what: lsmod lists $(printf '%s\n' "$got" | grep -c .) modules, $# expected"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20
    fail=1
  fi
}
pids=()
for f in "${files[@]}"; do "$kmod" insmod "$f" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { echo "FAIL: an insmod of the burst failed"; fail=1; }; done
check "40 parallel insmods" "${names[@]}"
pids=()
for n in "${names[@]:0:20}"; do "$kmod" rmmod "$n" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { echo "FAIL: an rmmod of the burst failed"; fail=1; }; done
check "then 20 parallel rmmods" "${names[@]:20}"
[ $fail = 0 ] && echo PASS || { echo FAIL; exit 1; }
