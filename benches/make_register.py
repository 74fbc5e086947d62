#!/usr/bin/env python3
"""Generates a register of N workbooks, and the same answers as a Hugo site, and prints its path.

    python3 benches/make_register.py                        # 100 workbooks in /tmp/workbook-register-100
    python3 benches/make_register.py OUT --workbooks 1000 --force

OUT is one git repository (written with `git fast-import`, fixed authors and dates, so the same
arguments give the same commit hashes) holding:

    register/register.yaml            members: tools/*
    register/tools/<slug>/            workbook.yaml, answers/ (13), pages/, evidence/
    hugo/                             the Hugo equivalent: config.toml, layouts/, and
    hugo/content/<slug>/              _index.md (the tool) and its 13 answers, one section per workbook

Each workbook is the bundled example-project with its council, place, tool name, phase and summary
changed (about 40 councils, all four phases, a seeded choice per workbook): the realistic text,
evidence, risks, datasets, metrics, sign-offs and internal passages of the example, each workbook's
files distinct (so no two members share a blob). A retired workbook gets the decommissioning decision
the check asks for. History: the first commit adds everything; each of the `--commits` later ones
changes one answer in a tenth of the workbooks (a seeded choice), in the register and the Hugo copy.

The Hugo site keeps Hugo's defaults (RSS feeds, sitemap) and adds two taxonomies, organisations and
phases (their term pages are the register's by-organisation and by-phase pages); its templates print
what build.sh's do (title, params, prompts through markdownify, lists as tables, content).

Standard library only; needs git. Shares the history helpers of make_large_project.py.
"""

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

from make_large_project import AUTHORS, EXAMPLE, START, STEP, data

PLACES = [
    "Ashby", "Barrowmere", "Calderbridge", "Dunhollow", "Eastwick", "Fernmoor", "Glenford",
    "Harrowgate", "Ironbridge", "Juniper Vale", "Kingsmere", "Larkhill", "Millbrook", "Netherby",
    "Oakhampton", "Pennydale", "Queensferry", "Ravensworth", "Stonebridge", "Thornbury",
    "Upperton", "Valemouth", "Westerleigh", "Yarrowfield", "Ambleside Cross", "Brackenhurst",
    "Coldharbour", "Dovecote", "Elmstead", "Foxley", "Greywater", "Hollinsend", "Ivybridge",
    "Kestrel Bay", "Longmarsh", "Moorcroft", "Northgate", "Orchard Hill", "Pebblecombe", "Redhaven",
]
KINDS = ["Borough Council", "County Council", "District Council", "City Council", "Metropolitan Borough Council"]
TOOLS = [
    ("Early Help Unmet Need Dashboard", "shows where families' needs in early help are not being met"),
    ("Placement Sufficiency Forecast", "estimates how many foster and residential places will be needed"),
    ("Missing Episodes Report", "counts how often children go missing from care, by area"),
    ("Caseload Balancing Tool", "shows social workers' caseloads so managers can share work fairly"),
    ("School Attendance Insight", "shows where attendance is falling, by school and by group"),
    ("Care Leavers Outcomes Tracker", "follows how care leavers are doing in work, housing and study"),
    ("Referral Triage Summary", "summarises referrals so the front door can see demand by week"),
    ("Family Hub Reach Report", "shows which families use family hubs and which do not"),
    ("SEND Demand Model", "projects the number of children who will need special educational support"),
    ("Youth Service Footfall Dashboard", "counts visits to youth services by area and age"),
]
PHASES = ["explore", "develop", "implement", "retired"]
RETIRED_DECISION = """decisions:
  - date: 2026-11-20
    decision: decommissioned
    by: Data Ethics Board
    note: >-
      The service it supported was reorganised, and the board agreed the tool was no longer needed.
"""
HUGO_CONFIG = """baseURL = "https://example.org/register/"
languageCode = "en-gb"
title = "Hugo comparison register"
enableGitInfo = false
[taxonomies]
  organisation = "organisations"
  phase = "phases"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ .Title }} — {{ .Site.Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
""",
    # As build.sh's single.html: the title, every param, each prompt through markdownify, each list
    # as a table, and the content.
    "_default/single.html": """{{ define "main" }}
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
""",
    # A workbook's section (its home), a taxonomy's terms and a term's tools all list their pages.
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.organisation }}<p>{{ . }} · {{ $.Params.phase }}</p>{{ end }}
{{ .Content }}
<table><caption>{{ .Title }}</caption>
<tr><th scope="col">Page</th><th scope="col">Status</th><th scope="col">Summary</th></tr>
{{ range .Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ with .Title }}{{ . }}{{ else }}{{ .File.ContentBaseName }}{{ end }}</a></td><td>{{ .Params.status }}</td><td>{{ .Params.summary }}</td></tr>
{{ end }}</table>
{{ end }}
""",
    # The register's home: every tool in a table, sorted by organisation then tool.
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<table><caption>Every tool</caption>
<tr><th scope="col">Organisation</th><th scope="col">Tool</th><th scope="col">Phase</th><th scope="col">What it supports</th></tr>
{{ range sort .Site.Sections "Params.sortkey" }}<tr><td>{{ .Params.organisation }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.phase }}</td><td>{{ .Params.tool_summary }}</td></tr>
{{ end }}</table>
<p><a href="organisations/">By organisation</a> · <a href="phases/">By phase</a></p>
{{ end }}
""",
}


def yaml_quoted(text):
    """`text` as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slugify(text):
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def members(count, seed):
    """The `count` workbooks: (slug, place, organisation, tool, what it does, phase), sorted by slug."""
    rng = random.Random(seed)
    organisations = [(place, f"{place} {KINDS[n % len(KINDS)]}") for n, place in enumerate(PLACES)]
    out = []
    for n in range(count):
        place, organisation = organisations[rng.randrange(len(organisations))]
        tool, does = TOOLS[rng.randrange(len(TOOLS))]
        phase = PHASES[n % len(PHASES)]
        slug = f"{slugify(place)}-{slugify(tool)}-{n + 1:04d}"
        out.append((slug, place, organisation, f"{tool} {n + 1}", does, phase))
    return sorted(out)


def member_files(example, slug, place, organisation, tool, does, phase):
    """The files of one workbook: the example's, with its council, place, tool and phase changed."""
    files = {}
    for relative, raw in example.items():
        text = raw.decode("utf-8")
        text = text.replace("Early Help Unmet Need Dashboard", tool)
        text = text.replace("Northfield Borough Council", organisation)
        text = text.replace("Northfield", place).replace("northfield", slugify(place))
        if relative == "workbook.yaml":
            text = text.replace("  phase: develop\n", f"  phase: {phase}\n")
            text = text.replace("/early-help/", f"/{slug}/")
            start = text.index("  summary: >-\n")
            end = text.index("  phase:", start)
            text = text[:start] + f"  summary: >-\n    A tool that {does}, for {organisation}.\n" + text[end:]
            if phase == "retired":
                text += "\n" + RETIRED_DECISION
        files[relative] = text.encode("utf-8")
    return files


def hugo_page(raw, organisation, phase):
    """An answer file as a Hugo page: its front matter, with the workbook's taxonomy terms."""
    text = raw.decode("utf-8")
    terms = f"organisations: [{yaml_quoted(organisation)}]\nphases: [{phase}]\n"
    return ("---\n" + terms + text[4:]).encode("utf-8")


def hugo_section(organisation, tool, does, phase):
    return (
        "---\n"
        f"title: {yaml_quoted(tool)}\n"
        f"organisation: {yaml_quoted(organisation)}\n"
        f"phase: {phase}\n"
        f"sortkey: {yaml_quoted(organisation + ' ' + tool)}\n"
        f"tool_summary: {yaml_quoted('A tool that ' + does + '.')}\n"
        f"organisations: [{yaml_quoted(organisation)}]\n"
        f"phases: [{phase}]\n"
        "---\n"
    ).encode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", help="where to make it (default /tmp/workbook-register-N)")
    parser.add_argument("--workbooks", type=int, default=100, help="how many workbooks")
    parser.add_argument("--commits", type=int, default=3, help="how many commits after the first")
    parser.add_argument("--seed", type=int, default=20261201, help="the seed of every choice")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args()

    out = Path(args.out or f"/tmp/workbook-register-{args.workbooks}").resolve()
    if out.exists():
        if not args.force and any(out.iterdir()):
            sys.exit(f"{out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    out.mkdir(parents=True)

    example = {}
    for path in sorted(EXAMPLE.rglob("*")):
        relative = path.relative_to(EXAMPLE).as_posix()
        if path.is_file() and not relative.startswith(("public/", ".git")):
            example[relative] = path.read_bytes()
    answers = sorted(p for p in example if p.startswith("answers/") and p.endswith(".md"))

    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    fast_import = subprocess.Popen(["git", "-C", str(out), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    stream = fast_import.stdin
    mark = 0

    def blob(payload):
        nonlocal mark
        mark += 1
        stream.write(b"blob\nmark :%d\n" % mark + data(payload))
        return mark

    def commit(n, message, changes):
        name, email = AUTHORS[n % len(AUTHORS)]
        when = START + n * STEP
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"author {name} <{email}> {when} +0000\n".encode())
        stream.write(f"committer {name} <{email}> {when} +0000\n".encode())
        stream.write(data(message.encode("utf-8")))
        for path, m in changes:
            stream.write(f"M 100644 :{m} {path}\n".encode("utf-8"))
        stream.write(b"\n")

    tools = members(args.workbooks, args.seed)
    register = [
        "title: Generated children's services algorithm register\n",
        "organisation: Generated Regional Data Partnership\n",
        "base_url: https://example.org/register/\n",
        "contact:\n  email: register@partnership.example\n",
        "members:\n  - tools/*\n",
    ]
    first = [("register/register.yaml", blob("".join(register).encode("utf-8")))]
    first += [("hugo/config.toml", blob(HUGO_CONFIG.encode("utf-8")))]
    first += [(f"hugo/layouts/{name}", blob(text.encode("utf-8"))) for name, text in HUGO_LAYOUTS.items()]
    texts = {}
    for slug, place, organisation, tool, does, phase in tools:
        files = member_files(example, slug, place, organisation, tool, does, phase)
        texts[slug] = (files, organisation, phase)
        first += [(f"register/tools/{slug}/{relative}", blob(raw)) for relative, raw in files.items()]
        first.append((f"hugo/content/{slug}/_index.md", blob(hugo_section(organisation, tool, does, phase))))
        first += [(f"hugo/content/{slug}/{Path(p).name}", blob(hugo_page(files[p], organisation, phase))) for p in answers]
    commit(0, f"Start the register with {len(tools)} workbooks", first)

    rng = random.Random(args.seed + 1)
    for n in range(1, args.commits + 1):
        changes = []
        for slug in sorted(rng.sample(sorted(texts), max(1, len(texts) // 10))):
            files, organisation, phase = texts[slug]
            path = answers[rng.randrange(len(answers))]
            raw = files[path].rstrip(b"\n") + f"\n\nRevision {n + 1} of this answer.\n".encode("utf-8")
            files[path] = raw
            changes.append((f"register/tools/{slug}/{path}", blob(raw)))
            changes.append((f"hugo/content/{slug}/{Path(path).name}", blob(hugo_page(raw, organisation, phase))))
        commit(n, f"Update answers in {len(changes) // 2} workbooks (round {n + 1})", changes)
    stream.write(b"done\n")
    stream.close()
    if fast_import.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "-f", "main"], check=True)
    print(out)


if __name__ == "__main__":
    main()
