#!/usr/bin/env python3
"""The pre-commit case: one file linted inside a large repository (its other files indexed).

usage: bench-subset.py REPO FILE BINARY [BINARY...] [--rounds N]

Runs `BINARY check --format short FILE` from REPO for each binary, interleaved (A B A B ...),
and prints each one's median and p90 wall time and its ratio to the first binary's median.
"""
import argparse
import statistics
import subprocess
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("file")
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--rounds", type=int, default=21)
    a = ap.parse_args()
    times = {b: [] for b in a.binaries}
    for b in a.binaries:  # warm the page cache once
        subprocess.run([b, "check", "--format", "short", a.file], cwd=a.repo, capture_output=True)
    for _ in range(a.rounds):
        for b in a.binaries:
            t = time.perf_counter()
            subprocess.run([b, "check", "--format", "short", a.file], cwd=a.repo, capture_output=True)
            times[b].append(time.perf_counter() - t)
    first = statistics.median(times[a.binaries[0]])
    for b in a.binaries:
        ts = sorted(times[b])
        med = statistics.median(ts)
        p90 = ts[int(len(ts) * 0.9) - 1]
        print(f"{b}: median {med * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, ratio {med / first:.2f}")


if __name__ == "__main__":
    main()
