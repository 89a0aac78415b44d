#!/usr/bin/env bash
# What `modforge build` rebuilds after a change, on tests/corpus/modpost-modules/load_multi
# (two objects sharing a local header), each Debian headers tree: after each change, ours
# rebuilds what make would (the objects' CC lines are compared with make's on a copy of the
# same state at the same path), and make then finds nothing left to do in ours' directory.
# Changes: nothing; touching the shared header; touching one source; a ccflags-y line added
# to the Kbuild; KCFLAGS on the command line, then without it again.
# Usage: kbuild_incremental.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d /tmp/kbuild-incr.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache

fail=0 steps=0
# the targets a build's progress lines name, sorted (the quiet lines are kbuild's on both sides)
built() { grep -E '^  (CC|LD|MODPOST|AS) ' "$1" | awk '{print $NF}' | LC_ALL=C sort | tr '\n' ' '; }
for v in "${versions[@]}"; do
  tree=${trees[$v]}
  m=$work/$v/m
  mkdir -p "$work/$v"
  cp -r "$src/tests/corpus/modpost-modules/load_multi" "$m"
  "$modforge" build "$m" --kernel "$tree" > /dev/null 2>&1 || { echo "FAIL $v: first build"; fail=1; continue; }
  step() {  # NAME MAKE-ARGS... (the change is already made in $m)
    local name=$1
    shift
    # make's answer on a copy of the same state at the same path
    cp -a "$m" "$m.ours-state"
    make -C "$tree" M="$m" "$@" modules > "$work/make.out" 2>&1 || true
    rm -rf "$m.make-state"; mv "$m" "$m.make-state"; mv "$m.ours-state" "$m"
    "$modforge" build "$m" --kernel "$tree" "$@" > "$work/ours.out" 2>&1 || { echo "FAIL $v $name: ours failed"; fail=1; }
    if [ "$(built "$work/ours.out")" != "$(built "$work/make.out")" ]; then
      echo "FAIL $v $name: ours rebuilt [$(built "$work/ours.out")], make [$(built "$work/make.out")]"; fail=1
    fi
    make -C "$tree" M="$m" "$@" modules > "$work/after.out" 2>&1 || true
    [ -z "$(built "$work/after.out")" ] || { echo "FAIL $v $name: make after ours rebuilt $(built "$work/after.out")"; fail=1; }
    echo "$v $name: [$(built "$work/ours.out")]"
    steps=$((steps + 1))
  }
  step nothing
  sleep 0.01; touch "$m/load_multi.h"; step "touch load_multi.h"
  sleep 0.01; touch "$m/load_multi_calc.c"; step "touch load_multi_calc.c"
  echo 'ccflags-y += -DMODFORGE_INCREMENTAL=1' >> "$m/Kbuild"; step "ccflags-y in Kbuild"
  grep -q -- '-DMODFORGE_INCREMENTAL=1' "$m/.load_multi_main.o.cmd" || { echo "FAIL $v: ccflags-y not in the .cmd file"; fail=1; }
  step "KCFLAGS=-DMODFORGE_KC" KCFLAGS=-DMODFORGE_KC
  step "KCFLAGS dropped"
done
echo "kbuild incremental: $steps steps, ours rebuilt what make rebuilds, make found nothing after ours"
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
