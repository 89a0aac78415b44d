#!/usr/bin/env bash
# Asks the real kernels about EVERY module of the two ABI-history pairs whose modules the
# real kernel can be given in full (too slow for CI: ~0.17 s per insmod under qemu, 12 min
# for 4,022 modules), and stores the answers for tests/abi_history.sh:
#   6.1.0-47-on-56    every module of linux-image-6.1.0-47-amd64-unsigned into the real 6.1.0-56
#   6.12.107-on-117   every module of linux-image-6.12.107+deb12-amd64-unsigned into the real 6.12.117
# Each module is inserted after the modules `modforge check load` loads before it ("after_files",
# modprobe order), in the check's order, in one boot (tests/abi-history-sample.py plan --all);
# the kernel's records (rc, errno, log lines, taint; paths relative to the package root) go to
# tests/corpus/abi-history/<pair>.jsonl.xz. Nothing in them is written by hand; rerunning this
# asks the kernels again.
# Usage: tests/corpus/make-abi-history-corpus.sh MODFORGE [PAIR ...]
# Env: MODFORGE_ORACLE, ORACLE_CACHE, MODFORGE_ABI_CACHE, MODFORGE_WORK (default a temp dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 MODFORGE [6.1.0-47-on-56] [6.12.107-on-117]" >&2; exit 2; }
modforge=$(realpath "$1"); shift
pairs=("$@"); [ ${#pairs[@]} -gt 0 ] || pairs=(6.1.0-47-on-56 6.12.107-on-117)
oracle=${MODFORGE_ORACLE:-$project/../shared/tools/kernel-oracle.sh}
ocache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
abi=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
work=${MODFORGE_WORK:-$(mktemp -d)}
mkdir -p "$work" "$here/abi-history"
"$here/fetch-abi-history.sh" history-6.1 history-6.12 >/dev/null
bash "$oracle" --setup 6.1 6.12
for pair in "${pairs[@]}"; do
  case $pair in
    6.1.0-47-on-56) v=6.1 pkg=linux-image-6.1.0-47-amd64-unsigned rel=6.1.0-47-amd64
      tree=/usr/src/linux-headers-6.1.0-56-amd64 tmods=$ocache/6.1.0-56-amd64/lib/modules/6.1.0-56-amd64 ;;
    6.12.107-on-117) v=6.12 pkg=linux-image-6.12.107+deb12-amd64-unsigned rel=6.12.107+deb12-amd64
      tree=/usr/src/linux-headers-6.12.117+deb12-amd64 tmods=$ocache/6.12.117+deb12-amd64/lib/modules/6.12.117+deb12-amd64 ;;
    *) echo "unknown pair $pair" >&2; exit 2 ;;
  esac
  root=$abi/$pkg/root
  rc=0
  "$modforge" check load "$root/lib/modules/$rel/kernel" --kernel "$tree" --modules "$tmods" --format json \
    -o "$work/$pair.json" || rc=$?
  [ $rc -le 1 ] || { echo "modforge check load failed ($rc)" >&2; exit 1; }
  python3 "$project/tests/abi-history-sample.py" plan --all --check "$work/$pair.json" --out "$work/$pair"
  t=$(date +%s)
  # the whole package in one boot: the guest holds every module file (~400 MiB)
  bash "$oracle" -k "$v" -M 3072 -A "trace_event=module:module_load tp_printk" -f "$work/$pair/batch-0.steps" \
    -o "$work/$pair/batch-0.oracle.jsonl"
  echo "$pair: $(grep -c '^insmod' "$work/$pair/batch-0.steps") insmods in $(( $(date +%s) - t )) s" >&2
  python3 "$project/tests/abi-history-sample.py" store --plan "$work/$pair" --root "$root" --label "$pair" \
    --out "$work/$pair.jsonl"
  xz -9e -T1 -c "$work/$pair.jsonl" >"$here/abi-history/$pair.jsonl.xz.tmp"
  mv "$here/abi-history/$pair.jsonl.xz.tmp" "$here/abi-history/$pair.jsonl.xz"
  echo "$pair: wrote $here/abi-history/$pair.jsonl.xz ($(stat -c %s "$here/abi-history/$pair.jsonl.xz") bytes)" >&2
done
