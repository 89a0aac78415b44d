#!/usr/bin/env bash
# The main job: set up (packages + build), then run our genksyms on the bundled sample — a
# real preprocessed kernel file recorded from a Debian kbuild run — print its #SYMVER lines,
# write its symtypes, and compare both with the real genksyms of the same kernel.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/setup.sh"
kernel=${MODFORGE_KERNEL:-6.12}
declare -A real=([6.1]=/usr/lib/linux-kbuild-6.1/scripts/genksyms/genksyms
                 [6.12]=/usr/lib/linux-kbuild-6.12.117+deb12/scripts/genksyms/genksyms)
out=$here/build/sample
mkdir -p "$out"
sample=$(ls "$here"/samples/genksyms/*.i.xz | head -1)
xz -dc "$sample" > "$out/sample.i"
echo "== our genksyms (kernel $kernel) on $(basename "$sample" .xz): $(wc -c < "$out/sample.i") bytes of preprocessed C"
"$here/build/genksyms/genksyms" --kernel="$kernel" -T "$out/sample.symtypes" -r /dev/null < "$out/sample.i" | tee "$out/sample.symver"
echo "== symtypes written to build/sample/sample.symtypes ($(wc -l < "$out/sample.symtypes") types), first lines:"
head -5 "$out/sample.symtypes" | cut -c1-160
"${real[$kernel]}" -T "$out/real.symtypes" -r /dev/null < "$out/sample.i" > "$out/real.symver"
if cmp -s "$out/sample.symver" "$out/real.symver" && cmp -s "$out/sample.symtypes" "$out/real.symtypes"; then
  echo "== identical to the real genksyms ($kernel): #SYMVER lines and symtypes"
else
  echo "== DIFFERENT from the real genksyms ($kernel)"; exit 1
fi
