#!/usr/bin/env bash
# fuzz/seeds-sig/ for the module_sig target: the PKCS#7 blobs of tests/corpus/make-sig-cases.sh's
# modules (RSA and 6.12's ECDSA by Debian's build keys, ours by sign-file, a SKID signer by
# openssl cms, a broken one) and the certificates that verify them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/fuzz/seeds-sig
mkdir -p "$out"
for d in $(bash "$root/tests/corpus/make-sig-cases.sh"); do
  v=$(basename "$d" | cut -d. -f1-2 | sed 's/\.[0-9]*-.*//; s/-.*//')
  cp "$d/builtin.der" "$out/cert-builtin-$v.der"
  for k in debian own own-skid debian-der; do
    python3 - "$d/$k.ko" "$out/p7-$k-$v.der" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
n = len(b) - 28
sl = struct.unpack(">I", b[n - 4:n])[0]
open(sys.argv[2], "wb").write(b[n - 12 - sl:n - 12])
PY
  done
  cp "$(dirname "$d")/own/cert.der" "$out/cert-own.der"
done
ls "$out"
