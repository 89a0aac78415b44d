#!/bin/bash
# Asks the real Debian kernels (under qemu, through /work/shared/tools/kernel-oracle.sh)
# for the /proc/modules size and sysfs coresize/initsize of a sample of shipped modules,
# and stores the answers in tests/corpus/layout-<ver>.jsonl for test_loader_layout.
#
# Usage: tests/corpus/make-layout-corpus.sh BUILD_DIR [6.1|6.12 ...]
#   BUILD_DIR holds loader/layout-sizes (our layout, used only to pick a sample that
#   spreads over what the layout depends on; the figures stored are the kernel's).
#
# The sample (deterministic): the smallest and largest modules, modules with and without
# allocated .init sections, with .data..ro_after_init, __jump_table and .data..percpu,
# with the most symbols, those whose layout ends closest to a page boundary (where an
# error of a few bytes would change the page-rounded figure), and a spread by name hash;
# taken from directories whose modules load without their hardware.  Each is loaded after
# its dependencies and softdeps in the order the real modprobe --show-depends gives (over
# the real depmod's files for the tree), up to BATCH steps per boot.
#
# The last boot loads a few modules with finit_module flag IGNORE_MODVERSIONS (kept
# __versions), through kernel-oracle.sh -m sys -F 1.
#
# Output line per insmod step (jq -c): {"release","batch","flags" (finit_module flags),"step","file" (relative to
# lib/modules/<release>/),"name","sample" (picked, not only a dependency),"status","rc",
# "errno","size" (/proc/modules, null when not loaded),"coresize","initsize","state"}.
set -euo pipefail

build=$(cd "${1:?usage: make-layout-corpus.sh BUILD_DIR [6.1|6.12 ...]}" && pwd)
shift
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)

here=$(cd "$(dirname "$0")" && pwd)
oracle=/work/shared/tools/kernel-oracle.sh
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
sizes=$build/loader/layout-sizes
BATCH=${BATCH:-45}
[ -x "$sizes" ] || { echo "make-layout-corpus.sh: $sizes not built" >&2; exit 1; }

release_of() {
  case $1 in
    6.1) echo 6.1.0-56-amd64 ;;
    6.12) echo 6.12.117+deb12-amd64 ;;
    *) echo "make-layout-corpus.sh: unknown version $1" >&2; exit 1 ;;
  esac
}

for ver in "${versions[@]}"; do
  rel=$(release_of "$ver")
  tree=$cache/$rel/lib/modules/$rel
  [ -d "$tree" ] || { echo "make-layout-corpus.sh: $tree missing (kernel-oracle.sh --setup $ver)" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT

  (cd "$tree" && find kernel -name '*.ko*' | LC_ALL=C sort) > "$work/all"
  (cd "$tree" && xargs "$sizes" -k "$ver" -c "/usr/src/linux-headers-$rel/.config" --features) < "$work/all" > "$work/features"
  (cd "$tree" && xargs "$sizes" -k "$ver" -c "/usr/src/linux-headers-$rel/.config" --ignore-modversions) < "$work/all" > "$work/forced"

  # Selection, dependency closure and batches; writes $work/batch-N.steps and
  # $work/batch-N.meta (relative file, name, sample flag per step).
  # The real depmod's files for the tree (written into a tree of symlinks: the cache stays
  # as the package left it).
  mkdir -p "$work/base/lib/modules/$rel"
  for x in "$tree"/*; do ln -s "$x" "$work/base/lib/modules/$rel/"; done
  /sbin/depmod -b "$work/base" "$rel"
  python3 - "$tree" "$work" "$BATCH" "$rel" <<'EOF'
import hashlib, os, subprocess, sys
tree, work, batch_max, release = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def modname(path):
    base = os.path.basename(path)
    return base[:base.index('.ko')].replace('-', '_')

rows = []
for line in open(os.path.join(work, 'features')):
    f = line.rstrip('\n').split('\t')
    rel = f[0]  # layout-sizes ran in the tree, on relative paths
    rows.append(dict(rel=rel, core=int(f[1]), init=int(f[2]), margin=int(f[3]),
                     inits=int(f[4]), roai=int(f[5]), jump=int(f[6]), pcpu=int(f[7]), nsyms=int(f[8])))
by_name = {modname(r['rel']): r['rel'] for r in rows}

# Directories whose modules register a driver or a facility and return without touching
# hardware that qemu lacks (ISA probes and watchdogs are left out: they can hang a boot).
ok_dirs = ('kernel/lib/', 'kernel/crypto/', 'kernel/arch/x86/crypto/', 'kernel/fs/', 'kernel/net/',
           'kernel/drivers/md/', 'kernel/drivers/block/', 'kernel/drivers/net/ethernet/',
           'kernel/drivers/net/wireless/', 'kernel/drivers/net/usb/', 'kernel/drivers/net/phy/',
           'kernel/drivers/hid/', 'kernel/drivers/usb/', 'kernel/drivers/scsi/',
           'kernel/drivers/gpu/drm/', 'kernel/drivers/nvme/', 'kernel/drivers/infiniband/',
           'kernel/drivers/media/tuners/', 'kernel/drivers/media/dvb-frontends/',
           'kernel/drivers/bluetooth/', 'kernel/sound/core/', 'kernel/sound/pci/')
risky = ('kernel/sound/pci/hda/', 'kernel/drivers/usb/gadget/', 'kernel/drivers/usb/host/',
         'kernel/net/netfilter/ipvs/', 'kernel/drivers/scsi/fcoe/', 'kernel/fs/nfsd/')
pool = [r for r in rows if r['rel'].startswith(ok_dirs) and not r['rel'].startswith(risky)]

picked = []
def take(rs, n):
    k = 0
    for r in rs:
        if k == n: break
        if r['rel'] not in picked:
            picked.append(r['rel']); k += 1

h = lambda r: hashlib.sha1(r['rel'].encode()).hexdigest()
take(sorted(pool, key=lambda r: (r['core'], r['rel'])), 8)                       # tiny
take(sorted(pool, key=lambda r: (-r['core'], r['rel'])), 5)                      # big
take(sorted([r for r in pool if r['inits'] == 0], key=h), 8)                     # no .init
take(sorted([r for r in pool if r['inits'] >= 2], key=h), 8)                     # .init text+data
take(sorted([r for r in pool if r['roai']], key=h), 8)                           # ro_after_init
take(sorted([r for r in pool if r['jump']], key=h), 6)                           # __jump_table
take(sorted([r for r in pool if r['pcpu']], key=h), 6)                           # per-cpu data
take(sorted(pool, key=lambda r: (-r['nsyms'], r['rel'])), 6)                     # many symbols
take(sorted([r for r in pool if r['margin'] >= 0], key=lambda r: (r['margin'], r['rel'])), 20)  # near a page edge
take(sorted(pool, key=h), 15)                                                    # spread

# The real modprobe's load sequence (dependencies and softdep pre/post modules) from the
# real depmod's files for this tree.
base = os.path.join(work, 'base')
def sequence(rel):
    out = subprocess.run(['/sbin/modprobe', '-d', base, '-S', release, '--show-depends', modname(rel)],
                         check=True, capture_output=True, text=True).stdout
    prefix = os.path.join(base, 'lib/modules', release) + '/'
    return [l.split()[1][len(prefix):] for l in out.splitlines() if l.startswith('insmod ')]

def closure(rel, seen, order):
    for r in sequence(rel):
        if r not in seen:
            seen.add(r); order.append(r)

batches, cur = [], []
for rel in picked:
    order = []
    closure(rel, set(cur), order)
    if cur and len(cur) + len(order) > batch_max:
        batches.append(cur); cur = []
        order = []; closure(rel, set(), order)
    cur.extend(order)
if cur: batches.append(cur)

for i, b in enumerate(batches, 1):
    with open(os.path.join(work, 'batch-%d.steps' % i), 'w') as st, open(os.path.join(work, 'batch-%d.meta' % i), 'w') as me:
        for rel in b:
            st.write('insmod %s\n' % os.path.join(tree, rel))
            me.write('%s\t%s\t%d\n' % (rel, modname(rel), rel in picked))
# One more boot loads modules with finit_module(MODULE_INIT_IGNORE_MODVERSIONS) (modprobe
# --force-modversion): __versions is then kept in the layout.  Modules without dependencies
# whose size this changes, and a few whose size it leaves.
forced_core = {l.split('\t')[0]: int(l.split('\t')[1]) for l in open(os.path.join(work, 'forced'))}
alone = [r for r in sorted(pool, key=h) if len(sequence(r['rel'])) == 1]
grows = [r['rel'] for r in alone if forced_core[r['rel']] != r['core']][:10]
same = [r['rel'] for r in alone if forced_core[r['rel']] == r['core']][:4]
n = len(batches) + 1
with open(os.path.join(work, 'batch-%d.steps' % n), 'w') as st, open(os.path.join(work, 'batch-%d.meta' % n), 'w') as me:
    for rel in grows + same:
        st.write('insmod %s\n' % os.path.join(tree, rel))
        me.write('%s\t%s\t%d\n' % (rel, modname(rel), 1))
open(os.path.join(work, 'batch-%d.flags' % n), 'w').write('1\n')
print('%d picked, %d steps in %d boots, %d forced' % (len(picked), sum(map(len, batches)), len(batches), len(grows + same)), file=sys.stderr)
if len(picked) < 50: sys.exit('make-layout-corpus.sh: only %d modules picked' % len(picked))
EOF

  out=$here/layout-$ver.jsonl
  : > "$work/out.jsonl"
  for steps in "$work"/batch-*.steps; do
    b=$(basename "$steps" .steps); b=${b#batch-}
    flags=0; method=()
    if [ -f "$work/batch-$b.flags" ]; then flags=$(cat "$work/batch-$b.flags"); method=(-m sys -F "$flags"); fi
    echo "make-layout-corpus.sh: $ver boot $b ($(wc -l < "$steps") modules, flags $flags)" >&2
    "$oracle" -k "$ver" "${method[@]}" -f "$steps" -o "$work/raw-$b.jsonl" || true
    # Pair each step with its file and sample flag (the oracle numbers steps from 1).
    awk -F'\t' '{printf "{\"file\":\"%s\",\"sample\":%s}\n", $1, ($3 ? "true" : "false")}' "$work/batch-$b.meta" > "$work/meta-$b.jsonl"
    jq -c --slurpfile meta "$work/meta-$b.jsonl" --arg rel "$rel" --argjson batch "$b" --argjson flags "$flags" '
      select(.final != true) |
      {release: $rel, batch: $batch, flags: $flags, step: .step, file: $meta[.step - 1].file, name: .name,
       sample: $meta[.step - 1].sample, status: .status, rc: .rc, errno: .errno,
       size: (.proc_modules.size // null), coresize: ((.sysfs.coresize // null) | if . then tonumber else null end),
       initsize: ((.sysfs.initsize // null) | if . then tonumber else null end),
       state: (.proc_modules.state // null)}' "$work/raw-$b.jsonl" >> "$work/out.jsonl"
  done
  mv "$work/out.jsonl" "$out"
  loaded=$(jq -s '[.[] | select(.size != null and .sample)] | length' "$out")
  echo "make-layout-corpus.sh: $ver: $(wc -l < "$out") steps, $loaded sampled modules loaded -> $out" >&2
  rm -rf "$work"
  trap - EXIT
done
