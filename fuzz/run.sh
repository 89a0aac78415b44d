#!/bin/bash
# fuzz/run.sh SECONDS [TARGET] [extra libFuzzer flags...]
# Builds a libFuzzer target (clang, -DMODFORGE_FUZZ=ON) and runs it for SECONDS seconds on
# a working copy of its seed corpus, then prints the final stats line.  TARGET is one of
# genksyms (the default), elf, symvers, modpost, loader_elf, loader_state, loader_index, kbuild_records, abi_reasons, vmlinuz, module_sig, symtypes.  Crashes, leaks, timeouts and OOMs are written to
# <build>/findings/.  The build directory is build-fuzz/ unless FUZZ_BUILD_DIR names another.
set -euo pipefail
secs=${1:?usage: fuzz/run.sh SECONDS [genksyms|elf|symvers|modpost|loader_elf|loader_state|loader_index|kbuild_records|abi_reasons|vmlinuz|module_sig|symtypes] [libFuzzer flags...]}
shift
target=genksyms
if [[ $# -gt 0 && $1 != -* ]]; then
  target=$1
  shift
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${FUZZ_BUILD_JOBS:-2}

# Per target: seed corpus, dictionary, largest input.
case $target in
  genksyms) seeds=$root/fuzz/corpus/genksyms dict=$root/fuzz/genksyms.dict max_len=65536 ;;
  elf) seeds=$root/fuzz/seeds-elf dict=$root/fuzz/elf.dict max_len=262144 ;;
  symvers) seeds=$root/fuzz/seeds-symvers dict=$root/fuzz/symvers.dict max_len=65536 ;;
  modpost) seeds=$root/fuzz/seeds-elf dict=$root/fuzz/elf.dict max_len=262144 ;;
  loader_elf) seeds=$root/fuzz/seeds-elf dict=$root/fuzz/elf.dict max_len=262144 ;;
  loader_state) seeds=$root/fuzz/seeds-state dict=$root/fuzz/state.dict max_len=65536 ;;
  loader_index) seeds=$root/fuzz/seeds-index dict=$root/fuzz/index.dict max_len=65536 ;;
  kbuild_records) seeds=$root/fuzz/seeds-kbuild dict=$root/fuzz/kbuild.dict max_len=65536 ;;
  abi_reasons) seeds=$root/fuzz/seeds-elf dict=$root/fuzz/elf.dict max_len=262144 ;;
  vmlinuz) seeds=$root/fuzz/seeds-vmlinuz dict=$root/fuzz/vmlinuz.dict max_len=65536 ;;
  module_sig) seeds=$root/fuzz/seeds-sig dict=$root/fuzz/sig.dict max_len=16384 ;;
  symtypes) seeds=$root/fuzz/seeds-symtypes dict=$root/fuzz/symtypes.dict max_len=65536 ;;
  abi_waivers) seeds=$root/fuzz/seeds-waivers dict=$root/fuzz/waivers.dict max_len=16384 ;;
  symtypes_gen) seeds=$root/fuzz/seeds-symtypes-gen dict=$root/fuzz/symtypes_gen.dict max_len=65536 ;;
  *) echo "fuzz/run.sh: unknown target '$target' (genksyms, elf, symvers, modpost, loader_elf, loader_state, loader_index, kbuild_records, abi_reasons, vmlinuz, module_sig, symtypes, abi_waivers, symtypes_gen)" >&2; exit 2 ;;
esac

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMODFORGE_FUZZ=ON -DMODFORGE_TESTS=OFF >/dev/null
ninja -C "$build" -j "$jobs" "${target}_fuzz"

work=$build/corpus-$target         # grows while fuzzing; the seeds stay untouched
findings=$build/findings
mkdir -p "$work" "$findings"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$build/fuzz/${target}_fuzz" "$work" "$seeds" \
  -dict="$dict" \
  -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$findings/$target-" -print_final_stats=1 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
echo "---- final stats (exit $rc) ----"
grep -E '^stat::|^#[0-9]+[[:space:]]+DONE' "$log" || true
tail -n 1 "$log" | grep -v '^stat::' || true
exit "$rc"
