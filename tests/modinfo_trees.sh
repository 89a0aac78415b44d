#!/usr/bin/env bash
# Our modinfo against kmod's /sbin/modinfo over every shipped module of Debian's 6.1 and
# 6.12 trees, one invocation of each tool per tree: stdout, stderr and exit code must be
# identical.  When they are not, the outputs are cut at each module's "filename:" line to
# count and show the modules that differ.  Prints "<tree>: N/M identical".
# Usage: modinfo_trees.sh OUR_MODINFO
set -euo pipefail
ours=$(realpath "$1")
real=/sbin/modinfo
[ -x "$real" ] || { echo "FAIL: $real missing (apt-get install kmod)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=${MODFORGE_ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
fail=0
for spec in "6.1.0-56-amd64:*.ko" "6.12.117+deb12-amd64:*.ko.xz"; do
  rel=${spec%%:*} glob=${spec#*:}
  tree=$cache/$rel/lib/modules/$rel
  [ -d "$tree" ] || { echo "FAIL: module tree $tree missing"; exit 1; }
  mapfile -t mods < <(find "$tree" -name "$glob" | LC_ALL=C sort)
  n=${#mods[@]}
  [ "$n" -gt 1000 ] || { echo "FAIL $rel: only $n modules under $tree"; fail=1; continue; }
  # getopt's messages name argv[0]: run the real one as plain "modinfo", as ours names itself.
  rc_real=0; (exec -a modinfo "$real" "${mods[@]}") >"$work/real.out" 2>"$work/real.err" || rc_real=$?
  rc_ours=0; "$ours" "${mods[@]}" >"$work/ours.out" 2>"$work/ours.err" || rc_ours=$?
  if cmp -s "$work/real.out" "$work/ours.out" && cmp -s "$work/real.err" "$work/ours.err" && [ "$rc_real" = "$rc_ours" ]; then
    echo "$rel: $n/$n identical (stdout $(wc -c <"$work/real.out") bytes, stderr $(wc -l <"$work/real.err") lines, exit $rc_real)"
    continue
  fi
  fail=1
  split_blocks() { awk -v dir="$work/$2" 'BEGIN{system("mkdir -p " dir)} /^filename:/{f=dir "/" (++i)} {print > f}' "$1"; }
  split_blocks "$work/real.out" real.d
  split_blocks "$work/ours.out" ours.d
  same=0
  for ((i = 1; i <= n; i++)); do
    if cmp -s "$work/real.d/$i" "$work/ours.d/$i" 2>/dev/null; then same=$((same + 1)); else
      [ "$((n - same))" -le 5 ] && { echo "differs: ${mods[$((i - 1))]}"; diff "$work/real.d/$i" "$work/ours.d/$i" | head -10 || true; }
    fi
  done
  echo "FAIL $rel: $same/$n identical on stdout; exit codes real $rc_real, ours $rc_ours"
  diff "$work/real.err" "$work/ours.err" | head -10 || true
done
exit $fail
