#!/usr/bin/env bash
# Modules built with our modpost work in the real kernel: for each Debian kernel (6.1 and
# 6.12), build the repo's samples and tests/corpus/modpost-modules/load_*/ with the real
# kbuild and MODPOST=<ours>, then boot that kernel once under qemu (kernel-oracle.sh, one
# steps file) and check that
#  (a) every module loads in dependency order (insmod exit 0, errno 0, listed in
#      /proc/modules; load_params with its parameters, read back from sysfs), and that
#      every one unloads again (rmmod in reverse order, gone from /proc/modules);
#  (b) a copy of load_pair_imp.ko whose __versions CRC for load_pair_add was changed is
#      refused with "disagrees about version of symbol load_pair_add" and EINVAL, and the
#      same mutation of the load_pair_imp.ko built by the real modpost gets the very same
#      verdict (errno, insmod exit code, kernel log lines) in the same boot.
#
# Usage: kernel_modpost.sh OUR_MODPOST SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_ORACLE  kernel-oracle.sh (default SOURCE_DIR/../shared/tools/kernel-oracle.sh)
#      ORACLE_CACHE     kernel images, as kernel-oracle.sh uses it
#      MODFORGE_KEEP=1  keep the work directory (builds, steps, oracle JSON)
set -euo pipefail
source "$(dirname "$0")/tier_lib.sh"
tier_args OUR_MODPOST "$@"
ours=$tool
need_qemu_tier gcc make

source "$src/tests/modpost_test_lib.sh"
# Parameters load_params is loaded with, and what sysfs must show for them afterwards.
params='level=7 verbose=1 label=modforge ports=80,443,8080 tag=loaded max=-5'
# The importer whose __versions entry is mutated, and the symbol whose CRC is changed.
mutmod=load_pair_imp mutsym=load_pair_add

# build TREE OUT MODPOST KVER DIRS...: copies DIRS to OUT and builds each there
# (sorted order: load_extra_a before load_extra_b, which reads its Module.symvers).
build() {
  local tree=$1 out=$2 tool=$3 kver=$4
  shift 4
  mkdir -p "$out"
  for m in "$@"; do cp -r "$m" "$out/"; done
  for m in "$@"; do
    local n=${m##*/}
    nice make -s -C "$tree" M="$out/$n" MODPOST="$tool" MODFORGE_KERNEL="$kver" -j2 modules \
      >"$out/$n.log" 2>&1 || { echo "FAIL: building $n with $tool failed:"; cat "$out/$n.log"; return 1; }
  done
}

fail=0
for k in "${versions[@]}"; do
  tree_and_real "$k"
  w=$work/$k
  mkdir -p "$w"
  build "$tree" "$w/ours" "$ours" "$k" "${mods[@]}" || { fail=1; continue; }
  mutdir=$(dirname "$(grep -l "$mutmod.o" "${mods[@]/%//Kbuild}" | head -1)")
  build "$tree" "$w/real" "$real" "$k" "$mutdir" || { fail=1; continue; }

  # Steps, the mutated copies and the expectations, from the modules' own .modinfo.
  # SHIPPED: the target's own modules, for a sample that needs one (devtable: usbcore)
  rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$tree/include/generated/utsrelease.h")
  if ! SHIPPED=$cache/$rel/lib/modules/$rel python3 - "$w" "$mutmod" "$mutsym" "$params" <<'EOF'; then fail=1; continue; fi
import glob, json, os, re, struct, subprocess, sys
w, mutmod, mutsym, params = sys.argv[1:5]

def modinfo(ko, field):
    return subprocess.run(["modinfo", "-F", field, ko], check=True, capture_output=True,
                          text=True).stdout.strip()

kos = sorted(glob.glob(w + "/ours/*/*.ko"))
names = {os.path.basename(k)[:-3]: k for k in kos}
# Dependency order from the depends= lines our modpost wrote (a wrong one shows up as a
# failed insmod); ties keep the sorted order.
def depends(ko):  # as the kernel names modules: usb-common is usb_common in /proc/modules
    return [d.replace("-", "_") for d in modinfo(ko, "depends").split(",") if d]
deps = {n: depends(k) for n, k in names.items()}
def shipped(n):  # a module of the target kernel, from the oracle's unpacked image
    hits = glob.glob(os.path.join(os.environ["SHIPPED"], "kernel", "**", re.sub("[-_]", "[-_]", n) + ".ko*"), recursive=True)
    return hits[0] if len(hits) == 1 else None
order, seen = [], set()
def visit(n, path=()):
    if n in seen:
        return
    if n in path:
        sys.exit("FAIL: dependency cycle through " + n)
    for d in deps[n]:
        if d not in names and shipped(d):  # loaded before and unloaded after it, like the others
            names[d] = shipped(d)
            deps[d] = depends(names[d])
        if d not in names:
            sys.exit("FAIL: %s depends on %s, which is neither a built nor a shipped module" % (n, d))
        visit(d, path + (n,))
    seen.add(n)
    order.append(n)
for n in sorted(names):
    visit(n)

def mutate(src, dst):
    """Copy src to dst with the __versions CRC of mutsym inverted.
    Entries are struct modversion_info {unsigned long crc; char name[56]}."""
    data = bytearray(open(src, "rb").read())
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    sh = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = sh[shstrndx][4]
    def name(s):
        return bytes(data[stroff + s[0]:data.index(0, stroff + s[0])]).decode()
    vers = [s for s in sh if name(s) == "__versions"]
    if len(vers) != 1:
        sys.exit("FAIL: %s has %d __versions sections" % (src, len(vers)))
    off, size = vers[0][4], vers[0][5]
    for e in range(off, off + size, 64):
        if data[e + 8:e + 64].split(b"\0")[0].decode() == mutsym:
            crc, = struct.unpack_from("<Q", data, e)
            struct.pack_into("<Q", data, e, crc ^ 0xffffffff)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            open(dst, "wb").write(data)
            return crc
    sys.exit("FAIL: no __versions entry for %s in %s" % (mutsym, src))

mut = {}
for side in ("ours", "real"):
    src = glob.glob("%s/%s/*/%s.ko" % (w, side, mutmod))
    if len(src) != 1:
        sys.exit("FAIL: %s.ko of the %s build not found" % (mutmod, side))
    mut[side] = (w + "/mutated-%s/%s.ko" % (side, mutmod), mutate(src[0], w + "/mutated-%s/%s.ko" % (side, mutmod)))
exporter = [n for n in order if n in deps[mutmod]]
if len(exporter) != 1:
    sys.exit("FAIL: %s should depend on exactly one module, depends=%s" % (mutmod, deps[mutmod]))

steps, plan = [], []
for n in order:
    steps.append("insmod %s %s" % (names[n], params if n == "load_params" else ""))
    plan.append(("load", n))
for n in reversed(order):
    steps.append("rmmod " + n)
    plan.append(("unload", n))
steps.append("insmod " + names[exporter[0]])
plan.append(("load", exporter[0]))
for side in ("ours", "real"):
    steps.append("insmod " + mut[side][0])
    plan.append(("mutated", side))
steps.append("rmmod " + exporter[0])
plan.append(("unload", exporter[0]))
open(w + "/steps", "w").write("\n".join(steps) + "\n")
info = {"load_multi": {f: modinfo(names["load_multi"], f) for f in ("version", "srcversion")}}
json.dump(dict(plan=plan, params=params, mutmod=mutmod, mutsym=mutsym, modinfo=info),
          open(w + "/plan.json", "w"))
print("%d modules in load order: %s" % (len(order), " ".join(order)))
EOF

  echo "kernel $k: booting with $(grep -c . "$w/steps") steps"
  if ! bash "$oracle" -k "$k" -f "$w/steps" -o "$w/oracle.json" -c "$w/console.log" >"$w/oracle.err" 2>&1; then
    echo "FAIL $k: kernel-oracle.sh failed:"; cat "$w/oracle.err"; fail=1; continue
  fi

  python3 - "$w" "$k" <<'EOF' || fail=1
import json, sys
w, k = sys.argv[1:3]
plan = json.load(open(w + "/plan.json"))
recs = [json.loads(l) for l in open(w + "/oracle.json") if l.strip()]
summary, steps = recs[-1], recs[:-1]
errors = []
def check(cond, what):
    if not cond:
        errors.append(what)
check(summary.get("status") == "ok", "boot status %s" % summary.get("status"))
check(len(steps) == len(plan["plan"]), "%d step records for %d steps" % (len(steps), len(plan["plan"])))
want_params = dict(p.split("=", 1) for p in plan["params"].split())
want_params["verbose"] = "Y"  # bool parameters read back as Y/N
verdicts = {}
loaded, unloaded = set(), set()
for (what, arg), r in zip(plan["plan"], steps):
    tag = "step %d (%s %s)" % (r["step"], what, arg)
    if r.get("status") != "ok":
        errors.append("%s: status %s" % (tag, r.get("status")))
        continue
    line = r.get("proc_modules_line") or ""
    if what == "load":
        ok = r.get("rc") == 0 and r.get("errno") == 0 and line.split(" ")[:1] == [arg]
        check(ok, "%s: rc %s errno %s, /proc/modules: %r, stderr %r, dmesg %r" % (
            tag, r.get("rc"), r.get("errname"), line, r.get("stderr"),
            [d["msg"] for d in r.get("dmesg") or []]))
        if ok:
            loaded.add(arg)
        if arg == "load_multi":
            # the kernel publishes the version= and srcversion= lines modpost wrote
            sysfs = r.get("sysfs") or {}
            for f in ("version", "srcversion"):
                check(sysfs.get(f) and sysfs.get(f) == plan["modinfo"][arg][f],
                      "%s: sysfs %s %r, .modinfo has %r" % (tag, f, sysfs.get(f), plan["modinfo"][arg][f]))
        if arg == "load_params":
            got = (r.get("sysfs") or {}).get("parameters") or {}
            for p, v in want_params.items():
                check(got.get(p) == v, "%s: parameter %s is %r, expected %r" % (tag, p, got.get(p), v))
    elif what == "unload":
        ok = r.get("rc") == 0 and r.get("errno") == 0 and not line
        check(ok, "%s: rc %s errno %s, still in /proc/modules: %r, stderr %r" % (
            tag, r.get("rc"), r.get("errname"), line, r.get("stderr")))
        if ok:
            unloaded.add(arg)
    else:
        verdicts[arg] = r
# (b) the mutated importers: the kernel's verdict on ours is the expected one, and the real
# modpost's build gets exactly the same verdict.
mod, sym = plan["mutmod"], plan["mutsym"]
def verdict(r):
    # only the module's own log lines: under TCG the kernel may log about its clocks anytime
    return dict(rc=r.get("rc"), errno=r.get("errno"), errname=r.get("errname"),
                in_proc_modules=bool(r.get("proc_modules_line")),
                dmesg=[d["msg"] for d in r.get("dmesg") or [] if d["msg"].startswith(mod + ": ")])
v = {side: verdict(verdicts[side]) for side in ("ours", "real") if side in verdicts}
if len(v) == 2:
    want = "%s: disagrees about version of symbol %s" % (mod, sym)
    o = v["ours"]
    check(o["errno"] == 22 and o["errname"] == "EINVAL", "mutated %s (ours): errno %s %s, expected 22 EINVAL" % (mod, o["errno"], o["errname"]))
    check(o["rc"] != 0 and not o["in_proc_modules"], "mutated %s (ours): rc %s, in /proc/modules %s" % (mod, o["rc"], o["in_proc_modules"]))
    check(want in o["dmesg"], "mutated %s (ours): no %r in the kernel log %r" % (mod, want, o["dmesg"]))
    check(v["ours"] == v["real"], "mutated %s: verdicts differ, ours %r, real modpost %r" % (mod, v["ours"], v["real"]))
else:
    errors.append("mutated-module steps missing")
for e in errors:
    print("FAIL %s: %s" % (k, e))
if not errors:
    print("kernel %s (%s): %d modules loaded and %d unloaded; mutated %s refused by both builds "
          "with errno %d and %r; boot %.1f s" % (k, summary.get("kernel"), len(loaded), len(unloaded), mod, v["ours"]["errno"],
                                                 v["ours"]["dmesg"], summary.get("wall_s")))
sys.exit(1 if errors else 0)
EOF
done
exit $fail
