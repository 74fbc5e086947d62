#!/usr/bin/env bash
# Times `workbook build` on the bundled example project and, when Hugo is installed, Hugo building
# the same answers, side by side in one hyperfine run. Prints the medians and their ratio.
#
#   bash benches/build.sh                 # the example project
#   bash benches/build.sh PROJECT         # any project (its answers/ are what Hugo builds)
#
# Environment: BIN (a workbook binary to time instead of building target/release/workbook),
# RUNS (minimum runs, default 10), WARMUP (default 3), NO_HUGO=1 to time workbook alone,
# NO_INSTALL=1 to never call apt-get, KEEP_TMP=1 to keep the generated sites, HUGO_GITINFO=1 to add
# Hugo with enableGitInfo (the project must be the root of its own git repository, such as the one
# make_large_project.py makes).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

project="${1:-example-project}"
runs="${RUNS:-10}"
warmup="${WARMUP:-3}"

# apt-get, retried while another process holds the dpkg lock.
apt_install() {
    [ -n "${NO_INSTALL:-}" ] && return 1
    local tries=0
    until apt-get install -y "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -ge 30 ]; then
            echo "build.sh: apt-get install $* failed (lock held or package missing)" >&2
            return 1
        fi
        echo "build.sh: apt-get busy or failed, retrying in 10 s ($tries/30)" >&2
        sleep 10
    done
}

command -v hyperfine >/dev/null || apt_install hyperfine || { echo "build.sh: hyperfine is needed" >&2; exit 2; }
if [ -z "${NO_HUGO:-}" ] && ! command -v hugo >/dev/null; then
    apt_install hugo || echo "build.sh: hugo not available; timing workbook alone" >&2
fi

if [ -n "${BIN:-}" ]; then
    bin="$BIN"  # a binary built before, to time one build of it throughout
else
    echo "== cargo build --release" >&2
    cargo build --release --quiet
    bin="target/release/workbook"
fi
echo "== $bin; theme in the tree: $(find themes/default -type f -exec cat {} + | wc -c) bytes" >&2

tmp="$(mktemp -d /tmp/workbook-bench-build.XXXXXX)"
# KEEP_TMP=1 keeps the generated sites to look at.
if [ -n "${KEEP_TMP:-}" ]; then echo "== keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi

# Check the project builds at all before timing it (warnings are fine, errors are not).
"$bin" build "$project" --out "$tmp/workbook-site" >/dev/null 2>"$tmp/workbook-build.log" || {
    cat "$tmp/workbook-build.log" >&2
    echo "build.sh: workbook build failed" >&2
    exit 1
}

commands=(-n workbook "$bin build $project --out $tmp/workbook-site")

# A minimal Hugo site in $1, its pages read from the folder $2 (relative to $1), and $3 = true to let
# Hugo read git history (enableGitInfo). The answers' YAML front matter is valid Hugo front matter
# (custom keys become .Params); the templates print the title, every param (prompts rendered as
# Markdown, lists of records as tables) and .Content, which is about what a workbook answer page
# shows. Hugo's defaults are kept (RSS, sitemap, taxonomy pages), since workbook also writes a feed
# and a sitemap.
write_hugo_site() {
    local site="$1" content="$2" gitinfo="$3"
    mkdir -p "$site/layouts/_default"
    printf '%s\n' 'baseURL = "https://example.org/"' 'languageCode = "en-gb"' \
        'title = "Hugo comparison site"' "contentDir = \"$content\"" "enableGitInfo = $gitinfo" \
        >"$site/config.toml"
    cat >"$site/layouts/_default/baseof.html" <<'HTML'
<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ .Title }} — {{ .Site.Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
HTML
    cat >"$site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}
<h1>{{ with .Title }}{{ . }}{{ else }}{{ .File.ContentBaseName }}{{ end }}</h1>
{{ with .GitInfo }}<p>Last changed {{ .AuthorDate.Format "2006-01-02" }} by {{ .AuthorName }}: {{ .Subject }} ({{ .AbbreviatedHash }})</p>{{ end }}
<dl>
{{ range $key, $value := .Params }}
  {{ if eq $key "prompts" }}
  {{ else if reflect.IsSlice $value }}
  {{ else if reflect.IsMap $value }}
  {{ else }}<dt>{{ $key }}</dt><dd>{{ $value }}</dd>
  {{ end }}
{{ end }}
</dl>
{{ range $id, $text := .Params.prompts }}
<section id="{{ $id }}"><h2>{{ $id }}</h2>{{ $text | markdownify }}</section>
{{ end }}
{{ range $key, $value := .Params }}
  {{ if reflect.IsSlice $value }}
  <h2>{{ $key }}</h2>
  <table>
  {{ range $value }}
    <tr>{{ if reflect.IsMap . }}{{ range $k, $v := . }}<td>{{ $k }}: {{ $v }}</td>{{ end }}{{ else }}<td>{{ . }}</td>{{ end }}</tr>
  {{ end }}
  </table>
  {{ end }}
{{ end }}
{{ .Content }}
{{ end }}
HTML
    cat >"$site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ with .Title }}{{ . }}{{ else }}{{ .File.ContentBaseName }}{{ end }}</a> {{ .Params.status }}: {{ .Params.summary }}</li>{{ end }}</ul>
{{ end }}
HTML
    cat >"$site/layouts/index.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ol>{{ range .Site.RegularPages.ByParam "question" }}<li><a href="{{ .RelPermalink }}">{{ .File.ContentBaseName }}</a> {{ .Params.status }}: {{ .Params.summary }}</li>{{ end }}</ol>
{{ end }}
HTML
}

if [ -z "${NO_HUGO:-}" ] && command -v hugo >/dev/null; then
    # The answers copied into content/answers/ (no git history).
    site="$tmp/hugo"
    mkdir -p "$site/content/answers"
    cp "$project"/answers/*.md "$site/content/answers/"
    write_hugo_site "$site" content false
    hugo --source "$site" --destination "$tmp/hugo-public" --quiet >/dev/null 2>"$tmp/hugo.log" || {
        cat "$tmp/hugo.log" >&2
        echo "build.sh: the Hugo comparison site does not build" >&2
        exit 1
    }
    echo "== files written: workbook $(find "$tmp/workbook-site" -type f | wc -l), hugo $(find "$tmp/hugo-public" -type f | wc -l)" >&2
    commands+=(-n hugo "hugo --source $site --destination $tmp/hugo-public --quiet")

    # HUGO_GITINFO=1: also Hugo with enableGitInfo over a clone of the project's repository, its
    # pages read from answers/ in place, so Hugo runs its own `git log` as workbook does. (Hugo keeps
    # only each file's last commit; workbook keeps every file's history, a change log and a feed.)
    if [ -n "${HUGO_GITINFO:-}" ]; then
        if [ "$(git -C "$project" rev-parse --show-toplevel 2>/dev/null)" != "$(cd "$project" && pwd -P)" ]; then
            echo "build.sh: HUGO_GITINFO needs a project that is the root of its own git repository" >&2
            exit 2
        fi
        git clone -q "$project" "$tmp/hugo-git"
        write_hugo_site "$tmp/hugo-git" answers true
        hugo --source "$tmp/hugo-git" --destination "$tmp/hugo-git-public" --quiet >/dev/null 2>"$tmp/hugo-git.log" || {
            cat "$tmp/hugo-git.log" >&2
            echo "build.sh: the Hugo site with git info does not build" >&2
            exit 1
        }
        commands+=(-n hugo-gitinfo "hugo --source $tmp/hugo-git --destination $tmp/hugo-git-public --quiet")
    fi
fi

echo "== hyperfine (warmup $warmup, at least $runs runs each)" >&2
hyperfine -N --warmup "$warmup" --min-runs "$runs" --export-json "$tmp/results.json" "${commands[@]}"

python3 - "$tmp/results.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print()
print(f"{'command':<13} {'runs':>5} {'median ms':>10} {'mean ms':>9} {'min ms':>8} {'max ms':>8}")
for r in results:
    print(f"{r['command']:<13} {len(r['times']):>5} {r['median']*1000:>10.1f} {r['mean']*1000:>9.1f} "
          f"{r['min']*1000:>8.1f} {r['max']*1000:>8.1f}")
by = {r["command"]: r for r in results}
print()
for peer in ("hugo", "hugo-gitinfo"):
    if peer in by and "workbook" in by:
        ratio = by[peer]["median"] / by["workbook"]["median"]
        print(f"median ratio {peer} / workbook = {ratio:.2f} "
              f"({'workbook faster' if ratio > 1 else peer + ' faster'})")
PY
