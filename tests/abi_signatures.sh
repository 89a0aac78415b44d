#!/usr/bin/env bash
# Module signatures: the real Debian kernels under qemu against our emulated kernel, on the
# cases of tests/corpus/make-sig-cases.sh (Debian's signed modules as shipped, with a flipped
# body byte, with a flipped signature byte, with a broken PKCS#7 blob; modules signed with a
# key of our own by sign-file, by openssl cms -keyid, with a flipped body byte; an unsigned
# module).  Per kernel, two boots: default, and module.sig_enforce=1 (MODFORGE_SIG_ENFORCE=1
# for ours); the cases run as insmods in one boot and in one emulated session.  Per case:
# insmod's exit code and message (hence the errno), the kernel's log lines (the real kernel's
# info-level lines left out: boot noise), the module's taint letters in /proc/modules and the
# kernel's taint must be the same.  The emulated kernel trusts the certificate built into the
# release's vmlinuz (the script extracts it; MODFORGE_SIG_KEYS).
# Then, emulated only (the real kernel would need the key enrolled, which qemu without UEFI/MOK
# cannot do): with our certificate trusted as well (what check load --key does), our own
# modules verify (loaded, no taint) and the one with a flipped body byte is EKEYREJECTED.
# Usage: abi_signatures.sh MODFORGE_KMOD SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_KEEP=1 (keep the work dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE_KMOD "$@"
kmod=$tool
need_qemu_tier openssl zstd
declare -A rels=([6.1]=6.1.0-56-amd64 [6.12]=6.12.117+deb12-amd64)
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
cases=(debian debian-body debian-sigval debian-der own own-body own-skid unsigned)
work=$(mktemp -d /tmp/modforge-abi-sig.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
unset MODFORGE_DMESG MODFORGE_SIG_ENFORCE MODFORGE_SIG_KEYS

t0=$(date +%s)
sigcases=$(dirname "$(bash "$here/corpus/make-sig-cases.sh" "${versions[@]}" | tail -1)")
own_cert=$sigcases/own/cert.der
fail=0
# ours SESSION_DIR KEYS ENFORCE FILE...: one emulated session, per step i: i.rc, i.err, i.lsmod,
# i.tainted and i.modules (the state file's module lines: name, state, taint bits, ...)
ours() {
  local d=$1 keys=$2 enforce=$3 i=0 f
  shift 3
  mkdir -p "$d"
  for f in "$@"; do
    set +e
    MODFORGE_STATE=$d/state MODFORGE_SIG_KEYS=$keys MODFORGE_SIG_ENFORCE=$enforce MODFORGE_DMESG=1 \
      "$kmod" insmod "$f" > "$d/$i.out" 2> "$d/$i.err"
    echo $? > "$d/$i.rc"
    set -e
    MODFORGE_STATE=$d/state "$kmod" lsmod > "$d/$i.lsmod"
    grep '^module ' "$d/state" > "$d/$i.modules" || true
    sed -n 's/^tainted //p' "$d/state" > "$d/$i.tainted"
    i=$((i + 1))
  done
}
for v in "${versions[@]}"; do
  rel=${rels[$v]} tree=${trees[$v]}
  shipped=$cache/$rel/lib/modules/$rel
  [ -d "$shipped/kernel" ] || { echo "FAIL $v: no shipped modules at $shipped (kernel-oracle.sh --setup $v)"; fail=1; continue; }
  c=$sigcases/$rel
  files=()
  for k in "${cases[@]}"; do files+=("$c/$k.ko"); done
  printf 'insmod %s\n' "${files[@]}" > "$work/steps-$v"
  export MODFORGE_TARGET=$tree MODFORGE_MODULES=$shipped
  for mode in default enforce; do
    d=$work/$v-$mode
    args=()
    enforce=0
    [ $mode = default ] || { args=(-A module.sig_enforce=1); enforce=1; }
    ours "$d/ours" "$c/builtin.der" $enforce "${files[@]}"
    bash "$oracle" -k "$v" "${args[@]}" -f "$work/steps-$v" -o "$d/real.jsonl" > "$d/oracle.log" 2>&1 ||
      { echo "FAIL $v $mode: kernel-oracle.sh:"; tail -5 "$d/oracle.log"; fail=1; }
  done
  # emulated only: our certificate trusted too
  ours "$work/$v-ownkey" "$c/builtin.der:$own_cert" 0 "$c/own.ko" "$c/own-body.ko" "$c/own-skid.ko"
  unset MODFORGE_TARGET MODFORGE_MODULES
done

# `modforge check load` on the same files, each mode: the real kernel's verdict, errno and line.
[ -x "${MODFORGE:-}" ] || { echo "FAIL: MODFORGE (the modforge binary, for check load) not set"; exit 1; }
for v in "${versions[@]}"; do
  rel=${rels[$v]}
  for mode in default enforce; do
    d=$work/$v-$mode b=$work/$v-$mode/batch
    mkdir -p "$b"
    ln -sf "$sigcases/$rel"/*.ko "$b/"
    cp "$work/steps-$v" "$b/steps"
    cp "$d/real.jsonl" "$b/oracle.jsonl"
    extra=()
    [ $mode = default ] || extra=(--arg --enforce)
    echo "check load, $v $mode:"
    python3 "$here/abi/first_reason.py" --independent "${extra[@]}" "$MODFORGE" "${trees[$v]}" \
      "$cache/$rel/lib/modules/$rel" "$b" || fail=1
  done
  # --key (a MOK-enrolled key; the real kernel under qemu has no MOK to confirm it): our own key
  # trusted, own.ko and own-skid.ko load untainted and own-body.ko is EKEYREJECTED.
  c=$sigcases/$rel
  "$MODFORGE" check load "$c/own.ko" "$c/own-skid.ko" "$c/own-body.ko" --kernel "${trees[$v]}" \
    --modules "$cache/$rel/lib/modules/$rel" --key "$sigcases/own/cert.pem" -f json > "$work/$v-key.json" || true
  python3 - "$work/$v-key.json" <<'PY' || { echo "FAIL $v: check load --key"; fail=1; }
import json, sys
r = {x["module"].rsplit("/", 1)[-1]: x for x in json.load(open(sys.argv[1]))["targets"][0]["results"]}
ok = (r["own.ko"]["errno"] is None and "E" not in r["own.ko"]["taints"] and r["own-skid.ko"]["errno"] is None
      and "E" not in r["own-skid.ko"]["taints"] and r["own-body.ko"]["errno"] == "EKEYREJECTED")
print("check load --key: own key trusted:", "ok" if ok else {k: (v["errno"], v["taints"]) for k, v in r.items()})
sys.exit(0 if ok else 1)
PY
done

python3 - "$work" "$here" "${cases[*]}" "${versions[@]}" <<'PY' || fail=1
import errno, importlib.util, json, os, re, sys
work, here, cases, versions = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4:]
spec = importlib.util.spec_from_file_location("loader_compare", os.path.join(here, "loader-compare.py"))
lc = importlib.util.module_from_spec(spec); spec.loader.exec_module(lc)
by_text = {os.strerror(n): name for n, name in errno.errorcode.items()}
def errname(msg):  # insmod's "could not insert module F: <strerror>"
    m = re.search(r"could not insert module \S+: (.*)$", msg)
    return by_text.get(m.group(1), m.group(1)) if m else "-"
def norm(t):
    return re.sub(r"\S*/([\w-]+\.ko)", r"\1", t).rstrip("\n")
def read(p):
    return open(p, errors="replace").read()
def ours(d, i):
    err = read(os.path.join(d, f"{i}.err")).splitlines()
    log = [l[len("kernel: "):] for l in err if l.startswith("kernel: ")]
    msg = "\n".join(l for l in err if not l.startswith("kernel: "))
    lsmod = {l.split()[0]: l for l in read(os.path.join(d, f"{i}.lsmod")).splitlines()[1:]}
    # /proc/modules' taint letters: include/linux/panic.h's TAINT_* letters by bit
    for l in read(os.path.join(d, f"{i}.modules")).splitlines():
        f = l.split()
        letters = "".join(c for b, c in enumerate("PFSRMBUDAWCIOELKXTN") if int(f[3]) >> b & 1)
        lsmod[f[1]] = (lsmod.get(f[1], ""), letters)
    return int(read(os.path.join(d, f"{i}.rc"))), msg, log, int(read(os.path.join(d, f"{i}.tainted")) or -1), lsmod
names = {"debian": "crc7", "debian-body": "crc8", "debian-sigval": "ts_bm", "debian-der": "ts_kmp", "own": "crc16",
         "own-body": "crc_itu_t", "own-skid": "lru_cache", "unsigned": "ts_fsm"}
bad, rows, agree, total = [], [], 0, 0
for v in versions:
    for mode in ("default", "enforce"):
        d = os.path.join(work, f"{v}-{mode}")
        try:
            recs = [json.loads(l) for l in open(os.path.join(d, "real.jsonl")) if l.strip()]
        except OSError:
            bad.append(f"FAIL {v} {mode}: no oracle output"); continue
        final = next((r for r in recs if r.get("final")), {})
        real = [r for r in recs if not r.get("final")]
        if final.get("status") != "ok" or len(real) != len(cases):
            bad.append(f"FAIL {v} {mode}: the real kernel ran {len(real)} of {len(cases)} steps ({final.get('status')})")
        for i, (case, r) in enumerate(zip(cases, real)):
            rc, msg, log, tainted, lsmod = ours(os.path.join(d, "ours"), i)
            r_log = [m for _, m in (lc.dmesg(r, kernel_side=True) or [])]
            r_taint = (r.get("proc_modules") or {}).get("taint") or ""
            o_taint = lsmod.get(names[case], ("", ""))[1]
            diffs = []
            if r.get("rc") != rc: diffs.append(f"exit code real {r.get('rc')}, ours {rc}")
            if norm(r.get("stderr", "")) != norm(msg): diffs.append(f"message real {norm(r.get('stderr', ''))!r}, ours {norm(msg)!r}")
            if r_log != log: diffs.append(f"log real {r_log!r}, ours {log!r}")
            if r_taint != o_taint: diffs.append(f"module taint real {r_taint!r}, ours {o_taint!r}")
            if r.get("kernel_tainted") != tainted: diffs.append(f"kernel taint real {r.get('kernel_tainted')}, ours {tainted}")
            total += 1; agree += not diffs
            for x in diffs: bad.append(f"FAIL {v} {mode} {case}: {x}")
            rows.append((case, v, mode, r.get("errname") or "0", errname(msg) if rc else "0", r_taint or "-", o_taint or "-",
                         "; ".join(r_log) or "-", "same" if not diffs else "DIFFERENT"))
    # emulated only: our key trusted
    d = os.path.join(work, f"{v}-ownkey")
    want = [("own", 0), ("own-body", errno.EKEYREJECTED), ("own-skid", 0)]
    for i, (case, e) in enumerate(want):
        rc, msg, log, tainted, lsmod = ours(d, i)
        got = 0 if rc == 0 else getattr(errno, errname(msg), -1)
        line, letters = lsmod.get(names[case], ("", ""))
        ok = got == e and bool(line) == (e == 0) and letters == "" and tainted == 0 and not log
        if not ok: bad.append(f"FAIL {v} own key trusted, {case}: exit {rc} {msg!r}, log {log!r}, lsmod {line!r}, tainted {tainted}")
        rows.append((case, v, "default+own key", "n/a (key not enrollable)", errname(msg) if rc else "0", "-", "-", "-", "ok" if ok else "WRONG"))
w = [max(len(str(r[k])) for r in rows + [("case", "kernel", "mode", "real errno", "our errno", "real taint", "our taint", "", "")]) for k in range(7)]
print(f"{'case':{w[0]}}  {'kernel':{w[1]}}  {'mode':{w[2]}}  {'real errno':{w[3]}}  {'our errno':{w[4]}}  {'real taint':{w[5]}}  {'our taint':{w[6]}}  verdict  kernel log (real)")
for r in rows:
    print(f"{r[0]:{w[0]}}  {r[1]:{w[1]}}  {r[2]:{w[2]}}  {r[3]:{w[3]}}  {r[4]:{w[4]}}  {r[5]:{w[5]}}  {r[6]:{w[6]}}  {r[8]:7}  {r[7]}")
for b in bad[:30]: print(b)
print(f"{agree}/{total} cases identical in the real and the emulated kernel")
sys.exit(1 if bad or total != 2 * len(cases) * len(versions) else 0)
PY
echo "abi_signatures: $(( $(date +%s) - t0 )) s"
[ $fail = 0 ] || { echo "FAIL"; exit 1; }
echo "PASS"
