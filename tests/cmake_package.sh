#!/usr/bin/env bash
# The installed CMake package (issue 12): `cmake --install` into a temporary prefix, then
# samples/cmake (mfs_counter, two objects, exports; mfs_client imports it through DEPENDS; both
# include a shared header; both Debian trees) configured against it with Ninja and with Unix
# Makefiles, in the same binary directory one after the other, and for each generator:
#  1. the first build, then every output compared byte for byte with what
#     `make -C <tree> M=<dir> modules` builds from the same Kbuild and sources at the SAME
#     path (the binary directory is moved aside and the module directories recreated there:
#     kbuild_lib.sh explains why the paths must be the same);
#  2. a no-op `cmake --build` changes no file (mtimes) and, with Ninja, takes under 100 ms;
#  3. editing the counter's own header rebuilds exactly the objects whose .cmd files list it,
#     their .ko, and nothing of the client (the counter's Module.symvers stays the same);
#  4. editing the shared header (an INCLUDE_DIRECTORIES header): every object listing it.  This
#     stands for a kernel tree header, which the test must not write: both reach the driver
#     the same way (the .cmd files' dependencies, then the depfile), and step 7 checks that the
#     tree's headers and Makefiles are in the depfile the generator reads;
#  5. a change of an exported type (CRC): the client's modpost runs again (its .mod.c changes);
#  6. a CFLAGS entry edited in the client's CMakeLists.txt rebuilds the client only;
#  7. the depfile names the tree's headers, Makefiles and config of both trees;
#  8. compile_commands.json has the real sources' commands (Makefiles run: --clang's variant);
#  9. both modules load into the emulated kernel (build/loader/modforge-kmod, installed),
#     exporter first, for each tree; the importer alone is refused (unknown symbols).
# Usage: cmake_package.sh MODFORGE SOURCE_DIR
# Env: MODFORGE_KEEP=1 keeps the work dir; CP_GENERATORS=Ninja (comma-separated) for local runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
source "$here/kbuild_lib.sh"
build=$(cd "$(dirname "$tool")/.." && pwd)
kb_need_tools cmake ninja make cmp objcopy readelf pahole

declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d /tmp/modforge-cmake-package.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; exit 1; }
for f in bin/modforge bin/modforge-kmod lib/cmake/modforge/modforgeConfig.cmake lib/cmake/modforge/modforgeConfigVersion.cmake; do
  [ -e "$prefix/$f" ] || bad "cmake --install did not install $f"
done
kmod=$prefix/bin/modforge-kmod

b=$work/b        # the binary directory of both generators (the same paths, so comparable)
sample=$work/src # a copy of samples/cmake, edited by the steps
mods=(counter/mfs_counter client/mfs_client)
rels=()
for v in 6.1 6.12; do rels+=("$(kb_kver "${trees[$v]}")"); done
declare -A tree_of=([${rels[0]}]=${trees[6.1]} [${rels[1]}]=${trees[6.12]})

# outputs of the module directories with their mtimes (not the driver's depfile and stamp)
snapshot() {
  local m
  for m in "${mods[@]}"; do
    (cd "$b" && find "$m" -path "$m/src" -prune -o -type f ! -name deps.d ! -name build.stamp \
      ! -name compile_commands.json -printf '%p %T@\n')
  done | LC_ALL=C sort
}
changed() { LC_ALL=C comm -13 <(echo "$1") <(echo "$2") | cut -d' ' -f1; }
# the objects (not <module>.mod.o) whose .cmd file lists the header $1
listing() {
  local m r
  local m r o
  for m in "${mods[@]}"; do for r in "${rels[@]}"; do
    o=$(grep -l -F "$1" "$b/$m/$r"/.*.o.cmd 2>/dev/null | grep -v '\.mod\.o\.cmd$' |
      sed -e "s|^$b/||" -e 's|/\.\([^/]*\)\.cmd$|/\1|' || true)
    [ -n "$o" ] || continue
    echo "$o"
    # a multi-object module's <name>.o is linked from them (ld -r) again
    [ -e "$b/$m/src/${m#*/}.c" ] || echo "$m/$r/${m#*/}.o"
  done; done | LC_ALL=C sort -u
}
objects_in() { grep -E '\.o$' <<<"$1" | grep -v '\.mod\.o$' | LC_ALL=C sort || true; }
kos_in() { grep -E '\.ko$' <<<"$1" | LC_ALL=C sort || true; }
cbuild() { cmake --build "$b" > "$work/build.log" 2>&1 || { cat "$work/build.log"; return 1; }; }

# step NAME EXPECTED_OBJECTS EXPECTED_KOS: rebuild, then compare what changed with what was expected
step() {
  local name=$1 want_o=$2 want_ko=$3 before after ch
  before=$(snapshot)
  cbuild || { bad "$g $name: the build failed"; return; }
  after=$(snapshot)
  ch=$(changed "$before" "$after")
  echo "$g $name: rebuilt $(objects_in "$ch" | wc -l) objects, $(kos_in "$ch" | wc -l) .ko:" \
    $(objects_in "$ch" | sed 's|.*/\([^/]*/[^/]*\)$|\1|')
  [ "$(objects_in "$ch")" = "$want_o" ] || { bad "$g $name: rebuilt objects differ from the expected"; diff <(echo "$want_o") <(objects_in "$ch") || true; }
  [ "$(kos_in "$ch")" = "$want_ko" ] || { bad "$g $name: relinked .ko files differ from the expected"; diff <(echo "$want_ko") <(kos_in "$ch") || true; }
  last_changed=$ch
}

summary=()
IFS=, read -r -a generators <<<"${CP_GENERATORS:-Ninja,Unix Makefiles}"
for g in "${generators[@]}"; do
  rm -rf "$b" "$b".* "$sample"
  cp -a "$src/samples/cmake" "$sample"
  extra=()
  [ "$g" = Ninja ] || extra=(-DMODFORGE_COMPILE_COMMANDS_CLANG=ON)
  cmake -S "$sample" -B "$b" -G "$g" -DCMAKE_PREFIX_PATH="$prefix" -DMODFORGE_EXPORT_COMPILE_COMMANDS=ON "${extra[@]}" \
    > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; bad "$g: configure"; continue; }
  t0=$(date +%s%N)
  cbuild || { bad "$g: the first build failed"; continue; }
  first=$(ms "$t0")
  for m in "${mods[@]}"; do for r in "${rels[@]}"; do
    [ -f "$b/$m/$r/${m#*/}.ko" ] || bad "$g: no $m/$r/${m#*/}.ko"
  done; done

  # 1. make at the same paths, from the generated Kbuild and the same sources
  kb_stash "$b" ours
  identical=0
  for r in "${rels[@]}"; do
    for m in "${mods[@]}"; do  # the exporter first: the client reads its Module.symvers
      mkdir -p "$b/$m/$r"
      cp -a "$b.ours/$m/src/." "$b/$m/$r/"
      kb_make "${tree_of[$r]}" "$b/$m/$r" || { bad "$g: make failed for $m ($r)"; cat "$KB_ERR"; }
      # what the package gives importers: a copy of Module.symvers (modforgeKernelModule.cmake)
      mkdir -p "$b/$m/exports/$r" && cp "$b/$m/$r/Module.symvers" "$b/$m/exports/$r/"
    done
  done
  for r in "${rels[@]}"; do for m in "${mods[@]}"; do
    if out=$(kb_compare "$b/$m/$r" "$b.ours/$m/$r"); then
      identical=$((identical + 1))
    elif ! grep -v 'without .BTF: identical' <<<"$out" | grep -q '^\(differs\|only-in\)'; then
      identical=$((identical + 1)); echo "$g $m $r: .ko differs from make's only in .BTF (pahole -j):"; echo "$out"
    else
      bad "$g $m $r: outputs differ from make's:"; echo "$out"
    fi
  done; done
  rm -rf "$b"; mv "$b.ours" "$b"

  # 2. no-op
  before=$(snapshot)
  times=()
  for i in 1 2 3; do
    t0=$(date +%s%N); cbuild || bad "$g: no-op build failed"; times+=("$(ms "$t0")")
    if grep -q 'Building kernel module' "$work/build.log"; then bad "$g: the no-op build ran modforge"; cat "$work/build.log"; fi
  done
  [ "$before" = "$(snapshot)" ] || { bad "$g: the no-op build changed files"; diff <(echo "$before") <(snapshot) | head; }
  best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  if [ "$g" = Ninja ] && [ "$best" -ge 100 ]; then bad "Ninja: no-op cmake --build took ${times[*]} ms (limit 100)"; fi

  # 3. the counter's own header
  sed -i 's/mfs_counter: ready/mfs_counter: ready and counting/' "$sample/counter/counter_local.h"
  want=$(listing counter_local.h)
  [ -n "$want" ] || bad "$g: no .cmd file lists counter_local.h"
  cp "$b/counter/mfs_counter/${rels[0]}/Module.symvers" "$work/symvers.before"
  step "counter_local.h edit" "$want" "$(for r in "${rels[@]}"; do echo "counter/mfs_counter/$r/mfs_counter.ko"; done)"
  cmp -s "$work/symvers.before" "$b/counter/mfs_counter/${rels[0]}/Module.symvers" || bad "$g: the counter's Module.symvers changed"
  grep -q '^client/' <<<"$last_changed" && bad "$g: the client was rebuilt: $(grep '^client/' <<<"$last_changed" | head -3)"
  grep -q 'module mfs_client' "$work/build.log" && bad "$g: the client's step ran (its inputs did not change)"

  # 4. the shared header (an include directory of both modules): every object listing it
  sed -i 's/#define MFS_SHARED_VERSION 1/#define MFS_SHARED_VERSION 2/' "$sample/include/mfs_shared.h"
  want=$(listing mfs_shared.h)
  step "mfs_shared.h edit" "$want" "$(for m in "${mods[@]}"; do for r in "${rels[@]}"; do echo "$m/$r/${m#*/}.ko"; done; done | LC_ALL=C sort)"

  # 5. an exported type changes (CRCs): the client's modpost must take the new CRCs
  cp "$b/client/mfs_client/${rels[0]}/mfs_client.mod.c" "$work/modc.before"
  sed -i 's/\ts64 value;/\ts64 value;\n\tu32 flags;/' "$sample/include/mfs_shared.h"
  step "exported type change" "$(listing mfs_shared.h)" "$(for m in "${mods[@]}"; do for r in "${rels[@]}"; do echo "$m/$r/${m#*/}.ko"; done; done | LC_ALL=C sort)"
  cmp -s "$work/modc.before" "$b/client/mfs_client/${rels[0]}/mfs_client.mod.c" && bad "$g: the client's .mod.c kept the old CRCs"

  # 6. a CFLAGS entry of the client
  sed -i 's/-Wframe-larger-than=1024/-Wframe-larger-than=2048/' "$sample/client/CMakeLists.txt"
  step "client CFLAGS edit" "$(for r in "${rels[@]}"; do echo "client/mfs_client/$r/mfs_client.o"; done)" \
    "$(for r in "${rels[@]}"; do echo "client/mfs_client/$r/mfs_client.ko"; done)"
  grep -q '^counter/' <<<"$last_changed" && bad "$g: the counter was rebuilt by the client's CFLAGS"

  # 7. the tree's inputs are in the depfile, as the generator reads it
  if [ "$g" = Ninja ]; then gen_deps=$(cat "$b"/CMakeFiles/d/*.d); else gen_deps=$(cat "$b"/counter/CMakeFiles/mfs_counter.dir/compiler_depend.make); fi
  for v in 6.1 6.12; do
    t=${trees[$v]} common=${trees[$v]/-amd64/-common}
    for f in "$common/include/linux/module.h" "$t/include/config/auto.conf" "$t/arch/x86/module.lds" \
             "$common/Makefile" "$common/scripts/Makefile.build" "$b/counter/mfs_counter/src/Kbuild" "$sample/counter/counter_ops.c"; do
      grep -q -F "$f" "$b/counter/mfs_counter/deps.d" || bad "$g: deps.d does not list $f"
      grep -q -F "${f#"$b"/}" <<<"$gen_deps" || bad "$g: the generator's dependencies do not list $f"
    done
  done
  grep -q -F "$b/counter/mfs_counter/exports/${rels[1]}/Module.symvers" "$b/client/mfs_client/deps.d" ||
    bad "$g: the client's depfile does not list the counter's Module.symvers"

  # 8. compile_commands.json
  db=$b/compile_commands.json
  for f in counter/counter_main.c counter/counter_ops.c client/mfs_client.c; do
    grep -q -F "\"$sample/$f\"" "$db" || bad "$g: compile_commands.json has no entry for $f"
  done
  grep -q -F -- '-I/usr/src/linux-headers-6.1.0-56-common/include' "$db" || bad "$g: compile_commands.json lacks the tree's flags"
  if [ "$g" = Ninja ]; then grep -q -F -- '-fconserve-stack' "$db" || bad "Ninja: the GCC variant lacks -fconserve-stack"
  else grep -q -F -- '-fconserve-stack' "$db" && bad "Makefiles: the --clang variant has -fconserve-stack"; fi

  # 9. loads into the emulated kernel
  loads=0
  for r in "${rels[@]}"; do
    pkg=${tree_of[$r]#/usr/src/linux-headers-}
    export MODFORGE_TARGET=${tree_of[$r]} MODFORGE_MODULES=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}/$pkg/lib/modules/$pkg
    [ -d "$MODFORGE_MODULES" ] || MODFORGE_MODULES=/lib/modules/$pkg
    export MODFORGE_STATE=$work/state-$g-$r
    rm -f "$MODFORGE_STATE"
    if "$kmod" insmod "$b/client/mfs_client/$r/mfs_client.ko" 2> "$work/err"; then
      bad "$g $r: the client loaded without the counter"
    fi
    rm -f "$MODFORGE_STATE"
    for m in "${mods[@]}"; do
      if "$kmod" insmod "$b/$m/$r/${m#*/}.ko" 2> "$work/err"; then loads=$((loads + 1))
      else bad "$g $r: insmod ${m#*/}.ko: $(cat "$work/err")"; fi
    done
    unset MODFORGE_STATE MODFORGE_TARGET MODFORGE_MODULES
  done
  summary+=("$g: first build ${first} ms; ${identical}/4 module builds identical to make's; no-op cmake --build ${times[*]} ms; $loads/4 insmods")
done
printf '%s\n' "${summary[@]}"
[ $fail = 0 ] && echo "PASS" || echo "FAIL"
exit $fail
