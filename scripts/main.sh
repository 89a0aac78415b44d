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

# modpost: build the sample modules with Debian's kbuild, once with our modpost and once with
# the real one, and compare what each wrote.  Both builds use the same path, since module
# names in Module.symvers are absolute paths.
declare -A tree=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
declare -A realmp=([6.1]=/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64
                   [6.12]=/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64)
for who in ours real; do
  rm -rf "$out/mod" "$out/mod-$who"; mkdir -p "$out/mod"
  cp -r "$here/samples/exporter" "$here/tests/corpus/modpost-modules/load_pair" "$out/mod/"
  for d in exporter load_pair; do
    if [ $who = ours ]; then mp="$here/build/modpost/modpost"; else mp=${realmp[$kernel]}; fi
    make -s -C "${tree[$kernel]}" M="$out/mod/$d" MODPOST="$mp" MODFORGE_KERNEL="$kernel" modules > "$out/mod/$d.log" 2>&1
  done
  mv "$out/mod" "$out/mod-$who"
done
echo "== our modpost (kernel $kernel) on samples/exporter and load_pair: load_pair_imp.mod.c"
sed -n '/____versions/,/^};/p;/depends/p' "$out/mod-ours/load_pair/load_pair_imp.mod.c"
same=1
for d in exporter load_pair; do
  for f in $(cd "$out/mod-real/$d" && ls *.mod.c Module.symvers); do
    cmp -s "$out/mod-ours/$d/$f" "$out/mod-real/$d/$f" || { echo "   $d/$f differs"; same=0; }
  done
done
if [ $same = 1 ]; then echo "== identical to the real modpost ($kernel): every .mod.c and Module.symvers"; else echo "== DIFFERENT from the real modpost"; exit 1; fi

# loader: the modules just built with our modpost, in an emulated kernel of the same release
# (state in build/sample/kernel.state): one refused module with the kernel's own lines, then
# modprobe from a module directory indexed by our depmod, insmod, lsmod, and unloading.
kmod=$here/build/loader/bin
release=$(cat "${tree[$kernel]}/include/config/kernel.release")
export MODFORGE_STATE=$out/kernel.state MODFORGE_TARGET=${tree[$kernel]}
# the target's shipped modules: /lib/modules/<release> when its image package is installed
# (setup.sh installs 6.12's), else the oracle cache's unpacked package
pkg=${tree[$kernel]#/usr/src/linux-headers-}
[ -d "/lib/modules/$pkg/kernel" ] || export MODFORGE_MODULES=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}/$pkg/lib/modules/$pkg
rm -f "$MODFORGE_STATE"
m=$out/mod-ours
echo "== loader: emulated kernel $release (target ${tree[$kernel]})"
echo "\$ insmod load_pair_imp.ko     # before the module it needs"
"$kmod/insmod" --dmesg "$m/load_pair/load_pair_imp.ko" && { echo "   loaded?! it must be refused"; exit 1; }
root=$out/modroot
rm -rf "$root"; mkdir -p "$root/lib/modules/$release/extra"
cp "$m"/load_pair/*.ko "$m"/exporter/*.ko "$root/lib/modules/$release/extra/"
"$kmod/depmod" -b "$root" "$release" 2>/dev/null
echo "\$ modprobe -v load_pair_imp   # modules.dep by our depmod: the exporter first"
"$kmod/modprobe" -v -d "$root" -S "$release" --dmesg load_pair_imp
echo "\$ insmod exporter.ko"
"$kmod/insmod" --dmesg "$m/exporter/exporter.ko"
echo "\$ lsmod"
"$kmod/lsmod"
echo "\$ rmmod load_pair_exp         # still used by load_pair_imp"
"$kmod/rmmod" load_pair_exp && { echo "   removed?! it is in use"; exit 1; }
echo "\$ rmmod exporter; modprobe -r -v load_pair_imp"
"$kmod/rmmod" exporter
"$kmod/modprobe" -r -v -d "$root" -S "$release" load_pair_imp
echo "\$ lsmod"
"$kmod/lsmod"

# kbuild: `modforge build` builds the samples as `make -C <tree> M=<dir> modules` does, for
# both Debian trees in one command; then a no-op rebuild, timed next to make's.
mf=$here/build/kbuild/modforge
kb=$out/kbuild
rm -rf "$kb"; mkdir -p "$kb"
cp -r "$here/samples/exporter" "$kb/"
export MODFORGE_KBUILD_CACHE=$kb/cache
echo "== modforge build (both Debian trees at once): samples/exporter"
echo "\$ modforge build exporter --kernel ${tree[6.1]} --kernel ${tree[6.12]}"
(cd "$kb" && "$mf" build exporter --kernel "${tree[6.1]}" --kernel "${tree[6.12]}")
echo "\$ ls exporter/build-*/*.ko"
(cd "$kb" && ls -l exporter/build-*/*.ko)
echo "\$ modforge build exporter --kernel ${tree[$kernel]}   # in place, as make M= does"
(cd "$kb" && "$mf" build exporter --kernel "${tree[$kernel]}")
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
# from the same directory as the build above: the plan's key includes $PWD (DKMS Makefiles read it)
ours_ms=$(cd "$kb" && ms "$mf" build exporter --kernel "${tree[$kernel]}")
make_ms=$(ms make -C "${tree[$kernel]}" M="$kb/exporter" modules)
echo "== no-op rebuild: modforge build ${ours_ms} ms, make M= ${make_ms} ms"

# CMake: the samples as a user builds them, through the installed package: configure samples/
# (every sample, both Debian trees) against `cmake --install`'s prefix, build, a no-op, edit a
# header three objects of multi_object include and rebuild, then load every sample into the
# emulated kernel (what the samples need from the kernel itself comes from its own modules
# through modprobe) and unload them.
cm=$out/cmake
rm -rf "$cm"; mkdir -p "$cm"
export MODFORGE_KBUILD_CACHE=$cm/cache
cmake --install "$here/build" --prefix "$cm/prefix" > /dev/null
cp -r "$here/samples" "$cm/samples"   # a copy: the header edit below stays out of the repository
echo "== CMake: samples/ through the installed package (find_package(modforge), modforge_add_kernel_module)"
echo "\$ cmake -S samples -B build-samples -G Ninja -DCMAKE_PREFIX_PATH=<prefix>"
cmake -S "$cm/samples" -B "$cm/b" -G Ninja -DCMAKE_PREFIX_PATH="$cm/prefix" > "$cm/configure.log" || { cat "$cm/configure.log"; exit 1; }
echo "\$ cmake --build build-samples    # (the first and last lines)"
cmake --build "$cm/b" > "$cm/build.log" 2>&1 || { cat "$cm/build.log"; exit 1; }
head -6 "$cm/build.log"; echo "   ..."; tail -3 "$cm/build.log"
echo "\$ ls build-samples/*/*/*/*.ko"
(cd "$cm/b" && ls */*/*/*.ko | column -c 150)
t0=$(date +%s%N); cmake --build "$cm/b" > "$cm/noop.log"; t1=$(date +%s%N)
echo "== no-op cmake --build: $(((t1 - t0) / 1000000)) ms ($(grep -c . "$cm/noop.log") line: $(head -1 "$cm/noop.log"))"
echo "\$ echo '/* edited */' >> samples/multi_object/mo.h; cmake --build build-samples"
echo '/* edited */' >> "$cm/samples/multi_object/mo.h"
cmake --build "$cm/b" > "$cm/rebuild.log" 2>&1 || { cat "$cm/rebuild.log"; exit 1; }
grep -E '^  (CC|LD)' "$cm/rebuild.log" | sed 's|'"$cm"'/b/||' || true
echo "   (rebuilt: $(grep -cE '^  CC' "$cm/rebuild.log") compiles; the other samples untouched)"
rel=$release
kos=$cm/b
export MODFORGE_STATE=$cm/kernel.state MODFORGE_TARGET=${tree[$kernel]}
rm -f "$MODFORGE_STATE"
echo "== the samples in an emulated $rel kernel"
echo "\$ modprobe -v usbcore; modprobe -v crc16     # devtable needs usbcore; hello's softdep names crc16"
"$kmod/modprobe" -v usbcore; "$kmod/modprobe" -v crc16
for m in hello/hello "params/params p_int=-7 p_charp=hi p_array=1,2,3 p_string=modforge p_hexint=0xff" export_ns/export_ns import_ns/import_ns \
         multi_object/multi_object kobject/kobject_sysfs devtable/devtable asm_call/asm_call exporter/exporter; do
  set -- $m
  name=${1#*/}
  ko=$(find "$kos" -path "*/$rel/$name.ko" | head -1)
  shift
  echo "\$ insmod $name.ko $*"
  "$kmod/insmod" --dmesg "$ko" "$@"
done
echo "\$ lsmod"
"$kmod/lsmod"
echo "\$ rmmod every sample (import_ns before export_ns)"
for n in exporter asm_call devtable kobject_sysfs multi_object import_ns export_ns params hello; do "$kmod/rmmod" "$n"; done
"$kmod/lsmod" | grep -qE '^(hello|params|export_ns|import_ns|multi_object|kobject_sysfs|devtable|asm_call|exporter) ' &&
  { echo "   a sample is still loaded"; exit 1; }
echo "== every sample loaded and unloaded"
# a module of the other kernel too: refused, with every reason
orel=$([ "$kernel" = 6.12 ] && echo 6.1.0-56-amd64 || echo 6.12.117+deb12-amd64)
echo "== will they load?  modforge check load: the samples, and $orel's crc8, into the $rel kernel"
other=$(ls "${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}/$orel/lib/modules/$orel/kernel/lib/crc8.ko"* | head -1)
mods=$(find "$kos" -path "*/$rel/*.ko" | sort)
echo "\$ modforge check load <the 9 samples> $(basename "$other") --kernel ${tree[$kernel]}"
rc=0
"$mf" check load $mods "$other" --kernel "${tree[$kernel]}" ${MODFORGE_MODULES:+--modules "$MODFORGE_MODULES"} || rc=$?
echo "   (exit $rc: 1 = something is refused; --format json|junit|markdown for CI)"
