#!/usr/bin/env python3
"""Generates a large workbook project for benchmarks and prints its path.

The project is the bundled example-project with every answer fifty times longer (each prompt answer
and each Markdown body repeated 50 times; the front matter stays valid YAML), in a new git repository
with 5,000 commits that touch the answer files, written with `git fast-import`. Author names, emails,
dates and messages are fixed, so the same arguments give the same commit hashes.

    python3 benches/make_large_project.py                    # /tmp/workbook-large-project
    python3 benches/make_large_project.py OUT --repeat 50 --commits 5000

History: the first commit adds the whole project; each later commit changes one answer file (picked
by a fixed pseudo-random sequence), alternating it between two versions that differ in one line
("Revision N of this answer."), under one of five made-up authors, an hour after the one before.
Because each file only alternates between two blobs the object store stays small (a few MB); the
`git log --raw` that `workbook` runs compares trees, not blob contents, so it costs the same as with
5,000 distinct blobs; the public history projects each distinct blob once, so it costs little here.
With --distinct every commit writes a new version ("Revision N", N counting up): 5,000 blobs to
project, the worst case for the public history.

Standard library only; needs git.
"""

import argparse
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example-project"
AUTHORS = [
    ("Amira Khan", "amira.khan@northfield.example"),
    ("Ben Okafor", "ben.okafor@northfield.example"),
    ("Chloe Evans", "chloe.evans@northfield.example"),
    ("Dev Patel", "dev.patel@northfield.example"),
    ("Erin Walsh", "erin.walsh@northfield.example"),
]
START = 1704096000  # 2024-01-01T08:00:00Z
STEP = 3600


def lengthen(text, repeat):
    """The answer file `text` with every `|` prompt answer and the Markdown body repeated."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.index("\n---\n", 4)
    front = text[4:end].split("\n")
    body = text[end + 5 :]

    out = []
    in_prompts = False
    i = 0
    while i < len(front):
        line = front[i]
        if re.match(r"^[A-Za-z_]+:", line):
            in_prompts = line.startswith("prompts:")
        m = re.match(r"^(  [a-z0-9-]+): \|\s*$", line) if in_prompts else None
        if not m:
            out.append(line)
            i += 1
            continue
        out.append(line)
        i += 1
        block = []
        while i < len(front) and (front[i].strip() == "" or front[i].startswith("    ")):
            block.append(front[i])
            i += 1
        while block and block[-1].strip() == "":
            block.pop()
        for n in range(repeat):
            if n:
                out.append("")
            out.extend(block)
    front_text = "\n".join(out)

    body = body.strip("\n")
    long_body = "\n\n".join([body] * repeat) + "\n" if body else ""
    return f"---\n{front_text}\n---\n{long_body}"


def data(payload):
    return b"data %d\n" % len(payload) + payload + b"\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="/tmp/workbook-large-project", help="where to make it")
    parser.add_argument("--repeat", type=int, default=50, help="how many times each answer is repeated")
    parser.add_argument("--commits", type=int, default=5000, help="how many commits in all")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    parser.add_argument(
        "--distinct", action="store_true", help="give every commit a new version of its answer (no two alike)"
    )
    args = parser.parse_args()

    out = Path(args.out).resolve()
    if out.exists():
        if not args.force and any(out.iterdir()):
            sys.exit(f"{out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    out.mkdir(parents=True)

    # The files of the first commit: the example's settings, evidence and static files as they are,
    # its answers lengthened.
    files = {}
    for path in sorted(EXAMPLE.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(EXAMPLE).as_posix()
        if relative.startswith(("public/", ".git")):
            continue
        raw = path.read_bytes()
        if relative.startswith("answers/") and relative.endswith(".md"):
            raw = lengthen(raw.decode("utf-8"), args.repeat).encode("utf-8")
        files[relative] = raw
    answers = sorted(p for p in files if p.startswith("answers/") and p.endswith(".md"))

    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    fast_import = subprocess.Popen(
        ["git", "-C", str(out), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE
    )
    stream = fast_import.stdin
    mark = 0

    def blob(payload):
        nonlocal mark
        mark += 1
        stream.write(b"blob\nmark :%d\n" % mark + data(payload))
        return mark

    # Two versions of each answer: revision lines that alternate, so every commit changes the file.
    versions = {}
    for path in answers:
        base = files[path].decode("utf-8").rstrip("\n")
        versions[path] = [
            blob(f"{base}\n\nRevision {parity} of this answer.\n".encode("utf-8")) for parity in (1, 2)
        ]
    other = {path: blob(raw) for path, raw in files.items() if path not in versions}

    rng = random.Random(20240401)
    touched = {path: 0 for path in answers}
    for n in range(args.commits):
        name, email = AUTHORS[n % len(AUTHORS)]
        when = START + n * STEP
        if n == 0:
            message = "Start the workbook from the example project"
            changes = [(path, m) for path, m in other.items()] + [(p, versions[p][0]) for p in answers]
        else:
            path = answers[rng.randrange(len(answers))]
            touched[path] += 1
            number = int(Path(path).name.split("-")[0])
            message = f"Update the answer to question {number} (revision {touched[path] + 1})"
            if args.distinct:
                base = files[path].decode("utf-8").rstrip("\n")
                changes = [(path, blob(f"{base}\n\nRevision {touched[path] + 1} of this answer.\n".encode("utf-8")))]
            else:
                changes = [(path, versions[path][touched[path] % 2])]
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"author {name} <{email}> {when} +0000\n".encode())
        stream.write(f"committer {name} <{email}> {when} +0000\n".encode())
        stream.write(data(message.encode("utf-8")))
        for path, m in changes:
            stream.write(f"M 100644 :{m} {path}\n".encode("utf-8"))
        stream.write(b"\n")
    stream.write(b"done\n")
    stream.close()
    if fast_import.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "-f", "main"], check=True)
    print(out)


if __name__ == "__main__":
    main()
