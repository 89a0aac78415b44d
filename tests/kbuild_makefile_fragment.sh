#!/usr/bin/env bash
# templates/modforge.mk, the fragment a module's own Makefile includes (`include $(shell
# modforge --makefile)`), on samples/makefile (the classic `ifneq ($(KERNELRELEASE),) ...
# else include ... endif` shape, six objects), for each Debian headers tree:
#  - `make KERNEL_DIR=<tree>` in the module's directory writes exactly what
#    `make -C <tree> M=<dir> modules` writes at the same path (kb_compare: every output byte
#    for byte); `make` again runs nothing and touches nothing;
#  - `make install INSTALL_MOD_PATH=A` installs the files `make -C <tree> M= modules_install
#    INSTALL_MOD_PATH=B` installs, identical (plus the indexes of our depmod, which
#    kbuild_install_clean checks against kmod's); `make clean` leaves what `make M= clean` leaves;
# then, once, make's jobserver: a parent Makefile runs `$(MAKE) -C <dir>` with -j1 and -j3;
# every compile goes through a --launcher script that logs its start and end (and sleeps, so
# that commands overlap), and the driver's largest number of compiles at once must be 1
# under -j1, 3 under -j3 (make's: more than this machine's cores when it has fewer than 3, and
# also with the driver's own -j 8), 2 with the driver's -j 2 under -j3; a failing build under
# -j3 gives every token back (make 4.3 reports lost tokens as "INTERNAL: Exiting with N
# jobserver tokens").
# Usage: kbuild_makefile_fragment.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_KEEP=1 keeps the work directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
source "$here/kbuild_lib.sh"
modforge=$tool
for t in make cmp find awk; do command -v "$t" >/dev/null || { echo "FAIL: $t is missing (run scripts/setup.sh)"; exit 1; }; done
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d /tmp/kbuild-fragment.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache
# The Makefile finds the driver as a user's would: on PATH.  A make running this test keeps its
# jobserver and flags to itself.
export PATH=$(dirname "$modforge"):$PATH
unset MAKEFLAGS MAKELEVEL MFLAGS
# 6.12's BTF the same from run to run (Debian's pahole 1.24 with -j is not; scripts/Makefile.btf)
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 1970'
sample=$src/samples/makefile
fail=0
failed() { echo "FAIL $*"; fail=1; }

fragment=$("$modforge" --makefile)
[ "$fragment" = "$src/templates/modforge.mk" ] || failed "modforge --makefile printed '$fragment'"

files_and_times() { (cd "$1" && find . -printf '%P %y %s %T@\n' | LC_ALL=C sort); }
files() { (cd "$1" && find . \( -type f -o -type l \) ! -name compile_commands.json -printf '%P\n' | LC_ALL=C sort); }

root=$work/root mod=$work/root/mf
genksyms=$(realpath "$(dirname "$modforge")/../genksyms/genksyms") modpost=$(realpath "$(dirname "$modforge")/../modpost/modpost")
for v in "${versions[@]}"; do
  tree=${trees[$v]}
  [ -d "$tree" ] || { echo "FAIL: headers tree $tree missing (run scripts/setup.sh)"; exit 1; }
  rel=$(kb_kver "$tree")
  # The kernel's own way with our genksyms and modpost inside (README's command line), on the
  # sample with exports, against the real tools at the same path.
  ex=$root/exporter
  kb_copy "$src/samples/exporter" "$ex"
  kb_make "$tree" "$ex" || { failed "$v: make M= modules (exporter)"; cat "$KB_ERR"; }
  kb_stash "$root" real
  kb_copy "$src/samples/exporter" "$ex"
  kb_make "$tree" "$ex" MODPOST="$modpost" genksyms="$genksyms --kernel=$v \$(if \$(1), -T \$(2)) -r /dev/null" ||
    { failed "$v: make M= modules with our genksyms and modpost"; cat "$KB_ERR"; }
  # kbuild records the modpost command (and so our path) in .Module.symvers.cmd
  out=$(kb_compare "$root.real/exporter" "$ex" | grep '^\(differs\|only-in\)' | grep -v '^differs .Module.symvers.cmd$' || true)
  if [ -n "$out" ]; then
    failed "$v: make M= with our genksyms and modpost differs from the real tools:"; echo "$out" | head
  elif ! grep -q '^#SYMVER' "$ex/.exporter.o.cmd"; then
    failed "$v: no #SYMVER line: genksyms did not run"
  else
    echo "$v: make M= MODPOST=<ours> genksyms=<ours>: $(kb_outputs "$ex" | wc -l) outputs as the real tools'"
  fi
  rm -rf "$root" "$root.real"
  # make's build, install and clean at the module's path
  kb_copy "$sample" "$mod"
  kb_make "$tree" "$mod" || { failed "$v: make M= modules"; cat "$KB_ERR"; continue; }
  make -s -C "$tree" M="$mod" INSTALL_MOD_PATH="$work/$v/inst-make" modules_install >"$work/log" 2>&1 ||
    { failed "$v: make M= modules_install"; cat "$work/log"; }
  rm -rf "$root.make" && cp -a "$root" "$root.make"
  make -s -C "$tree" M="$mod" clean >"$work/log" 2>&1 || { failed "$v: make M= clean"; cat "$work/log"; }
  files "$mod" >"$work/$v/clean-make.files"

  # the fragment's, at the same path
  kb_copy "$sample" "$mod"
  (cd "$mod" && make KERNEL_DIR="$tree") >"$work/$v/make.out" 2>&1 ||
    { failed "$v: make in the module directory"; cat "$work/$v/make.out"; continue; }
  grep -q "LD \[M\]  $mod/mfsample.ko" "$work/$v/make.out" || failed "$v: no kbuild progress lines from make"
  n=$(kb_outputs "$mod" | wc -l)
  if ! kb_compare "$root.make/mf" "$mod" >"$work/$v/compare"; then
    failed "$v: the fragment's build differs from make M= modules:"; head -20 "$work/$v/compare"
  else
    echo "$v: make (fragment) = make -C <tree> M= modules: $n outputs identical"
  fi
  before=$(files_and_times "$mod")
  out=$(cd "$mod" && make KERNEL_DIR="$tree" 2>&1) || failed "$v: second make"
  [ -z "$out" ] || failed "$v: second make printed: $out"
  [ "$before" = "$(files_and_times "$mod")" ] || failed "$v: second make changed files"

  (cd "$mod" && make install KERNEL_DIR="$tree" INSTALL_MOD_PATH="$work/$v/inst-ours") >"$work/log" 2>&1 ||
    { failed "$v: make install"; cat "$work/log"; }
  mine=$(files "$work/$v/inst-make")
  [ -n "$mine" ] || failed "$v: make modules_install installed nothing"
  for f in $mine; do
    cmp -s "$work/$v/inst-make/$f" "$work/$v/inst-ours/$f" || failed "$v: installed $f differs or is missing"
  done
  extra=$(LC_ALL=C comm -13 <(echo "$mine") <(files "$work/$v/inst-ours") | grep -v "^lib/modules/$rel/modules\.[a-z.]*$" || true)
  [ -z "$extra" ] || failed "$v: make install installed more than make modules_install and depmod: $extra"
  echo "$v: make install = make modules_install: $(echo "$mine" | wc -w) file(s) identical"

  (cd "$mod" && make clean KERNEL_DIR="$tree") >"$work/log" 2>&1 || { failed "$v: make clean"; cat "$work/log"; }
  if ! diff "$work/$v/clean-make.files" <(files "$mod") >"$work/log"; then
    failed "$v: make clean left other files than make M= clean:"; head "$work/log"
  else
    echo "$v: make clean = make M= clean ($(wc -l <"$work/$v/clean-make.files") files left)"
  fi
done

# make's jobserver, on the first tree: the driver's concurrency, seen by its launcher.
tree=${trees[${versions[0]}]}
log=$work/launch.log
cat >"$work/launcher" <<EOF
#!/bin/bash
echo "S \$(date +%s%N) \$(awk '{ print \$4 }' /proc/\$PPID/stat)" >>"$log"  # and the driver's pid
sleep 0.4
"\$@" && rc=0 || rc=\$?
echo "E \$(date +%s%N)" >>"$log"
exit \$rc
EOF
chmod +x "$work/launcher"
cat >"$work/parent.mk" <<EOF
all:
	\$(MAKE) -C $mod KERNEL_DIR=$tree MODFORGE_FLAGS="--launcher $work/launcher \$(DRIVER_J)"
EOF
max_running() { sort -k2,2n "$log" | awk '{ n += ($1 == "S") ? 1 : -1; if (n > m) m = n } END { print m + 0 }'; }
cores=$(nproc)
# run_parent NAME MAKE_J DRIVER_J: a clean module built by the parent make; sets $max, $prc.
run_parent() {
  local name=$1 j=$2 dj=$3
  kb_copy "$sample" "$mod"
  [ "$name" != failing ] || echo 'int broken(' >>"$mod/mfsample_c.c"
  : >"$log"
  prc=0
  local t0=$(date +%s%N)
  # (DRIVER_J from the environment: a command-line variable would reach kbuild's make too)
  DRIVER_J=$dj make -s -f "$work/parent.mk" "$j" >"$work/$name.out" 2>"$work/$name.err" || prc=$?
  max=$(max_running)
  echo "jobserver: make $j${dj:+ (driver $dj)}: $(grep -c '^S' "$log") compiles, at most $max at once," \
       "$(( ($(date +%s%N) - t0) / 1000000 )) ms"
  if grep -i 'jobserver' "$work/$name.err"; then failed "jobserver $name: make reports tokens lost or unusable"; fi
}
run_parent serial -j1 ""
[ $prc = 0 ] && [ "$max" = 1 ] || failed "jobserver -j1: exit $prc, $max compiles at once (want 1)"
run_parent parallel -j3 ""
# the driver alone would run $cores at once: seeing 3 on fewer cores shows make's slots
[ $prc = 0 ] && [ "$max" -gt 1 ] && [ "$max" -le 3 ] || failed "jobserver -j3: exit $prc, $max at once (want 2..3)"
[ "$cores" -ge 3 ] || [ "$max" = 3 ] || failed "jobserver -j3: $max at once on $cores cores (want make's 3)"
run_parent parallel-j8 -j3 "-j 8"
[ $prc = 0 ] && [ "$max" -gt 1 ] && [ "$max" -le 3 ] || failed "jobserver -j3, driver -j 8: exit $prc, $max at once (want 2..3)"
run_parent capped -j3 "-j 2"
[ $prc = 0 ] && [ "$max" = 2 ] || failed "jobserver -j3, driver -j 2: exit $prc, $max at once (want 2)"
run_parent failing -j3 ""
[ $prc != 0 ] || failed "jobserver: a broken source built"
grep -q "mfsample_c.c" "$work/failing.err" || failed "jobserver: the compiler's error is not shown"
# A driver killed (SIGTERM) while it holds make's tokens gives them back.
kb_copy "$sample" "$mod"
: >"$log"
DRIVER_J= make -s -f "$work/parent.mk" -j3 >"$work/killed.out" 2>"$work/killed.err" &
parent=$!
running() { awk '{ n += ($1 == "S") ? 1 : -1 } END { print n + 0 }' "$log"; }
for _ in $(seq 200); do [ "$(running)" -lt 3 ] || break; sleep 0.05; done
if [ "$(running)" -ge 3 ]; then
  kill -TERM "$(awk '$1 == "S" { print $3; exit }' "$log")"
else
  failed "jobserver: never 3 compiles at once before the kill"
fi
prc=0; wait "$parent" || prc=$?
for _ in $(seq 100); do [ "$(running)" -gt 0 ] || break; sleep 0.05; done  # its compiles end
[ $prc != 0 ] || failed "jobserver: the parent make succeeded though its driver was killed"
if grep -i 'jobserver' "$work/killed.err"; then
  failed "jobserver: tokens lost with a killed driver"
else
  echo "jobserver: driver killed with 3 compiles running: make -j3 exit $prc, no token lost"
fi
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
