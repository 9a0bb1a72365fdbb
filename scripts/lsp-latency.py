#!/usr/bin/env python3
"""Latency and memory of `spslint lsp`: a benchmark, not a test.

usage: scripts/lsp-latency.py [--bin PATH] [--repo DIR | --corpus N] [-n CHANGES]

Starts the server (default: target/release/spslint, or $CARGO_TARGET_DIR/release/spslint) on a
repository: DIR, or a synthetic one of N files written by /work/shared/bench/make-corpus.py (or
--generator PATH) into a temporary folder with an empty spslint.toml at its root. Opens one body
of the repository that makes references (an RDP channel policy when there is one), then sends
CHANGES didChange notifications one at a time and measures, for each, the time from writing the
notification to reading the publishDiagnostics of that version. Two series:

  value   an edit the repository rules do not see (a number in the body): one file is linted;
  name    an edit of the object's name: one file is linted and the repository rules run again
          over the index in memory (no other file is read or parsed).

Then the server idles for two seconds and its resident memory (VmRSS; VmHWM is the peak, taken
while indexing) is read from /proc. Prints median, p90 and max per series.
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import queue
import time


def default_bin():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.dirname(__file__), "..", "target"))
    return os.path.join(target, "release", "spslint")


class Server:
    def __init__(self, binary, cwd):
        self.p = subprocess.Popen([binary, "lsp"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.q = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.id = 0

    def _read(self):
        out = self.p.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = out.read(length)
            self.q.put((time.perf_counter(), json.loads(body)))

    def send(self, msg):
        data = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.p.stdin.flush()
        return time.perf_counter()

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            _, m = self.q.get(timeout=600)
            if m.get("id") == self.id and "method" not in m:
                return m

    def wait_diagnostics(self, uri, version):
        while True:
            t, m = self.q.get(timeout=600)
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri \
                    and m["params"].get("version") == version:
                return t, m["params"]["diagnostics"]


def pick_document(repo):
    cfg = os.path.join(repo, "api", "configuration")
    for pattern in ["rdp/channel_policies/*.json", "ssh/channel_policies/*.json", "management/snmp/trap.json", "**/*.json"]:
        found = sorted(glob.glob(os.path.join(cfg, pattern), recursive=True))
        for path in found:
            try:
                body = json.load(open(path))
            except ValueError:
                continue
            if isinstance(body, dict) and "name" in body:
                return path, body
    sys.exit("no body with a name in the repository")


def memory(pid):
    out = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def summary(name, samples):
    ms = sorted(s * 1000 for s in samples)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    print(f"{name:6} N={len(ms)}  median {statistics.median(ms):.2f} ms  p90 {p90:.2f} ms  max {ms[-1]:.2f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=default_bin())
    ap.add_argument("--repo")
    ap.add_argument("--corpus", type=int, default=10000)
    ap.add_argument("--generator", default="/work/shared/bench/make-corpus.py")
    ap.add_argument("-n", type=int, default=200)
    a = ap.parse_args()
    tmp = None
    if a.repo:
        repo = os.path.abspath(a.repo)
    else:
        tmp = tempfile.mkdtemp(prefix="spslint-lsp-bench-")
        repo = tmp
        subprocess.run([sys.executable, a.generator, str(a.corpus), repo], check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(repo, "spslint.toml"), "w").close()
    files = len(glob.glob(os.path.join(repo, "**", "*.json"), recursive=True))
    try:
        s = Server(a.bin, repo)
        uri_of = lambda p: "file://" + os.path.realpath(p)
        start = time.perf_counter()
        s.request("initialize", {"processId": os.getpid(), "rootUri": uri_of(repo), "capabilities": {}})
        s.notify("initialized", {})
        path, body = pick_document(repo)
        uri = uri_of(path)
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 0,
                                                           "text": json.dumps(body, indent=2)}})
        _, first = s.wait_diagnostics(uri, 0)
        ready = time.perf_counter() - start
        print(f"repository: {files} files; document: {os.path.relpath(path, repo)} "
              f"({len(json.dumps(body, indent=2))} bytes, {len(first)} findings)")
        print(f"initialize to first diagnostics (indexing included): {ready * 1000:.0f} ms")
        version = 0
        series = {"value": [], "name": []}
        findings = {}
        # One series after the other: a value edit right after a name edit would change the name
        # back, and run the repository rules.
        for kind in ("value", "name"):
            for i in range(a.n):
                version += 1
                edited = dict(body)
                if kind == "value":
                    edited["spslint_bench"] = i  # an unknown key: one finding, no repository facts
                else:
                    edited["name"] = f"{body['name']}-{i}"
                text = json.dumps(edited, indent=2)
                sent = s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                           "contentChanges": [{"text": text}]})
                got, diagnostics = s.wait_diagnostics(uri, version)
                series[kind].append(got - sent)
                findings[kind] = len(diagnostics)
        for kind, samples in series.items():
            summary(kind, samples)
            print(f"       ({findings[kind]} findings published per {kind} edit)")
        time.sleep(2)
        mem = memory(s.p.pid)
        print(f"idle RSS {mem['VmRSS']:.1f} MiB (peak {mem['VmHWM']:.1f} MiB)")
        s.request("shutdown", None)
        s.notify("exit", None)
        s.p.wait(timeout=30)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
