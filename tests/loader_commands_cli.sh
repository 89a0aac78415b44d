#!/usr/bin/env bash
# The command lines of our insmod, rmmod, lsmod and modprobe against kmod 30's own
# (/sbin/insmod etc.), where no kernel is involved: help, version, unknown options, missing
# arguments, ambiguous abbreviations, options after operands: stdout, stderr and exit code
# byte for byte (getopt's messages name argv[0]; both are run through a link named as the
# command and the path is replaced by PROG), with and without a target.  Then the session
# options in any order among the command's own, and a target without symbol information
# (an unpacked image package, whose System.map is Debian's placeholder) refused in one line.
#   loader_commands_cli.sh MODFORGE_KMOD
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 MODFORGE_KMOD" >&2; exit 2; }
kmod=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in insmod rmmod lsmod modprobe; do
  [ -x /sbin/$c ] || { echo "FAIL: /sbin/$c missing (kmod)"; exit 1; }
  ln -s "$kmod" "$work/$c"
done
rel=6.12.117+deb12-amd64
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
headers=/usr/src/linux-headers-$rel
fail=0 same=0

compare() {  # compare COMMAND ARGS...: ours (with the current environment) against kmod's
  local c=$1; shift
  local rr=0 or=0
  /sbin/$c "$@" > "$work/real.out" 2> "$work/real.err" || rr=$?
  "$work/$c" "$@" > "$work/ours.out" 2> "$work/ours.err" || or=$?
  sed -i "s|/sbin/$c|PROG|g" "$work/real.err"
  sed -i "s|$work/$c|PROG|g" "$work/ours.err"
  if [ $rr = $or ] && cmp -s "$work/real.out" "$work/ours.out" && cmp -s "$work/real.err" "$work/ours.err"; then
    same=$((same + 1))
  else
    echo "FAIL $c $*: kmod exit $rr: $(head -c 300 "$work/real.out" "$work/real.err" | tr '\n' '|')"
    echo "     ours exit $or: $(head -c 300 "$work/ours.out" "$work/ours.err" | tr '\n' '|')"
    fail=1
  fi
}

cases=(--help -h -V --version --ver -hV -Vh "--help --bogus" "--bogus --help" --bogus -Z "x -h" "x y -Z"
       -C --config --dirname -w -s "-s -w" "-s -p -f" --force=1 --forc --d --show- --remove- --ignore-)
for env in "no target" "a target"; do
  if [ "$env" = "a target" ]; then
    export MODFORGE_TARGET=$headers MODFORGE_STATE=$work/state MODFORGE_MODULES=$cache/$rel/lib/modules/$rel
  fi
  for c in insmod rmmod modprobe; do
    for a in "${cases[@]}"; do
      # shellcheck disable=SC2086
      compare $c $a
    done
  done
  compare insmod                     # missing filename
  compare rmmod                      # missing module name
  compare modprobe                   # missing parameters
  for a in --help -h -V x --bogus; do compare lsmod $a; done
done
echo "$same command lines identical to kmod 30's"

# the session options in any order among the command's own
export MODFORGE_STATE=$work/state2
unset MODFORGE_TARGET MODFORGE_MODULES
out1=$("$work/lsmod" --kernel=6.12 --target "$headers" --modules="$cache/$rel/lib/modules/$rel") || { echo "FAIL: lsmod --kernel=6.12 --target T"; fail=1; }
out2=$("$work/lsmod" --target="$headers" --modules "$cache/$rel/lib/modules/$rel" --kernel 6.12) || { echo "FAIL: lsmod --target T --kernel 6.12"; fail=1; }
[ "$out1" = "Module                  Size  Used by" ] && [ "$out1" = "$out2" ] || { echo "FAIL: lsmod with session options: $out1 / $out2"; fail=1; }
ko=$(ls "$cache/$rel/lib/modules/$rel/kernel/drivers/net/dummy.ko"*)
"$work/insmod" "$ko" --target "$headers" --modules "$cache/$rel/lib/modules/$rel" --dmesg \
  || { echo "FAIL: insmod with the session options after the file"; fail=1; }
"$work/rmmod" --target "$headers" -v dummy --modules "$cache/$rel/lib/modules/$rel" \
  || { echo "FAIL: rmmod with the session options around its own"; fail=1; }
echo "session options taken in any order"

# An unpacked image package as the target: its System.map is a placeholder, so vmlinux's
# exports come from its vmlinuz.  Without the vmlinuz (a copy of the package root that has
# only the placeholder), the target is refused with the map and the headers package named.
pkg=$cache/$rel/lib/modules/$rel
map=$cache/$rel/boot/System.map-$rel
[ "$(wc -l < "$map")" = 1 ] && grep -q "The real System.map is in" "$map" || { echo "FAIL: $map is not the placeholder"; exit 1; }
bare=$work/bare
mkdir -p "$bare/boot" "$bare/lib/modules"
cp "$map" "$cache/$rel/boot/config-$rel" "$bare/boot/"
ln -s "$pkg" "$bare/lib/modules/$rel"
for c in lsmod insmod; do
  rc=0
  MODFORGE_STATE=$work/state-pkg-$c "$work/$c" --target "$pkg" $([ $c = insmod ] && echo "$ko") > "$work/out" 2> "$work/err" || rc=$?
  [ $rc = 0 ] && echo "$c on an image package's lib/modules: works (exports from its vmlinuz)" ||
    { echo "FAIL $c on an image package's lib/modules: exit $rc: $(cat "$work/err")"; fail=1; }
  rc=0
  MODFORGE_STATE=$work/state-bare-$c "$work/$c" --target "$bare/lib/modules/$rel" $([ $c = insmod ] && echo "$ko") > "$work/out" 2> "$work/err" || rc=$?
  msg=$(cat "$work/err")
  if [ $rc = 1 ] && [ "$(wc -l < "$work/err")" = 1 ] && [[ $msg == *"System.map-$rel"* ]] && [[ $msg == *"linux-headers-$rel"* ]] &&
     [ ! -s "$work/out" ]; then
    echo "$c on a package root without its vmlinuz: refused: $msg"
  else
    echo "FAIL $c on a package root without its vmlinuz: exit $rc: $msg"; fail=1
  fi
done
[ $fail = 0 ] && echo PASS || { echo FAIL; exit 1; }
