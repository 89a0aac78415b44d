#!/usr/bin/env bash
# The samples (every directory of samples/ with a Kbuild file) built with `modforge build` for
# each Debian headers tree, then, per tree, our kmod tools and emulated kernel against kmod 30
# and the real kernel under qemu:
#  1. modinfo: modforge-kmod modinfo and kmod's modinfo print the same for every sample .ko
#     (devtable's PCI and USB aliases among it);
#  2. depmod: a module tree (the target's shipped modules plus the samples in extra/) indexed
#     by our depmod and, on a copy, by kmod's: every file identical;
#  3. modprobe --show-depends of every sample and of one PCI and one USB device alias of
#     devtable's tables: ours and kmod's identical, the device aliases resolving to devtable;
#  4. one boot of the real kernel (kernel-oracle.sh) and one emulated session (modforge-kmod
#     insmod/rmmod on one state) run the same steps: two insmods of params with bad values,
#     the insmods of step 3 (dependencies first; params with a value of every type), an rmmod
#     of export_ns while import_ns uses it, then an rmmod of every module in reverse order.
#     Per step: exit code, insmod/rmmod's message (hence the errno), the kernel's log lines
#     (the real kernel's info-level lines left out: the modules' own printks, which the
#     emulated kernel, running no module code, cannot print), the module's /proc/modules line
#     and the kernel's taint must be the same; in the end no module is left loaded;
#  5. params' parameters as the real kernel shows them in sysfs: one file per parameter of
#     kmod's modinfo, reading back the value given (the emulated kernel keeps no parameter
#     values: nothing of ours to compare).
# Usage: samples_load.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_KEEP=1 (keep the work dir), KB_JOBS (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool
need_qemu_tier
kmod=$(dirname "$modforge")/../loader/modforge-kmod
[ -x "$kmod" ] || { echo "FAIL: $kmod missing"; exit 1; }
# kmod 30's own tools (Debian package kmod), to compare ours with
for t in modinfo depmod modprobe; do
  command -v "$t" >/dev/null || [ -x "/sbin/$t" ] || { echo "FAIL: kmod's $t is missing (apt-get install kmod)"; exit 1; }
done
kmodinfo=$(command -v modinfo || echo /sbin/modinfo)
kdepmod=$(command -v depmod || echo /sbin/depmod)
kmodprobe=$(command -v modprobe || echo /sbin/modprobe)

declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d /tmp/modforge-samples-load.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache
unset MODFORGE_DMESG

# In sorted order, which builds export_ns before import_ns (its Kbuild reads
# ../export_ns/Module.symvers).
mapfile -t samples < <(cd "$src/samples" && find . -mindepth 2 -maxdepth 2 -name Kbuild -printf '%h\n' | sed 's|^\./||' | LC_ALL=C sort)
[ ${#samples[@]} -ge 8 ] || { echo "FAIL: only ${#samples[@]} samples under $src/samples"; exit 1; }

# params.ko's values: one of every type, each written as sysfs reads it back
good_params="p_byte=200 p_short=-300 p_ushort=60000 p_int=-70000 p_uint=4000000000 p_long=-5000000000"
good_params+=" p_ulong=18000000000000000000 p_ullong=18446744073709551615 p_hexint=0xdeadbeef"
good_params+=" p_charp=modforge_sample p_bool=Y p_enable=Y p_invbool=N p_bint=1 p_array=7,-8,9"
good_params+=" p_string=fifteen_chars_x p_named=42"
# and refused ones: out of range and not a bool (EINVAL, the last error), a string too long (ENOSPC)
bad_params=("p_byte=256 p_bool=maybe" "p_string=sixteen_chars_xy")
# device aliases of devtable's tables (the PCI one with a subsystem and a class, the USB one
# inside a bcdDevice range), as udev would pass them
pci_alias=pci:v00001B36d000000F1sv00001AF4sd00001100bcFFsc00i00
usb_alias=usb:v1209pF00Ed0210dc00dsc00dp00icFFisc01ip02in00

fail=0
summary=()
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }  # secs START END
t_start=$(date +%s.%N)
for v in "${versions[@]}"; do
  tree=${trees[$v]}
  rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$tree/include/generated/utsrelease.h")
  shipped=${cache}/$rel/lib/modules/$rel
  [ -d "$shipped/kernel" ] || { echo "FAIL $v: no shipped modules at $shipped (kernel-oracle.sh --setup $v)"; fail=1; continue; }
  d=$work/$v
  mkdir -p "$d/samples"
  t0=$(date +%s.%N)

  # build, in a copy of samples/
  kos=()
  for s in "${samples[@]}"; do
    cp -a "$src/samples/$s" "$d/samples/$s"
    if ! "$modforge" build "$d/samples/$s" --kernel "$tree" -j"${KB_JOBS:-2}" > "$d/$s.out" 2>&1; then
      echo "FAIL $v $s: modforge build"; sed 's/^/    /' "$d/$s.out" | head -20; fail=1; continue
    fi
    mapfile -t -O ${#kos[@]} kos < <(find "$d/samples/$s" -maxdepth 1 -name '*.ko' | LC_ALL=C sort)
  done
  t_build=$(date +%s.%N)

  # 1. modinfo
  n_modinfo=0
  for ko in "${kos[@]}"; do
    "$kmodinfo" "$ko" > "$d/modinfo.kmod" 2>&1 || { echo "FAIL $v: kmod modinfo $ko"; fail=1; continue; }
    "$kmod" modinfo "$ko" > "$d/modinfo.ours" 2>&1 || { echo "FAIL $v: our modinfo $ko"; cat "$d/modinfo.ours"; fail=1; continue; }
    if cmp -s "$d/modinfo.kmod" "$d/modinfo.ours"; then n_modinfo=$((n_modinfo + 1))
    else echo "FAIL $v $(basename "$ko"): modinfo differs from kmod's:"; diff "$d/modinfo.kmod" "$d/modinfo.ours" | head -10 || true; fail=1; fi
  done
  devtable_ko=$(printf '%s\n' "${kos[@]}" | grep '/devtable\.ko$') || { echo "FAIL $v: no devtable.ko"; fail=1; continue; }
  n_aliases=$("$kmodinfo" -F alias "$devtable_ko" | grep -cE '^(pci|usb):')

  # 2. depmod: ours on one tree, kmod's on a copy
  for side in ours kmod; do
    r=$d/mods-$side/lib/modules/$rel
    mkdir -p "$r/extra"
    cp -rs "$shipped/kernel" "$r/kernel"
    cp "$shipped"/modules.{order,builtin,builtin.modinfo} "$r/"
    cp "${kos[@]}" "$r/extra/"
  done
  "$kmod" depmod -b "$d/mods-ours" "$rel" 2> "$d/depmod.ours" || { echo "FAIL $v: our depmod"; cat "$d/depmod.ours"; fail=1; }
  "$kdepmod" -b "$d/mods-kmod" "$rel" 2> "$d/depmod.kmod" || { echo "FAIL $v: kmod's depmod"; cat "$d/depmod.kmod"; fail=1; }
  n_depmod=0
  for f in $(cd "$d/mods-kmod/lib/modules/$rel" && ls modules.*); do
    if cmp -s "$d/mods-kmod/lib/modules/$rel/$f" "$d/mods-ours/lib/modules/$rel/$f"; then n_depmod=$((n_depmod + 1))
    else echo "FAIL $v: depmod's $f differs from kmod's"; fail=1; fi
  done
  t_depmod=$(date +%s.%N)

  # 3. modprobe --show-depends, the paths made relative to each tree's root
  show_depends() {  # SIDE NAME: prints the lines, returns modprobe's exit code
    local side=$1 name=$2 rc=0 out
    if [ "$side" = ours ]; then
      out=$(MODFORGE_STATE=$d/modprobe.state MODFORGE_TARGET=$tree MODFORGE_MODULES=$shipped "$kmod" modprobe --show-depends -d "$d/mods-ours" -S "$rel" "$name" 2>&1) || rc=$?
    else
      out=$("$kmodprobe" --show-depends -d "$d/mods-kmod" -S "$rel" "$name" 2>&1) || rc=$?
    fi
    printf '%s\n' "${out//$d\/mods-$side/ROOT}"
    return $rc
  }
  steps=$d/steps
  printf 'insmod %s %s\n' "$d/mods-ours/lib/modules/$rel/extra/params.ko" "${bad_params[0]}" "$d/mods-ours/lib/modules/$rel/extra/params.ko" "${bad_params[1]}" > "$steps"
  declare -A seen=()
  loaded=()
  n_modprobe=0
  for name in $(printf '%s\n' "${kos[@]}" | sed 's|.*/||; s|\.ko$||') "$pci_alias" "$usb_alias"; do
    o_rc=0 k_rc=0
    ours=$(show_depends ours "$name") || o_rc=$?
    theirs=$(show_depends kmod "$name") || k_rc=$?
    if [ "$ours" != "$theirs" ] || [ $o_rc != $k_rc ]; then
      echo "FAIL $v: modprobe --show-depends $name: ours (exit $o_rc) differs from kmod's (exit $k_rc):"
      diff <(echo "$theirs") <(echo "$ours") | head -10 || true; fail=1; continue
    fi
    [ $o_rc = 0 ] || { echo "FAIL $v: modprobe --show-depends $name: exit $o_rc: $ours"; fail=1; continue; }
    n_modprobe=$((n_modprobe + 1))
    case $name in
      pci:* | usb:*)
        # the device alias resolves to devtable (after the modules it needs) and nothing else
        last=$(grep '^insmod ' <<<"$ours" | tail -1)
        [ "$last" = "insmod ROOT/lib/modules/$rel/extra/devtable.ko " ] && [ "$(grep -c '/extra/' <<<"$ours")" = 1 ] ||
          { echo "FAIL $v: modprobe $name does not resolve to devtable alone:"; echo "$ours"; fail=1; }
        continue ;;
    esac
    while read -r op path _; do
      [ "$op" = insmod ] || continue  # "builtin NAME": nothing to load
      m=$(basename "$path"); m=${m%%.ko*}; m=${m//-/_}
      [ -z "${seen[$m]:-}" ] || continue
      seen[$m]=1
      loaded+=("$m")
      args=
      [ "$m" != params ] || args=$good_params
      echo "insmod ${path/ROOT/$d/mods-ours} $args" >> "$steps"
    done <<<"$ours"
  done
  unset seen
  # export_ns while import_ns holds it: refused (kmod's rmmod reads the holders first)
  if printf '%s\n' "${loaded[@]}" | grep -qx import_ns; then echo "rmmod export_ns" >> "$steps"; fi
  for ((i = ${#loaded[@]} - 1; i >= 0; i--)); do echo "rmmod ${loaded[$i]}" >> "$steps"; done
  t_modprobe=$(date +%s.%N)

  # 4. the emulated kernel, step by step
  export MODFORGE_STATE=$d/state MODFORGE_TARGET=$tree MODFORGE_MODULES=$shipped
  mkdir -p "$d/ours"
  i=0
  while read -r op file params; do
    set +e
    # shellcheck disable=SC2086  # the parameters are words
    MODFORGE_DMESG=1 "$kmod" "$op" "$file" $params > "$d/ours/$i.out" 2> "$d/ours/$i.err"
    echo $? > "$d/ours/$i.rc"
    set -e
    "$kmod" lsmod > "$d/ours/$i.lsmod"
    sed -n 's/^tainted //p' "$MODFORGE_STATE" > "$d/ours/$i.tainted"
    i=$((i + 1))
  done < "$steps"
  unset MODFORGE_STATE MODFORGE_TARGET MODFORGE_MODULES
  t_ours=$(date +%s.%N)
  # ... and the real one, in one boot
  bash "$oracle" -k "$v" -f "$steps" -o "$d/real.jsonl" > "$d/oracle.log" 2>&1 ||
    { echo "FAIL $v: kernel-oracle.sh:"; tail -5 "$d/oracle.log"; fail=1; }
  t_real=$(date +%s.%N)

  # 4. and 5.: compared
  if out=$(python3 - "$d" "$i" "$here" "$v" "$kmodinfo" "$(printf '%s\n' "${kos[@]}" | grep '/params\.ko$')" "$good_params" <<'PY'
import importlib.util, json, os, re, subprocess, sys
d, n, here, v, kmodinfo, params_ko, good = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
spec = importlib.util.spec_from_file_location("loader_compare", os.path.join(here, "loader-compare.py"))
lc = importlib.util.module_from_spec(spec); spec.loader.exec_module(lc)
recs = [json.loads(l) for l in open(os.path.join(d, "real.jsonl")) if l.strip()]
final = next((r for r in recs if r.get("final")), {})
real = [r for r in recs if not r.get("final")]
steps = [l.split() for l in open(os.path.join(d, "steps")) if l.strip()]
bad = []
def say(msg):
    bad.append(msg)
if final.get("status") != "ok" or len(real) != n:
    say(f"FAIL {v}: the real kernel ran {len(real)} of {n} steps (status {final.get('status')})")
def norm(t):  # the .ko's directory differs between the guest and the host
    return re.sub(r"\S*/([\w-]+\.ko)(\.xz|\.zst|\.gz)?", r"\1", t).rstrip("\n")
def lsmod(i):  # name -> (size, refcnt, holders)
    out = {}
    for line in open(os.path.join(d, "ours", f"{i}.lsmod")).read().splitlines()[1:]:
        f = line.split()
        out[f[0]] = (int(f[1]), int(f[2]), f[3].split(",") if len(f) > 3 else [])
    return out
def modname(step):
    name = step[1] if step[0] == "rmmod" else re.sub(r"\.ko(\.xz|\.zst|\.gz)?$", "", os.path.basename(step[1]))
    return name.replace("-", "_")
same = loads = 0
for i, (r, step) in enumerate(zip(real, steps)):
    o_rc = int(open(os.path.join(d, "ours", f"{i}.rc")).read())
    o_err = open(os.path.join(d, "ours", f"{i}.err"), errors="replace").read().splitlines()
    o_log = [l[len("kernel: "):] for l in o_err if l.startswith("kernel: ")]
    o_msg = "\n".join(l for l in o_err if not l.startswith("kernel: "))
    diffs = []
    if r.get("rc") != o_rc:
        diffs.append(f"exit code: real {r.get('rc')} ({r.get('errname')}), ours {o_rc}")
    if norm(r.get("stderr", "")) != norm(o_msg):
        diffs.append(f"message: real {norm(r.get('stderr', ''))!r}, ours {norm(o_msg)!r}")
    r_log = [m for _, m in (lc.dmesg(r, kernel_side=True) or [])]
    if r_log != o_log:
        diffs.append(f"kernel log: real {r_log!r}, ours {o_log!r}")
    name, ls = modname(step), lsmod(i)
    pm = r.get("proc_modules")
    r_line = (pm["size"], pm["refcnt"], pm["users"]) if pm else None
    if r_line != ls.get(name):
        diffs.append(f"/proc/modules {name}: real {r_line}, ours {ls.get(name)}")
    o_taint = int(open(os.path.join(d, "ours", f"{i}.tainted")).read() or -1)
    if r.get("kernel_tainted") != o_taint:
        diffs.append(f"kernel taint: real {r.get('kernel_tainted')}, ours {o_taint}")
    for x in diffs:
        say(f"FAIL {v} step {r.get('step', i + 1)} ({' '.join(step[:1] + [os.path.basename(step[1])])}): {x}")
    same += not diffs
    loads += step[0] == "insmod" and r.get("rc") == 0
r_final = sorted(m["name"] for m in final.get("proc_modules") or [])
o_final = sorted(lsmod(n - 1)) if n else []
if r_final or o_final:
    say(f"FAIL {v}: modules left loaded: real {r_final}, ours {o_final}")
# 5. the parameters in sysfs, after the insmod that gave them
given = dict(w.split("=", 1) for w in good.split())
parms = subprocess.run([kmodinfo, "-F", "parm", params_ko], capture_output=True, text=True, check=True).stdout
names = sorted(l.split(":", 1)[0] for l in parms.splitlines() if l)
step = next((i for i, s in enumerate(steps) if s[0] == "insmod" and modname(s) == "params" and len(s) > 2 and s[2:] == good.split()), None)
sysfs = ((real[step].get("sysfs") or {}).get("parameters") or {}) if step is not None and step < len(real) else {}
if sorted(sysfs) != names:
    say(f"FAIL {v}: params' sysfs parameters {sorted(sysfs)}, modinfo's {names}")
wrong = {k: (given[k], sysfs.get(k)) for k in given if sysfs.get(k) != given[k]}
if wrong:
    say(f"FAIL {v}: params' sysfs values differ from the values given (given, read): {wrong}")
for b in bad[:15]:
    print(b)
print(f"{v}: {same}/{len(steps)} steps identical in the real and the emulated kernel ({loads} insmods load in the real one, "
      f"boot {final.get('wall_s', 0):.1f} s); params: {len(sysfs)} sysfs parameters, {len(given) - len(wrong)}/{len(given)} read back as given")
sys.exit(1 if bad else 0)
PY
  ); then echo "$out"; else echo "$out"; fail=1; fi
  summary+=("$v: ${#kos[@]} sample modules built; modinfo $n_modinfo/${#kos[@]} identical to kmod's (devtable: $n_aliases device aliases); depmod $n_depmod files identical; modprobe --show-depends $n_modprobe identical; $i steps")
  summary+=("$v: times: build $(secs "$t0" "$t_build") s, depmod x2 $(secs "$t_build" "$t_depmod") s, modprobe $(secs "$t_depmod" "$t_modprobe") s, emulated steps $(secs "$t_modprobe" "$t_ours") s, qemu $(secs "$t_ours" "$t_real") s")
done
printf '%s\n' "${summary[@]}"
echo "total $(secs "$t_start" "$(date +%s.%N)") s"
[ $fail = 0 ] && echo "PASS" || echo "FAIL"
exit $fail
