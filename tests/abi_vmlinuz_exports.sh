#!/usr/bin/env bash
# vmlinux's exports read from Debian's kernel images (loader/kernel/vmlinux_image.h over
# core/bzimage.h) are exactly the vmlinux lines of the headers package's Module.symvers, which
# the real modpost wrote from the same build: every name, CRC, GPL flag and namespace, and
# nothing more, for 6.1 (xz payload) and 6.12 (zstd payload).  The built-in certificates it
# finds (system_certificate_list) must each parse with openssl, whose subject is printed; a
# kernel built with CONFIG_MODULE_SIG_KEY (its headers' .config) must have at least one, and
# kmod's modinfo must name one of them as the shipped modules' signer.  Then the emulated
# kernel (modforge-kmod) on the image package's own layout, lib/modules/<release> with
# boot/vmlinuz-<release> beside it and a placeholder System.map (loader/kernel/target.cc takes
# the exports from the vmlinuz): shipped modules load, and one whose __versions CRC for a
# vmlinux symbol was changed (ko-mutate) is refused as "disagrees about version of symbol".
#
# Usage: abi_vmlinuz_exports.sh DUMP_VMLINUX_EXPORTS MODFORGE_KMOD KO_MUTATE SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_ORACLE  kernel-oracle.sh (default SOURCE_DIR/../shared/tools/kernel-oracle.sh)
#      ORACLE_CACHE     kernel images, as kernel-oracle.sh uses it
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 DUMP_VMLINUX_EXPORTS MODFORGE_KMOD KO_MUTATE SOURCE_DIR [6.1|6.12 ...]" >&2; exit 2; }
dump=$1 kmod=$2 mutate=$3 src=$4
shift 4
if [ $# -gt 0 ]; then versions=("$@"); else versions=(6.1 6.12); fi
oracle=${MODFORGE_ORACLE:-$src/../shared/tools/kernel-oracle.sh}
cache=${ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modforge-oracle}
for t in openssl awk sort diff python3 xz /sbin/modinfo /sbin/modprobe; do
  command -v "$t" >/dev/null || { echo "FAIL: $t is not installed (scripts/setup.sh)"; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
for v in "${versions[@]}"; do
  case $v in
    6.1) rel=6.1.0-56-amd64 ;;
    6.12) rel=6.12.117+deb12-amd64 ;;
    *) echo "FAIL: unknown kernel $v"; exit 2 ;;
  esac
  img=$cache/$rel/boot/vmlinuz-$rel
  symvers=/usr/src/linux-headers-$rel/Module.symvers
  if [ ! -f "$img" ]; then
    # the image package, fetched and unpacked by the oracle script (apt-get download)
    [ -f "$oracle" ] || { echo "FAIL $v: no $img and no kernel-oracle.sh at $oracle to fetch it"; fail=1; continue; }
    bash "$oracle" --setup "$v" >"$work/setup-$v.log" 2>&1 ||
      { echo "FAIL $v: kernel-oracle.sh --setup $v:"; tail -5 "$work/setup-$v.log"; fail=1; continue; }
  fi
  [ -f "$img" ] || { echo "FAIL $v: $img is still missing after kernel-oracle.sh --setup"; fail=1; continue; }
  [ -f "$symvers" ] || { echo "FAIL $v: no $symvers (package linux-headers-$rel: scripts/setup.sh)"; fail=1; continue; }

  d=$work/$v
  mkdir -p "$d/certs"
  start=$(date +%s.%N)
  if ! "$dump" --time --certs "$d/certs" "$img" >"$d/ours.raw" 2>"$d/ours.err"; then
    echo "FAIL $v: dump-vmlinux-exports $img:"; cat "$d/ours.err"; fail=1; continue
  fi
  end=$(date +%s.%N)
  sed "s/^/  $v: /" "$d/ours.err"
  sort "$d/ours.raw" >"$d/ours"
  awk -F'\t' '$3 == "vmlinux"' "$symvers" | sort >"$d/real"
  n_ours=$(wc -l <"$d/ours") n_real=$(wc -l <"$d/real")
  if [ "$n_real" -lt 1000 ]; then
    echo "FAIL $v: only $n_real vmlinux lines in $symvers"; fail=1; continue
  fi
  if diff -u "$d/real" "$d/ours" >"$d/diff"; then
    echo "ok $v: $n_ours vmlinux exports from $(basename "$img"), all equal to Module.symvers ($n_real lines; $(awk -F'\t' '$4 == "EXPORT_SYMBOL_GPL"' "$d/ours" | wc -l) GPL-only, $(awk -F'\t' '$5 != ""' "$d/ours" | wc -l) namespaced) in $(echo "$end - $start" | bc) s"
  else
    echo "FAIL $v: exports differ from $symvers (ours $n_ours, real $n_real); first lines of diff -u real ours:"
    head -20 "$d/diff"
    fail=1
  fi
  # What load_target takes (read_vmlinux_image): the same, read from the image and then from
  # its cache.
  for pass in image cache; do
    if MODFORGE_CACHE_DIR=$d/cache-reader "$dump" --target-reader "$img" 2>"$d/reader.err" | sort >"$d/reader"; then
      cmp -s "$d/reader" "$d/real" && echo "ok $v: read_vmlinux_image() from the $pass: the same $(wc -l <"$d/reader") lines" ||
        { echo "FAIL $v: read_vmlinux_image() from the $pass differs from Module.symvers"; diff "$d/real" "$d/reader" | head -5; fail=1; }
    else
      echo "FAIL $v: dump-vmlinux-exports --target-reader:"; cat "$d/reader.err"; fail=1
    fi
  done
  # Every export once: the emulated kernel keys them by name.
  dups=$(cut -f2 "$d/ours" | sort | uniq -d | head -3)
  [ -z "$dups" ] || { echo "FAIL $v: exported twice: $dups"; fail=1; }

  # The built-in certificates: each must be one whole DER certificate for openssl too.
  n=0
  for c in "$d"/certs/cert-*.der; do
    [ -e "$c" ] || continue
    n=$((n + 1))
    if subj=$(openssl x509 -inform der -noout -subject -fingerprint -sha256 -in "$c" 2>&1); then
      echo "  $v: built-in certificate $(basename "$c"): $(echo "$subj" | tr '\n' ' ')"
    else
      echo "FAIL $v: $(basename "$c") does not parse with openssl: $subj"; fail=1
    fi
  done
  # Debian's builds sign their modules with a key generated at build time
  # (CONFIG_MODULE_SIG_KEY in the headers' .config), whose certificate is built in.
  key=$(sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$/\1/p' "/usr/src/linux-headers-$rel/.config")
  if [ -n "$key" ] && [ "$n" -lt 1 ]; then
    echo "FAIL $v: CONFIG_MODULE_SIG_KEY=\"$key\" but no built-in certificate found"; fail=1
  fi
  # ... and the package's modules are signed by it: kmod's modinfo names the signing key by
  # the serial number (PKCS#7 issuer and serial) of one of the certificates found.
  mods=$cache/$rel/lib/modules/$rel
  ko=$(find "$mods/kernel/net" -name 'af_key.ko*' 2>/dev/null | head -1)
  [ -n "$ko" ] || { echo "FAIL $v: no shipped af_key module under $mods (kernel-oracle.sh --setup $v)"; fail=1; continue; }
  sig_key=$(/sbin/modinfo -F sig_key "$ko" | tr -d ':\n')
  serials=$(for c in "$d"/certs/cert-*.der; do [ -e "$c" ] && openssl x509 -inform der -noout -serial -in "$c"; done | sed 's/^serial=//')
  if [ -n "$sig_key" ] && grep -qx "$sig_key" <<<"$serials"; then
    echo "ok $v: $(basename "$ko") is signed by built-in certificate serial $sig_key ($(/sbin/modinfo -F signer "$ko"))"
  else
    echo "FAIL $v: $(basename "$ko")'s sig_key '$sig_key' is not the serial of a built-in certificate (${serials:-none})"; fail=1
  fi

  # The emulated kernel on lib/modules/<release> of the unpacked image package.  Its reader
  # caches what an image yields (loader/kernel/vmlinux_image.h): a fresh cache here, so the
  # first command reads the image and the later ones the cache.
  export MODFORGE_CACHE_DIR=$d/cache
  loaded=()
  for m in xfrm_algo af_key dummy; do
    ko=$(find "$mods/kernel" -name "$m.ko*" | head -1)
    [ -n "$ko" ] || { echo "FAIL $v: no $m module under $mods"; fail=1; continue; }
    if out=$(MODFORGE_TARGET=$mods MODFORGE_STATE=$d/state MODFORGE_DMESG=1 "$kmod" insmod "$ko" 2>&1); then
      loaded+=("$m")
    else
      echo "FAIL $v: emulated insmod $(basename "$ko") with target $mods:"; echo "$out" | head -5; fail=1
    fi
  done
  [ ${#loaded[@]} -eq 3 ] && echo "ok $v: xfrm_algo, af_key, dummy load into the emulated kernel of lib/modules/$rel (exports from the vmlinuz)"
  [ "$(find "$d/cache" -type f | wc -l)" -eq 1 ] || { echo "FAIL $v: no single cache file in $d/cache"; fail=1; }
  # dummy, unsigned (a changed signed module is refused for its signature first), with the
  # __versions CRC of a symbol vmlinux exports changed
  ko=$(find "$mods/kernel/drivers/net" -name 'dummy.ko*' | head -1)
  case $ko in *.xz) xz -dc "$ko" >"$d/dummy.ko" ;; *) cp "$ko" "$d/dummy.ko" ;; esac
  python3 - "$d/dummy.ko" <<'PY'
import struct, sys
p = sys.argv[1]; b = open(p, "rb").read()
magic = b"~Module signature appended~\n"
assert b.endswith(magic), "not signed"
sig_len = struct.unpack(">I", b[-len(magic) - 4:-len(magic)])[0]
open(p, "wb").write(b[:len(b) - len(magic) - 12 - sig_len])
PY
  sym=$(/sbin/modprobe --dump-modversions "$d/dummy.ko" | awk '$2 != "module_layout" && $2 !~ /^__/ {print $2; exit}')
  grep -q "	$sym	vmlinux	" "$d/real" || { echo "FAIL $v: $sym is not a vmlinux export"; fail=1; continue; }
  "$mutate" "$d/dummy.ko" "$d/dummy-crc.ko" versions-crc "$sym" +1
  if out=$(MODFORGE_TARGET=$mods MODFORGE_STATE=$d/state2 MODFORGE_DMESG=1 "$kmod" insmod "$d/dummy-crc.ko" 2>&1); then
    echo "FAIL $v: dummy.ko with a changed CRC for $sym loaded"; fail=1
  elif grep -q "disagrees about version of symbol $sym" <<<"$out"; then
    echo "ok $v: dummy.ko with a changed CRC for $sym refused: $(grep -m1 disagrees <<<"$out")"
  else
    echo "FAIL $v: dummy.ko with a changed CRC for $sym refused, but not for the CRC:"; echo "$out" | head -5; fail=1
  fi
done
[ "$fail" -eq 0 ] && echo "PASS" || echo "FAIL"
exit "$fail"
