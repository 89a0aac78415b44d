#!/usr/bin/env bash
# kbuild drives our genksyms unchanged: build samples/exporter with Debian's real kbuild,
# once with the real genksyms and once with ours through kbuild's `genksyms` make variable,
# and require identical #SYMVER lines in the .cmd file and identical Module.symvers.
# Usage: kbuild_genksyms.sh OUR_GENKSYMS SOURCE_DIR
set -euo pipefail
ours=$(realpath "$1") src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
fail=0
for k in 6.1 6.12; do
  tree=${trees[$k]}
  [ -d "$tree" ] || { echo "FAIL: headers tree $tree missing (run scripts/setup.sh)"; exit 1; }
  m=$work/exporter
  build() {  # $1: extra make arguments
    rm -rf "$m" && cp -r "$src/samples/exporter" "$m"
    make -s -C "$tree" M="$m" modules "$@" >"$work/log" 2>&1 || { cat "$work/log"; return 1; }
    grep -h '^#SYMVER' "$m"/.exporter.o.cmd | sort
    cat "$m/Module.symvers"
  }
  real=$(build) || { echo "FAIL $k: real build failed: $real"; exit 1; }
  mine=$(build genksyms="$ours --kernel=$k \$(if \$(1), -T \$(2)) -r /dev/null")  || { echo "FAIL $k: build with our genksyms failed: $mine"; exit 1; }
  n=$(grep -c '^#SYMVER' <<<"$real" || true)
  if [ "$n" -lt 4 ]; then
    echo "FAIL $k: expected the sample's 4 exports, the real build gave $n"; fail=1
  elif [ "$real" != "$mine" ]; then
    echo "FAIL $k: CRCs differ"; diff <(echo "$real") <(echo "$mine") || true; fail=1
  else
    echo "kbuild $k: $n CRCs identical with our genksyms"
  fi
done
exit $fail
