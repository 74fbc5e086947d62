#!/usr/bin/env bash
# Times `workbook diff` of a one-line change in an answer with 10,000 risks (issue 13: under 1 s).
#
#   bash benches/diff.sh                 # builds target/release/workbook, project under /tmp
#   BIN=path/to/workbook bash benches/diff.sh
#
# The project is generated here: the example project with question 4's risks replaced by RISKS
# (default 10,000) generated risks (short ones: the answer stays under the 1 MB limit), in a new git repository with two commits; the second changes
# one line (the mitigation of the risk in the middle). Timed side by side in one hyperfine run:
#
#   diff markdown     workbook diff --from HEAD~1 --to HEAD (the pull-request comment)
#   diff json         the same, as JSON
#   diff worktree     HEAD against the working tree (a third version, one more line changed)
#   check             workbook check on the same project: loading and checking one side, the floor
#
# Environment: BIN, RUNS (minimum runs, default 10), WARMUP (default 2), RISKS (default 10000),
# KEEP_TMP=1 (keep the project to look at).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

runs="${RUNS:-10}"
warmup="${WARMUP:-2}"
risks="${RISKS:-10000}"

if ! command -v hyperfine >/dev/null; then
    if [ -z "${NO_INSTALL:-}" ] && command -v apt-get >/dev/null; then
        apt-get install -y hyperfine >&2
    else
        echo "diff.sh: hyperfine is needed (apt-get install -y hyperfine)" >&2
        exit 2
    fi
fi
if [ -n "${BIN:-}" ]; then
    bin="$BIN"
else
    echo "== cargo build --release" >&2
    cargo build --release --quiet
    bin="$root/target/release/workbook"
fi

tmp="$(mktemp -d /tmp/workbook-bench-diff.XXXXXX)"
if [ -z "${KEEP_TMP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "== keeping $tmp" >&2; fi
project="$tmp/project"
cp -r example-project "$project"

echo "== generating $risks risks in answers/04-risks-and-mitigations.md" >&2
python3 - "$project/answers/04-risks-and-mitigations.md" "$risks" <<'PY'
import sys
path, count = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
start = text.index("\nrisks:\n") + len("\nrisks:\n")
end = start
lines = text[start:].split("\n")
# The example's own risks end at the next top-level key.
for i, line in enumerate(lines):
    if line and not line.startswith(" "):
        end = start + len("\n".join(lines[:i])) + 1
        break
levels = ["low", "medium", "high"]
rows = []
for n in range(count):
    rows.append(
        f"  - risk: Risk {n}.\n"
        f"    likelihood: {levels[n % 3]}\n"
        f"    impact: {levels[(n // 3) % 3]}\n"
        f"    mitigation: Step {n} monthly.\n"
    )
open(path, "w", encoding="utf-8").write(text[:start] + "".join(rows) + text[end:])
PY
git -C "$project" init -q -b main
git -C "$project" add -A
git -C "$project" -c user.name=Bench -c user.email=bench@example.invalid commit -qm "Many risks"
middle=$((risks / 2))
sed -i "s/Step $middle monthly./Step $middle weekly./" \
    "$project/answers/04-risks-and-mitigations.md"
git -C "$project" -c user.name=Bench -c user.email=bench@example.invalid commit -qam "One line"
sed -i "s/Step 1 monthly./Step 1 daily./" \
    "$project/answers/04-risks-and-mitigations.md"
echo "   $(wc -c <"$project/answers/04-risks-and-mitigations.md") bytes in the answer" >&2

echo "== the diff being timed:" >&2
"$bin" diff --from HEAD~1 --to HEAD "$project" | head -30 >&2 || true
echo "== check (its exit code does not stop the timing):" >&2
"$bin" check "$project" 2>&1 | tail -3 >&2 || true

hyperfine -N -i --warmup "$warmup" --min-runs "$runs" --export-json "$tmp/results.json" \
    -n "diff markdown" "$bin diff --from HEAD~1 --to HEAD $project" \
    -n "diff json" "$bin diff --from HEAD~1 --to HEAD --format json $project" \
    -n "diff worktree" "$bin diff $project" \
    -n "check" "$bin check $project"

python3 - "$tmp/results.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print()
print(f"{'command':<16} {'runs':>5} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
for r in results:
    print(f"{r['command']:<16} {len(r['times']):>5} {r['median']*1000:>10.1f} {r['min']*1000:>8.1f} {r['max']*1000:>8.1f}")
PY
