#!/usr/bin/env bash
# Times `workbook build` on the generated large project (answers 50x longer, 5,000 commits), and
# beside it, in the same hyperfine run, the parts it is made of, to see where the time goes:
#
#   build large          workbook build on the large project (what a user waits for)
#   build large, 1 commit  the same answers in a repository with one commit (no long history)
#   build example, 5000  the example's answers (not lengthened) with 5,000 commits
#   check large          workbook check: load + check, no history, no rendering
#   git log large        the one `git log` workbook runs to read the history, by itself
#
#   bash benches/large.sh            # projects under /tmp, made by make_large_project.py
#
# Environment: BIN (a workbook binary to time instead of building target/release/workbook),
# RUNS (minimum runs, default 10), WARMUP (default 3), BASE (default
# /tmp/workbook-large-project; the variants get suffixes).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

runs="${RUNS:-10}"
warmup="${WARMUP:-3}"
base="${BASE:-/tmp/workbook-large-project}"

command -v hyperfine >/dev/null || { echo "large.sh: hyperfine is needed (apt-get install -y hyperfine)" >&2; exit 2; }
if [ -n "${BIN:-}" ]; then
    bin="$BIN"  # a binary built before, to time one build of it throughout
else
    echo "== cargo build --release" >&2
    cargo build --release --quiet
    bin="target/release/workbook"
fi
echo "== $bin; theme in the tree: $(find themes/default -type f -exec cat {} + | wc -c) bytes" >&2

echo "== generating projects" >&2
large="$(python3 benches/make_large_project.py --force "$base")"
one="$(python3 benches/make_large_project.py --force --commits 1 "$base-1commit")"
short="$(python3 benches/make_large_project.py --force --repeat 1 "$base-short")"
echo "   $large: $(du -sk "$large/answers" | cut -f1) KB of answers, $(git -C "$large" rev-list --count HEAD) commits" >&2

tmp="$(mktemp -d /tmp/workbook-bench-large.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

hyperfine -N --warmup "$warmup" --min-runs "$runs" --export-json "$tmp/results.json" \
    -n "build large" "$bin build $large --out $tmp/site-large" \
    -n "build large, 1 commit" "$bin build $one --out $tmp/site-one" \
    -n "build example, 5000" "$bin build $short --out $tmp/site-short" \
    -n "check large" "$bin check $large" \
    -n "git log large" "git -C $large log --relative --raw --no-abbrev -M -z --no-color --date=iso-strict --format=%H%x00%ad%x00%an%x00%s%x00 -- ."

echo "== output of the large build: $(du -sk "$tmp/site-large" | cut -f1) KB; largest files:" >&2
find "$tmp/site-large" -maxdepth 1 -type f -printf "%s %f\n" | sort -rn | head -3 | while read -r size f; do echo "   $f $size bytes" >&2; done

python3 - "$tmp/results.json" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ref = results[0]["median"]
print()
print(f"{'command':<24} {'runs':>5} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'/ build large':>14}")
for r in results:
    print(f"{r['command']:<24} {len(r['times']):>5} {r['median']*1000:>10.1f} {r['min']*1000:>8.1f} "
          f"{r['max']*1000:>8.1f} {r['median']/ref:>14.2f}")
EOF
