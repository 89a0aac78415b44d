#!/bin/bash
# Debian's real history, 6.12.117 -> 6.12.118: symtypes of a few exporting directories written
# by the REAL kbuild and genksyms (`make M=... <file>.symtypes` against each version's headers
# tree, from the matching linux-source), read by our model.  Every CRC recomputed from them
# must equal Debian's Module.symvers of that build, and every CRC change between the two
# Module.symvers among those exports must be explained (tests/abi/symtypes_explain_driver.cc).
# Usage: symtypes_history.sh DRIVER SOURCE_DIR
set -euo pipefail
driver=$1
src=$2
cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
start=$SECONDS
bash "$src/tests/corpus/fetch-abi-history.sh" abi-diff-6.12 sources-6.12 >/dev/null
tree117=/usr/src/linux-headers-6.12.117+deb12-amd64
tree118=$cache/linux-headers-6.12.118+deb12-amd64/root/usr/src/linux-headers-6.12.118+deb12-amd64
src117=$cache/linux-source-6.12_6.12.117-1~deb12u1/root/linux-source-6.12
src118=$cache/linux-source-6.12_6.12.118-1~deb12u1/root/linux-source-6.12
for d in "$tree117" "$tree118" "$src117" "$src118"; do
  [ -d "$d" ] || { echo "symtypes_history: $d is missing" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# libata and libahci (146 + 22 CRC changes in 6.12.118), hid (51)
dirs=(drivers/ata drivers/hid)
for v in 117 118; do
  s=src$v t=tree$v
  for d in "${dirs[@]}"; do
    mkdir -p "$work/$v/$d"
    cp -r "${!s}/$d/." "$work/$v/$d/"
    targets=$(cd "$work/$v/$d" && grep -l 'EXPORT_SYMBOL' -- *.c | sed 's/\.c$/.symtypes/')
    # libata-transport.c includes ../scsi/scsi_transport_api.h
    mkdir -p "$work/$v/drivers/scsi" && cp "${!s}"/drivers/scsi/*.h "$work/$v/drivers/scsi/"
    # shellcheck disable=SC2086
    make -s -j2 -C "${!t}" M="$work/$v/$d" $targets
  done
done
"$driver" "$work/117" "$work/118" "$tree117/Module.symvers" "$tree118/Module.symvers"
echo "symtypes_history: $((SECONDS - start)) s"
