#!/usr/bin/env bash
# Every sample of samples/ built through the installed CMake package (issue 12, "Samples": each
# builds with make, with the driver and with CMake, identical .ko). `cmake --install` into a
# temporary prefix, then samples/CMakeLists.txt (every sample, both Debian trees) configured
# against it, with Ninja and with Unix Makefiles, in the same binary directory one after the
# other, and for each generator:
#  1. the build covers every sample directory with a Kbuild (samples/cmake, a project of its
#     own, is tests/cmake_package.sh's) and writes every module's .ko for both trees;
#  2. every output (.ko, Module.symvers, objects, .mod.c, .cmd files ...) is byte for byte what
#     `make -C <tree> M=<dir> modules` builds at the SAME path (kbuild_lib.sh explains why) from
#     a copy of the sample's own directory, as make builds it in place: the package's build
#     must be the sample's own (KBUILD_FILE, headers linked), and its .cmd files may differ
#     only by the -iquote words it adds.  import_ns alone (its Kbuild's ../export_ns paths hold
#     in the source tree only; DEPENDS instead) is made from the generated Kbuild and links.
#     make runs once, with the first generator's binary directory moved aside, and its outputs
#     are kept for the second.  A 6.12 .ko that differs only in .BTF is accepted (pahole
#     1.24's -j is not reproducible: cmake_package.sh, kbuild_compare.sh);
#  3. a no-op `cmake --build` runs no module step and changes no file (mtimes);
#  4. every module loads into the emulated kernel (the installed modforge-kmod), per tree, in
#     dependency order from the depends= lines (export_ns before import_ns; devtable after the
#     target's usbcore and usb-common, from the oracle's unpacked image), import_ns alone is
#     refused, and every module unloads again in reverse order, leaving none loaded.
# Usage: samples_cmake.sh MODFORGE SOURCE_DIR
# Env: MODFORGE_KEEP=1 keeps the work dir; SC_GENERATORS=Ninja (comma-separated) for local runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
source "$here/kbuild_lib.sh"
build=$(cd "$(dirname "$tool")/.." && pwd)
kb_need_tools cmake ninja make cmp objcopy readelf pahole
oracle_cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}

declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
rels=()
declare -A tree_of=()
for v in 6.1 6.12; do
  r=$(kb_kver "${trees[$v]}")
  [ -n "$r" ] || { echo "FAIL: no UTS_RELEASE in ${trees[$v]}"; exit 1; }
  rels+=("$r"); tree_of[$r]=${trees[$v]}
  # the target's shipped modules (devtable needs usbcore): kernel-oracle.sh unpacks them
  [ -d "$oracle_cache/$r/lib/modules/$r/kernel" ] ||
    { echo "FAIL: no shipped modules at $oracle_cache/$r/lib/modules/$r (kernel-oracle.sh --setup $v)"; exit 1; }
done
work=$(mktemp -d /tmp/modforge-samples-cmake.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t_start=$(date +%s%N)

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; exit 1; }
kmod=$prefix/bin/modforge-kmod
[ -x "$kmod" ] && [ -x "$prefix/bin/modforge" ] || { echo "FAIL: cmake --install did not install modforge and modforge-kmod"; exit 1; }

# The samples the build must cover: every directory of samples/ with a Kbuild.
mapfile -t want_samples < <(cd "$src/samples" && find . -mindepth 2 -maxdepth 2 -name Kbuild -printf '%h\n' | sed 's|^\./||' | LC_ALL=C sort)
[ ${#want_samples[@]} -ge 9 ] || { echo "FAIL: only ${#want_samples[@]} samples under $src/samples"; exit 1; }

b=$work/b      # the binary directory of both generators (the same paths, so comparable with make's)
ref=$work/make # make's builds at those paths, moved here
mods=()        # <sample>/<module> directories of the binary directory, from the first configure
cbuild() { cmake --build "$b" > "$work/build.log" 2>&1 || { cat "$work/build.log"; return 1; }; }
# every file of the module directories with its mtime
snapshot() {
  local m
  for m in "${mods[@]}"; do (cd "$b" && find "$m" -type f -printf '%p %T@\n'); done | LC_ALL=C sort
}

# What make builds at a module directory's paths: a sample whose generated Kbuild only includes
# its own Kbuild and adds -iquote words (KBUILD_FILE) is built by make from a copy of its own
# directory, as in place; another (import_ns: its Kbuild's ../export_ns paths hold in the
# source tree only) from the generated Kbuild and its links.  ref_kind[m] is own or generated,
# ref_strip[m] the words the package adds, which only the .cmd files may show.
declare -A ref_kind=() ref_strip=()
classify() {
  local m=$1 s=${1%%/*} kb line
  kb=$b/$m/src/Kbuild
  ref_kind[$m]=generated ref_strip[$m]=
  grep -qxF "include $src/samples/$s/Kbuild" "$kb" || return 0
  while IFS= read -r line; do
    case $line in
      "#"* | "include $src/samples/$s/Kbuild") ;;
      "ccflags-y += "* | "asflags-y += "*)
        line=${line#*+= }
        # only "-iquote DIR" pairs, each a directory of the sample's sources
        [[ $line =~ ^(-iquote\ [^ ]+)( -iquote [^ ]+)*$ ]] || return 0
        ref_strip[$m]=$line ;;
      *) return 0 ;;
    esac
  done < "$kb"
  ref_kind[$m]=own
}

# make M= at every module directory's paths; an importer after the modules whose
# Module.symvers its Kbuild names (the package's exports/ copies).
make_reference() {
  local r m f pending next ready t0
  t0=$(date +%s%N)
  for m in "${mods[@]}"; do
    classify "$m"
    [ "${ref_kind[$m]}" = own ] || [ "${m%%/*}" = import_ns ] ||
      bad "$m: not built from samples/${m%%/*}/Kbuild alone (KBUILD_FILE, headers in SOURCES): $(grep -v '^#' "$b/$m/src/Kbuild" | head -3 | paste -sd' ')"
  done
  kb_stash "$b" ours
  for r in "${rels[@]}"; do
    pending=("${mods[@]}")
    while [ ${#pending[@]} -gt 0 ]; do
      next=()
      for m in "${pending[@]}"; do
        ready=1
        for f in $(sed -n "s|^KBUILD_EXTRA_SYMBOLS += \(.*/exports/$r/Module.symvers\)$|\1|p" "$b.ours/$m/src/Kbuild"); do
          [ -f "$f" ] || ready=
        done
        [ -n "$ready" ] || { next+=("$m"); continue; }
        if [ "${ref_kind[$m]}" = own ]; then kb_copy "$src/samples/${m%%/*}" "$b/$m/$r"
        else kb_copy "$b.ours/$m/src" "$b/$m/$r"; fi
        kb_make "${tree_of[$r]}" "$b/$m/$r" || { bad "make failed for $m ($r)"; cat "$KB_ERR"; }
        # what the package gives importers: a copy of Module.symvers (modforgeKernelModule.cmake)
        mkdir -p "$b/$m/exports/$r"
        [ ! -f "$b/$m/$r/Module.symvers" ] || cp "$b/$m/$r/Module.symvers" "$b/$m/exports/$r/"
      done
      [ ${#next[@]} -lt ${#pending[@]} ] || { bad "$r: no order builds ${next[*]} (a Module.symvers they name is never made)"; break; }
      pending=("${next[@]}")
    done
  done
  mv "$b" "$ref"
  mv "$b.ours" "$b"
  echo "make M= of ${#mods[@]} modules x ${#rels[@]} trees: $(ms "$t0") ms"
}

# compare GENERATOR: every module directory's outputs against make's (kb_compare: every .ko,
# Module.symvers, object, .mod.c, .cmd file ...); tallies per release
declare -A n_same=() n_btf=() n_own=()
compare() {
  local g=$1 r m out line f rest strip btf
  for r in "${rels[@]}"; do
    n_same[$g,$r]=0 n_btf[$g,$r]=0 n_own[$g,$r]=0
    for m in "${mods[@]}"; do
      out=$(kb_compare "$ref/$m/$r" "$b/$m/$r") || true
      rest=() btf=
      strip=${ref_strip[$m]:+ ${ref_strip[$m]}}
      while IFS= read -r line; do
        case $line in
          "" | " "*) continue ;;  # kb_compare's excerpt of a text diff
          "differs "*.cmd)
            # a .cmd file of an own-Kbuild build: the package's -iquote words, nothing else
            f=${line#differs }
            if [ -n "$strip" ] && cmp -s "$ref/$m/$r/$f" <(awk -v s="$strip" '{ while ((i = index($0, s)) > 0) $0 = substr($0, 1, i - 1) substr($0, i + length(s)); print }' "$b/$m/$r/$f"); then
              continue
            fi ;;
          "differs "*".ko sections: "*" without .BTF: identical")
            # pahole 1.24's -j (6.12's Makefile.modfinal) is not reproducible
            if [[ $r == 6.12.* ]]; then btf=1; continue; fi ;;
        esac
        rest+=("$line")
      done <<<"$out"
      if [ ${#rest[@]} -gt 0 ]; then
        bad "$g $m $r: outputs differ from make's (${ref_kind[$m]} Kbuild):"; printf '%s\n' "$out"
        continue
      fi
      n_same[$g,$r]=$((n_same[$g,$r] + 1))
      [ -z "$btf" ] || n_btf[$g,$r]=$((n_btf[$g,$r] + 1))
      [ "${ref_kind[$m]}" != own ] || n_own[$g,$r]=$((n_own[$g,$r] + 1))
    done
  done
}

# load GENERATOR: per tree, every module into the emulated kernel in dependency order, then out
declare -A load_result=()
load_all() {
  local g=$1 r ko n d shipped_dir
  for r in "${rels[@]}"; do
    shipped_dir=$oracle_cache/$r/lib/modules/$r
    export MODFORGE_TARGET=${tree_of[$r]} MODFORGE_MODULES=$shipped_dir MODFORGE_STATE=$work/state-$r
    rm -f "$MODFORGE_STATE"
    local -A path=() deps=() done_=()
    local order=() shipped=()
    for m in "${mods[@]}"; do
      ko=$b/$m/$r/${m##*/}.ko
      n=${m##*/}
      path[$n]=$ko
    done
    # depends= as the kernel names modules (usb-common is usb_common in /proc/modules)
    mod_deps() { "$kmod" modinfo -F depends "$1" | tr ',' '\n' | sed '/^$/d; s/-/_/g'; }
    for n in "${!path[@]}"; do deps[$n]=$(mod_deps "${path[$n]}"); done
    visit() {
      local n=$1 d f
      [ -z "${done_[$n]:-}" ] || return 0
      done_[$n]=1
      for d in ${deps[$n]}; do
        if [ -z "${path[$d]:-}" ]; then  # a module of the target kernel
          f=$(find "$shipped_dir/kernel" -regex ".*/${d//_/[-_]}\.ko\(\.xz\|\.zst\|\.gz\)?" | head -2)
          [ "$(wc -l <<<"$f")" = 1 ] && [ -n "$f" ] || { bad "$g $r: ${n} depends on $d, neither built nor shipped"; continue; }
          path[$d]=$f; deps[$d]=$(mod_deps "$f"); shipped+=("$d")
        fi
        visit "$d"
      done
      order+=("$n")
    }
    for n in $(printf '%s\n' "${!path[@]}" | LC_ALL=C sort); do visit "$n"; done
    # an importer alone is refused (the emulated kernel checks its imports)
    if "$kmod" insmod "${path[import_ns]}" 2> "$work/err"; then bad "$g $r: import_ns loaded without export_ns"; fi
    [ -z "$("$kmod" lsmod | tail -n +2)" ] || bad "$g $r: a module is left after the refused insmod"
    local loads=0 unloads=0
    for n in "${order[@]}"; do
      if "$kmod" insmod "${path[$n]}" 2> "$work/err"; then loads=$((loads + 1))
      else bad "$g $r: insmod ${path[$n]}: $(cat "$work/err")"; fi
    done
    for ((i = ${#order[@]} - 1; i >= 0; i--)); do
      if "$kmod" rmmod "${order[$i]}" 2> "$work/err"; then unloads=$((unloads + 1))
      else bad "$g $r: rmmod ${order[$i]}: $(cat "$work/err")"; fi
    done
    [ -z "$("$kmod" lsmod | tail -n +2)" ] || { bad "$g $r: modules left loaded:"; "$kmod" lsmod; }
    load_result[$g,$r]="$loads/${#order[@]} insmods, $unloads rmmods (order: ${order[*]}; ${#shipped[@]} shipped: ${shipped[*]})"
    unset MODFORGE_TARGET MODFORGE_MODULES MODFORGE_STATE
  done
}

summary=()
IFS=, read -r -a generators <<<"${SC_GENERATORS:-Ninja,Unix Makefiles}"
for g in "${generators[@]}"; do
  rm -rf "$b"
  t0=$(date +%s%N)
  cmake -S "$src/samples" -B "$b" -G "$g" -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; bad "$g: configure"; continue; }
  configure=$(ms "$t0")
  t0=$(date +%s%N)
  cbuild || { bad "$g: the first build failed"; continue; }
  first=$(ms "$t0")

  # 1. every sample, every module, both trees
  mapfile -t found < <(cd "$b" && find . -maxdepth 4 -path ./CMakeFiles -prune -o -path '*/src/Kbuild' -printf '%h\n' | sed 's|^\./||; s|/src$||' | LC_ALL=C sort)
  [ ${#found[@]} -gt 0 ] || { bad "$g: no module directory under $b"; continue; }
  if [ ${#mods[@]} = 0 ]; then mods=("${found[@]}")
  elif [ "${mods[*]}" != "${found[*]}" ]; then bad "$g: other modules than the first generator's: ${found[*]}"; fi
  missing=$(LC_ALL=C comm -23 <(printf '%s\n' "${want_samples[@]}" | grep -vx cmake) <(printf '%s\n' "${found[@]%%/*}" | LC_ALL=C sort -u))
  [ -z "$missing" ] || bad "$g: samples/CMakeLists.txt does not build: $missing"
  for m in "${found[@]}"; do for r in "${rels[@]}"; do
    [ -f "$b/$m/$r/${m##*/}.ko" ] || bad "$g: no $m/$r/${m##*/}.ko"
  done; done

  # 2. against make M=
  [ -d "$ref" ] || make_reference
  compare "$g"

  # 3. no-op
  before=$(snapshot)
  t0=$(date +%s%N)
  cbuild || bad "$g: the no-op build failed"
  noop=$(ms "$t0")
  if grep -q 'Building kernel module' "$work/build.log"; then bad "$g: the no-op build ran modforge"; cat "$work/build.log"; fi
  [ "$before" = "$(snapshot)" ] || { bad "$g: the no-op build changed files"; diff <(echo "$before") <(snapshot) | head; }

  # 4. loads
  load_all "$g"
  line="$g: configure $configure ms, first build $first ms, no-op $noop ms;"
  for r in "${rels[@]}"; do
    line+=" $r: ${n_same[$g,$r]}/${#mods[@]} identical to make's (${n_own[$g,$r]} from their own Kbuild; ${n_btf[$g,$r]} .ko but for .BTF), ${load_result[$g,$r]};"
  done
  summary+=("$line")
done
printf '%s\n' "${summary[@]}"
echo "total $(ms "$t_start") ms"
[ $fail = 0 ] && echo "PASS" || echo "FAIL"
exit $fail
