#!/usr/bin/env bash
# Builds every module of tests/corpus/loader-modules/ with the REAL kbuild of a Debian
# headers tree:  build-modules.sh 6.1|6.12 OUTDIR
# Each module directory is copied to OUTDIR/<name>/ and built there with
# `make -C /usr/src/linux-headers-<rel> M=OUTDIR/<name> modules`; lc_exp (the exporter,
# whose Module.symvers the importers read through KBUILD_EXTRA_SYMBOLS) goes first.
# lc_ns_noimp is built with CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y on make's
# command line (modpost's -N), so that modpost warns instead of refusing it.
# Prints OUTDIR/<name>/<name>.ko paths; exit 1 naming the module whose build failed.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 6.1|6.12 OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$here/../loader-modules
case $1 in
  6.1) rel=6.1.0-56-amd64 ;;
  6.12) rel=6.12.117+deb12-amd64 ;;
  *) echo "$0: unknown version $1 (6.1 or 6.12)" >&2; exit 2 ;;
esac
tree=/usr/src/linux-headers-$rel
[ -f "$tree/Module.symvers" ] || { echo "$0: headers tree $tree missing (scripts/setup.sh installs it)" >&2; exit 1; }
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
names=(lc_exp)
for d in "$srcdir"/*/; do
  n=$(basename "$d"); [ "$n" = lc_exp ] || names+=("$n")
done
for n in "${names[@]}"; do
  rm -rf "${out:?}/$n"
  cp -r "$srcdir/$n" "$out/$n"
  extra=()
  [ "$n" != lc_ns_noimp ] || extra=(CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y)
  if ! nice make -s -C "$tree" M="$out/$n" "${extra[@]}" modules >"$out/$n.log" 2>&1 \
      || [ ! -f "$out/$n/$n.ko" ]; then
    echo "$0: building $n for $rel failed:" >&2; cat "$out/$n.log" >&2; exit 1
  fi
  # As modules_install INSTALL_MOD_STRIP=1 does: the corpus stores no debug info.
  strip --strip-debug "$out/$n/$n.ko"
  echo "$out/$n/$n.ko"
done
