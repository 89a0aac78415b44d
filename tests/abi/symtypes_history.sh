#!/bin/bash
# Debian's real history (6.12.117 -> 6.12.118, 6.1.0-54 -> 6.1.0-55): symtypes of a few
# exporting directories written by the REAL kbuild and genksyms (`make M=... <file>.symtypes`
# against each build's headers tree, from the matching linux-source), read by our model.
# Every CRC recomputed from them must equal Debian's Module.symvers of that build, and every
# CRC change between the two Module.symvers among those exports must be explained
# (tests/abi/symtypes_explain_driver.cc).
# Usage: symtypes_history.sh DRIVER SOURCE_DIR 6.12|6.1
set -euo pipefail
driver=$1
src=$2
version=$3
cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
start=$SECONDS
case $version in
  6.12)
    bash "$src/tests/corpus/fetch-abi-history.sh" abi-diff-6.12 sources-6.12 >/dev/null
    old_tree=/usr/src/linux-headers-6.12.117+deb12-amd64
    new_tree=$cache/linux-headers-6.12.118+deb12-amd64/root/usr/src/linux-headers-6.12.118+deb12-amd64
    old_src=$cache/linux-source-6.12_6.12.117-1~deb12u1/root/linux-source-6.12
    new_src=$cache/linux-source-6.12_6.12.118-1~deb12u1/root/linux-source-6.12 ;;
  6.1)
    bash "$src/tests/corpus/fetch-abi-history.sh" abi-diff-6.1 sources-6.1 >/dev/null
    old_tree=$cache/linux-headers-6.1.0-54-amd64/root/usr/src/linux-headers-6.1.0-54-amd64
    new_tree=$cache/linux-headers-6.1.0-55-amd64/root/usr/src/linux-headers-6.1.0-55-amd64
    old_src=$cache/linux-source-6.1_6.1.190-1/root/linux-source-6.1
    new_src=$cache/linux-source-6.1_6.1.192-1/root/linux-source-6.1 ;;
  *) echo "symtypes_history: version 6.12 or 6.1, not '$version'" >&2; exit 2 ;;
esac
for d in "$old_tree" "$new_tree" "$old_src" "$new_src"; do
  [ -d "$d" ] || { echo "symtypes_history: $d is missing" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# libata and libahci (6.12.118: 146 + 22 CRC changes), hid (51); MODFORGE_SYMTYPES_DIRS names others
read -r -a dirs <<< "${MODFORGE_SYMTYPES_DIRS:-drivers/ata drivers/hid}"
for side in old new; do
  s=${side}_src t=${side}_tree
  for d in "${dirs[@]}"; do
    mkdir -p "$work/$side/$d"
    cp -r "${!s}/$d/." "$work/$side/$d/"
    targets=$(cd "$work/$side/$d" && grep -l 'EXPORT_SYMBOL' -- *.c | sed 's/\.c$/.symtypes/' || true)
    [ -n "$targets" ] || continue
    # libata-transport.c includes ../scsi/scsi_transport_api.h
    mkdir -p "$work/$side/drivers/scsi" && cp "${!s}"/drivers/scsi/*.h "$work/$side/drivers/scsi/"
    # shellcheck disable=SC2086
    make -s -j2 -C "${!t}" M="$work/$side/$d" $targets
  done
done
"$driver" "$work/old" "$work/new" "$old_tree/Module.symvers" "$new_tree/Module.symvers"
echo "symtypes_history $version: $((SECONDS - start)) s"
