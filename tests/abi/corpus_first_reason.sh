#!/usr/bin/env bash
# `modforge check load` over the loader's real-kernel corpus (tests/corpus/loader-<ver>.tar.xz):
# every comparable step's verdict, errno and first kernel line equal the real kernel's
# (tests/abi/first_reason.py says which steps are comparable and how they are compared).
#   corpus_first_reason.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 MODFORGE SOURCE_DIR [6.1|6.12 ...]" >&2; exit 2; }
modforge=$(realpath "$1") src=$(realpath "$2")
shift 2
versions=("$@"); [ $# -gt 0 ] || versions=(6.1 6.12)
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A rels=([6.1]=6.1.0-56-amd64 [6.12]=6.12.117+deb12-amd64)
fail=0
for v in "${versions[@]}"; do
  rel=${rels[$v]}
  [ -d "$cache/$rel/lib/modules/$rel" ] || { echo "FAIL: $cache/$rel missing (kernel-oracle.sh --setup $v)"; exit 1; }
  tar -xJf "$src/tests/corpus/loader-$v.tar.xz" -C "$work"
  echo "== $v"
  python3 "$src/tests/abi/first_reason.py" "$modforge" "/usr/src/linux-headers-$rel" "$cache/$rel/lib/modules/$rel" \
    "$work/loader/$v"/*/ || fail=1
done
exit $fail
