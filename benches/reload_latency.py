#!/usr/bin/env python3
"""Save-to-reload latency of `workbook serve`.

Starts `workbook serve --port 0 PROJECT`, opens the server-sent event stream /__workbook/events with a
raw socket, waits for `: connected`, then N times rewrites one answer file (alternating its original
content and a version with one extra paragraph, so it really changes) and measures the time from just
before the write to the receipt of `data: reload`. Every other save is done the way many editors save
(gedit, and others that "save atomically"): write a temporary file in the same folder, then rename it
over the answer. The temporary file's name (`.goutputstream-XXXXXX`) is not one that serve ignores,
so that case may rebuild twice.

After each reload the script also fetches /workbook.json and checks that it has the content just
saved; "fresh" is the time to the first reload after which it does (a reload sent for a half-done
save shows the old content).

The answer file is restored to its original bytes at the end, whatever happens.

PROJECT may be a register (a folder holding register.yaml): then the answer edited is, by default,
the first answer of the first member (by folder name) under tools/, and the freshness check reads
that member's /<member>/workbook.json.

    python3 benches/reload_latency.py example-project
    python3 benches/reload_latency.py /tmp/workbook-large-project --bin target/release/workbook -n 30
    python3 benches/reload_latency.py /tmp/workbook-register-1000/register

Standard library only.
"""

import argparse
import http.client
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "Reload benchmark edit"


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


class EventStream(threading.Thread):
    """Reads the server-sent event stream and puts (perf_counter, event line) on a queue."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.events = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(
            b"GET /__workbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
        )
        self.sock.settimeout(None)

    def run(self):
        raw = b""
        headers_done = False
        chunked = False
        body = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            now = time.perf_counter()
            if not data:
                self.events.put((now, None))
                return
            raw += data
            if not headers_done:
                end = raw.find(b"\r\n\r\n")
                if end < 0:
                    continue
                head = raw[:end].decode("latin-1").lower()
                if not head.startswith("http/1.1 200") and not head.startswith("http/1.0 200"):
                    self.events.put((now, "error: " + head.splitlines()[0]))
                    return
                chunked = "transfer-encoding: chunked" in head
                raw = raw[end + 4 :]
                headers_done = True
            if chunked:
                # Take whole chunks out of raw into body.
                while True:
                    line_end = raw.find(b"\r\n")
                    if line_end < 0:
                        break
                    size = int(raw[:line_end].split(b";")[0] or b"0", 16)
                    if len(raw) < line_end + 2 + size + 2:
                        break
                    body += raw[line_end + 2 : line_end + 2 + size]
                    raw = raw[line_end + 2 + size + 2 :]
            else:
                body, raw = body + raw, b""
            while b"\n" in body:
                line, body = body.split(b"\n", 1)
                line = line.rstrip(b"\r").decode("utf-8", "replace")
                if line:
                    self.events.put((now, line))

    def wait_for(self, wanted, deadline):
        """The perf_counter time at which a line equal to `wanted` arrived, or None at the deadline."""
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            try:
                at, line = self.events.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                raise RuntimeError("the event stream closed")
            if line.startswith("error: "):
                raise RuntimeError(line)
            if line == wanted:
                return at


class Server:
    """`workbook serve` in the background, its stderr lines collected with their times."""

    def __init__(self, binary, project):
        self.proc = subprocess.Popen(
            [str(binary), "serve", "--port", "0", str(project)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines = []  # (perf_counter, line)
        self.lock = threading.Lock()
        self.port_found = threading.Event()
        self.port = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            line = line.rstrip("\n")
            with self.lock:
                self.lines.append((time.perf_counter(), line))
            m = re.search(r"Serving .* on http://127\.0\.0\.1:(\d+)/", line)
            if m and self.port is None:
                self.port = int(m.group(1))
                self.port_found.set()
        self.port_found.set()

    def wait_for_port(self, timeout):
        self.port_found.wait(timeout)
        if self.port is None:
            raise RuntimeError("serve did not print its address:\n" + "\n".join(l for _, l in self.lines))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # the port answers
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self.port
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"port {self.port} does not answer")

    def stderr_since(self, index):
        with self.lock:
            return [l for _, l in self.lines[index:]], len(self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def fetch_json(port, path="/workbook.json"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def save(path, content, atomic, counter):
    """Writes `content` to `path`, in place or through a temporary file and a rename."""
    if not atomic:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        return
    temporary = path.parent / f".goutputstream-{os.getpid()}{counter:04d}"
    with open(temporary, "w", encoding="utf-8", newline="") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", help="the project or register folder (relative to the current folder)")
    parser.add_argument("--bin", default=str(ROOT / "target" / "release" / "workbook"), help="the workbook binary")
    parser.add_argument("-n", "--saves", type=int, default=30, help="how many saves (default 30)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between saves (default 0.3)")
    parser.add_argument(
        "--file", help="the answer file to edit, relative to the project (default: the first; in a register, the first member's)"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a reload")
    args = parser.parse_args()

    project = Path(args.project).resolve()
    binary = Path(args.bin).resolve()
    if not binary.exists():
        sys.exit(f"no binary at {binary}: run `cargo build --release` first, or pass --bin")
    register = (project / "register.yaml").exists() and not (project / "workbook.yaml").exists()
    if args.file:
        answer = project / args.file
    elif register:
        answer = sorted((project / "tools").glob("*/answers/*.md"))[0]
    else:
        answer = sorted((project / "answers").glob("*.md"))[0]
    # A register serves each member's site under /<member>/; its answers are under <member>/answers/.
    json_path = "/workbook.json"
    if register:
        member = answer.relative_to(project).parent.parent
        json_path = f"/{member.name}/workbook.json"
    original = answer.read_text(encoding="utf-8")
    edited = original.rstrip("\n") + f"\n\n{MARKER}: this paragraph comes and goes.\n"
    versions = [edited, original]

    restored = False

    def restore(*_):
        nonlocal restored
        if not restored:
            answer.write_text(original, encoding="utf-8", newline="")
            for leftover in answer.parent.glob(f".goutputstream-{os.getpid()}*"):
                leftover.unlink()
            restored = True
        if _:
            sys.exit(130)

    signal.signal(signal.SIGTERM, restore)
    signal.signal(signal.SIGINT, restore)

    print(f"binary:  {os.path.relpath(binary)}", file=sys.stderr)
    print(f"project: {args.project} ({answer.relative_to(project)}, {len(original)} bytes)", file=sys.stderr)
    started = time.perf_counter()
    server = Server(binary, project)
    results = []  # (mode, reload ms, fresh ms or None, rebuild lines)
    try:
        port = server.wait_for_port(120)
        startup = (time.perf_counter() - started) * 1000
        first_lines, seen = server.stderr_since(0)
        stream = EventStream(port)
        stream.start()
        if stream.wait_for(": connected", time.perf_counter() + 10) is None:
            raise RuntimeError("no `: connected` on the event stream")
        time.sleep(args.pause)
        _, seen = server.stderr_since(0)
        for i in range(args.saves):
            content = versions[i % 2]
            atomic = i % 2 == 1
            # Drop anything left over from the last save (a trailing rebuild's reload).
            while not stream.events.empty():
                stream.events.get_nowait()
            t0 = time.perf_counter()
            save(answer, content, atomic, i)
            deadline = t0 + args.timeout
            at = stream.wait_for("data: reload", deadline)
            if at is None:
                raise RuntimeError(f"save {i + 1}: no reload within {args.timeout} s")
            reload_ms = (at - t0) * 1000
            fresh_ms = None
            while at is not None:
                has_marker = MARKER in fetch_json(port, json_path)
                if has_marker == (content is edited):
                    fresh_ms = (at - t0) * 1000
                    break
                at = stream.wait_for("data: reload", deadline)
            time.sleep(args.pause)
            lines, seen = server.stderr_since(seen)
            rebuilds = [l for l in lines if "changed:" in l]
            results.append(("rename" if atomic else "in-place", reload_ms, fresh_ms, rebuilds))
            print(
                f"save {i + 1:2d} {results[-1][0]:<8} reload {reload_ms:7.1f} ms"
                f"  fresh {'never' if fresh_ms is None else f'{fresh_ms:7.1f} ms'}"
                f"  | {' | '.join(rebuilds) if rebuilds else '(no rebuild line)'}",
                file=sys.stderr,
            )
    finally:
        restore()
        server.stop()

    def summary(name, values):
        if not values:
            return f"{name:<22} (none)"
        return (
            f"{name:<22} n={len(values):<3} median {statistics.median(values):7.1f}  p90 {percentile(values, 90):7.1f}"
            f"  min {min(values):7.1f}  max {max(values):7.1f}  (ms)"
        )

    print()
    print(f"startup (spawn to port open): {startup:.0f} ms; serve said: {' / '.join(l for l in first_lines if l.startswith('Built'))}")
    print(summary("reload, all saves", [r[1] for r in results]))
    print(summary("reload, in-place", [r[1] for r in results if r[0] == "in-place"]))
    print(summary("reload, write+rename", [r[1] for r in results if r[0] == "rename"]))
    fresh = [r[2] for r in results if r[2] is not None]
    print(summary("fresh content, all", fresh))
    stale = sum(1 for r in results if r[2] is None or r[2] > r[1])
    print(f"saves whose first reload showed stale content: {stale} of {len(results)}")
    rebuild_ms = [float(m.group(1)) for r in results for l in r[3] for m in [re.search(r"in (\d+(?:\.\d+)?) ms", l)] if m]
    per_save = [len(r[3]) for r in results]
    print(summary("server rebuild times", rebuild_ms))
    print(
        f"rebuilds per save: in-place {statistics.mean([n for n, r in zip(per_save, results) if r[0] == 'in-place'] or [0]):.2f}, "
        f"write+rename {statistics.mean([n for n, r in zip(per_save, results) if r[0] == 'rename'] or [0]):.2f}"
    )
    print("rebuild lines:", ", ".join(f"{m:g}" for m in rebuild_ms))


if __name__ == "__main__":
    main()
