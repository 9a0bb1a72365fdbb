#!/usr/bin/env python3
"""Whole-process benchmark of spslint against the parse floor and other JSON Schema validators.

Times complete processes (start to exit) on synthetic corpora made by
shared/bench/make-corpus.py, with the tools' runs interleaved (A B C D A B C D ...) so that the
noise of a shared machine hits every tool alike, and prints a Markdown report: median wall time,
ratio to the parse floor (the median of the per-round ratios), time per file, CPU time and peak
RSS (ru_maxrss of the child from wait4) for every tool and corpus size, then the single-file case
(one file, process start to exit, many repetitions) and the budget of docs/performance.md.

Tools:
  spslint           target/release/spslint check DIR --format json (exit 1 = findings, normal)
  floor             shared/bench/parse-floor: find, read and parse every .json file, on all cores
  check-jsonschema  PyPI; one process per endpoint (each takes one --schemafile), times summed
  ajv               ajv-cli --spec=draft2020 --strict=false --all-errors (+ ajv-formats when a
                    schema uses "format"); one process per endpoint, times summed
The per-endpoint tools use the project's schemas (schemas/configuration/<endpoint>.json).
scripts/bench-setup.sh installs them under /tmp/spslint-bench; a tool that is not there is
reported as "not installed" and skipped.

  python3 scripts/bench.py                       # everything, ~10 minutes on 2 cores
  python3 scripts/bench.py --sizes 1000 --rounds 3 --tools floor,ajv --single-rounds 0
  python3 scripts/bench.py --output /tmp/bench.md    # also write the report there

Standard library only (Python 3.11).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
ALL_TOOLS = ["spslint", "floor", "check-jsonschema", "ajv"]
SLOW_TOOLS = {"check-jsonschema", "ajv"}
TIMEOUT_S = 900  # per process; a hung tool must not eat the whole run


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# running one process


@dataclass
class Proc:
    argv: list[str]
    cwd: Path
    ok_codes: tuple[int, ...] = (0,)


@dataclass
class Sample:
    wall: float  # seconds, summed over the processes of one run
    cpu: float  # user + sys seconds, summed
    rss_kib: int  # max ru_maxrss over the processes
    nproc: int


class RunFailed(Exception):
    pass


def spawn_direct(proc: Proc, out_path: str, err_path: str, append=False) -> tuple[float, float, int, int]:
    """posix_spawn + wait4 from this process: wall seconds, cpu seconds, maxrss KiB, exit code.
    The fallback when bench-spawn cannot be built: the child's ru_maxrss then includes this
    Python process's own memory (exec keeps the high-water mark of the address space it replaces)."""
    mode = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out_path, mode, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, err_path, mode, 0o644),
    ]
    old = os.getcwd()
    os.chdir(proc.cwd)  # posix_spawn has no chdir action before Python 3.13
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(proc.argv[0], proc.argv, os.environ, file_actions=actions)
    finally:
        os.chdir(old)
    timer = threading.Timer(TIMEOUT_S, lambda: _kill(pid))
    timer.start()
    try:
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter()
    finally:
        timer.cancel()
    return t1 - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def build_helper(cache: Path) -> str | None:
    """compiles scripts/bench-spawn.c into the cache (once per version of the source)"""
    src = REPO / "scripts" / "bench-spawn.c"
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not src.is_file() or not cc:
        return None
    exe, stamp = cache / "bench-spawn", cache / "bench-spawn.sha256"
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    if exe.is_file() and stamp.is_file() and stamp.read_text().strip() == digest:
        return str(exe)
    cache.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([cc, "-O2", "-o", str(exe), str(src)], capture_output=True, text=True)
    if r.returncode != 0:
        log(f"warning: cannot build bench-spawn: {r.stderr.strip()[:300]}")
        return None
    stamp.write_text(digest + "\n")
    return str(exe)


class Launcher:
    """starts the measured processes: through the bench-spawn server when it could be built
    (exact ru_maxrss, wall time taken in C), else directly from Python"""

    def __init__(self, scratch: Path, helper: str | None):
        self.out, self.err = scratch / "stdout", scratch / "stderr"
        self.server = None
        if helper:
            self.server = subprocess.Popen([helper, str(self.out), str(self.err)], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True, bufsize=1)

    def run(self, proc: Proc, append: bool) -> tuple[float, float, int, int]:
        if not self.server:
            return spawn_direct(proc, str(self.out), str(self.err), append)
        fields = ["a" if append else "t", str(TIMEOUT_S), str(proc.cwd), proc.argv[0], *proc.argv]
        if any("\t" in f or "\n" in f for f in fields):
            raise RunFailed(f"a tab or newline in the command line of {proc.argv[0]}")
        self.server.stdin.write("\t".join(fields) + "\n")
        self.server.stdin.flush()
        resp = self.server.stdout.readline()
        if not resp:
            raise RunFailed("bench-spawn exited")
        if resp.startswith("error"):
            raise RunFailed(resp.strip())
        code, ns, user_us, sys_us, rss = (int(x) for x in resp.split())
        return ns / 1e9, (user_us + sys_us) / 1e6, rss, code

    def close(self):
        if self.server:
            self.server.stdin.close()
            self.server.wait()


def run_procs(procs: list[Proc], launcher: Launcher, keep_all=False) -> Sample:
    """runs the processes one after the other; keep_all: the output files collect every
    process's output (else they hold the last one's)"""
    wall = cpu = 0.0
    rss = 0
    out, err = launcher.out, launcher.err
    if keep_all:
        out.write_bytes(b"")
        err.write_bytes(b"")
    for p in procs:
        w, c, r, code = launcher.run(p, append=keep_all)
        wall += w
        cpu += c
        rss = max(rss, r)
        if code not in p.ok_codes:
            tail = err.read_text(errors="replace")[-1500:] or out.read_text(errors="replace")[-1500:]
            raise RunFailed(f"exit code {code} from {' '.join(p.argv[:6])}{' ...' if len(p.argv) > 6 else ''}"
                            f" (in {p.cwd})\n{tail}")
    return Sample(wall, cpu, rss, len(procs))


# --------------------------------------------------------------------------------------------
# corpora


def ensure_corpus(n: int, cache: Path, make_corpus: Path, seed: int) -> Path:
    d = cache / str(n)
    stamp = cache / f"{n}.stamp"
    want = f"n={n} seed={seed} make-corpus={hashlib.sha256(make_corpus.read_bytes()).hexdigest()}"
    if d.is_dir() and stamp.is_file() and stamp.read_text().strip() == want:
        return d
    log(f"making corpus of {n} files in {d} ...")
    if d.exists():
        shutil.rmtree(d)
    stamp.unlink(missing_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(make_corpus), str(n), str(d), "--seed", str(seed)], check=True,
                   stdout=subprocess.DEVNULL)
    stamp.write_text(want + "\n")
    log(f"  done in {time.perf_counter() - t0:.1f} s")
    return d


def json_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        out.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith(".json"))
    return out


@dataclass
class Group:
    """the files of one endpoint, as the per-endpoint tools get them"""
    schema: Path
    folder: Path  # the processes run here, with file names relative to it
    names: list[str] = field(default_factory=list)
    whole_folder: bool = True  # every .json file of folder belongs here (a glob can name them)


def group_by_endpoint(corpus: Path, schemas: Path) -> tuple[list[Group], list[Path]]:
    """schemas/<path below api/>.json is a singleton's schema when it matches the file itself,
    a collection's when it matches the file's folder."""
    groups: dict[Path, Group] = {}
    unmatched = []
    api = corpus / "api"
    for f in json_files(corpus):
        rel = f.relative_to(api) if f.is_relative_to(api) else None
        schema = None
        if rel is not None:
            if (schemas / rel).is_file():
                schema = schemas / rel
            elif (schemas / rel.parent).with_suffix(".json").is_file():
                schema = (schemas / rel.parent).with_suffix(".json")
        if schema is None:
            unmatched.append(f)
            continue
        g = groups.setdefault(schema, Group(schema, f.parent))
        g.names.append(f.name)
    for g in groups.values():
        in_folder = sum(1 for x in g.folder.iterdir() if x.name.endswith(".json") and x.is_file())
        g.whole_folder = in_folder == len(g.names)
    return sorted(groups.values(), key=lambda g: str(g.schema)), unmatched


def uses_format(schema_path: Path) -> bool:
    def walk(x):
        if isinstance(x, dict):
            return isinstance(x.get("format"), str) or any(walk(v) for v in x.values())
        if isinstance(x, list):
            return any(walk(v) for v in x)
        return False
    try:
        return walk(json.loads(schema_path.read_text()))
    except (OSError, ValueError):
        return False


def chunks(names: list[str], fixed_bytes: int) -> list[list[str]]:
    """split a file list so that no command line comes near ARG_MAX"""
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError):
        arg_max = 131072
    env_bytes = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    budget = max(32768, min(arg_max // 2, 1 << 20) - env_bytes - fixed_bytes)
    out, cur, size = [], [], 0
    for n in names:
        b = len(n) + 1 + 8  # + the argv pointer
        if cur and size + b > budget:
            out.append(cur)
            cur, size = [], 0
        cur.append(n)
        size += b
    if cur:
        out.append(cur)
    return out


# --------------------------------------------------------------------------------------------
# tools


class Tool:
    name = ""
    label = ""
    per_endpoint = False
    fatal_check = False  # True: a failed output check means the tool does not work (yet)

    def __init__(self, a):
        self.a = a
        self.missing: str | None = None  # why it cannot run, or None
        self.version = ""

    def procs_dir(self, corpus: Path, groups: list[Group]) -> list[Proc]:
        raise NotImplementedError

    def procs_file(self, corpus: Path, rel: Path, group: Group | None) -> list[Proc]:
        raise NotImplementedError

    def check_output(self, out: str, err: str, n: int) -> str | None:
        """after the warm-up run: a warning when the output shows the tool did not do the work"""
        return None


def first_executable(*cands) -> str | None:
    for c in cands:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return str(Path(c).resolve()) if Path(c).is_absolute() else str(Path(c).absolute())
    return None


def tool_version(argv) -> str:
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (r.stdout.strip() or r.stderr.strip()).splitlines()[0][:80]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


class Spslint(Tool):
    name = "spslint"
    label = "spslint"

    def __init__(self, a):
        super().__init__(a)
        self.bin = first_executable(a.spslint)
        if not self.bin:
            self.missing = f"not installed ({a.spslint} not built: cargo build --release)"
            return
        r = subprocess.run([self.bin, "--version"], capture_output=True, text=True)
        if r.returncode != 0:
            self.missing = f"not working ({self.bin} --version exits {r.returncode})"
            return
        built = datetime.datetime.fromtimestamp(os.stat(self.bin).st_mtime).strftime("%Y-%m-%d %H:%M")
        self.version = f"{r.stdout.strip().removeprefix('spslint ')} (binary built {built})"

    def procs_dir(self, corpus, groups):
        return [Proc([self.bin, "check", str(corpus), "--format", "json"], corpus, (0, 1))]

    def procs_file(self, corpus, rel, group):
        return [Proc([self.bin, "check", str(rel), "--format", "json"], corpus, (0, 1))]

    def check_output(self, out, err, n):
        try:
            files = json.loads(out)["summary"]["files"]
        except (ValueError, KeyError, TypeError):
            raise RunFailed("its output is not the JSON report (version, summary, diagnostics)") from None
        if files != n:
            return f"checked {files} files of {n}"
        return None


class Floor(Tool):
    name = "floor"
    label = "parse floor"
    fatal_check = True

    def __init__(self, a):
        super().__init__(a)
        self.bin = first_executable(a.parse_floor,
                                    a.cache / "parse-floor/target/release/parse-floor",
                                    a.shared / "bench/parse-floor/target/release/parse-floor")
        if not self.bin:
            self.missing = "not installed (scripts/bench-setup.sh builds it)"
        self.version = "serde_json, rayon"

    def procs_dir(self, corpus, groups):
        return [Proc([self.bin, str(corpus)], corpus)]

    def procs_file(self, corpus, rel, group):
        return [Proc([self.bin, str(rel)], corpus)]

    def check_output(self, out, err, n):
        m = re.search(r"(\d+)/(\d+) files parsed", out)
        if not m or int(m.group(2)) != n:
            return f"expected {n} files, output: {out.strip()[:100]!r}"
        return None


class CheckJsonschema(Tool):
    name = "check-jsonschema"
    label = "check-jsonschema"
    per_endpoint = True

    def __init__(self, a):
        super().__init__(a)
        self.bin = first_executable(a.check_jsonschema, a.cache / "venv/bin/check-jsonschema",
                                    shutil.which("check-jsonschema"))
        if not self.bin:
            self.missing = "not installed (scripts/bench-setup.sh installs it)"
            return
        self.version = tool_version([self.bin, "--version"]).replace("check-jsonschema, version ", "")

    def _procs(self, folder: Path, schema: Path, names: list[str]) -> list[Proc]:
        head = [self.bin, "--schemafile", str(schema)]
        return [Proc(head + c, folder, (0, 1)) for c in chunks(names, sum(len(x) + 9 for x in head))]

    def procs_dir(self, corpus, groups):
        return [p for g in groups for p in self._procs(g.folder, g.schema, g.names)]

    def procs_file(self, corpus, rel, group):
        return self._procs(corpus, group.schema, [str(rel)])


class Ajv(Tool):
    name = "ajv"
    label = "ajv-cli"
    per_endpoint = True

    def __init__(self, a):
        super().__init__(a)
        self.bin = first_executable(a.ajv, a.cache / "node/node_modules/.bin/ajv", shutil.which("ajv"))
        if not self.bin:
            self.missing = "not installed (scripts/bench-setup.sh installs it)"
            return
        if not shutil.which("node"):
            self.missing = "not installed (no node on PATH)"
            return
        # ajv's bin is a "#!/usr/bin/env node" script; posix_spawn runs it through the kernel
        modules = Path(self.bin).resolve().parent
        while modules.name != "node_modules" and modules != modules.parent:
            modules = modules.parent
        fmt = modules / "ajv-formats/dist/index.js"
        self.formats = str(fmt) if fmt.is_file() else None
        versions = []
        for pkg in ("ajv-cli", "ajv"):
            try:
                versions.append(f"{pkg} {json.loads((modules / pkg / 'package.json').read_text())['version']}")
            except (OSError, ValueError, KeyError):
                pass
        self.version = (versions[0].replace("ajv-cli ", "") if versions else "?") + \
            (f" ({', '.join(versions[1:] + (['ajv-formats'] if self.formats else []))})" if versions else "")
        self._fmt_cache: dict[Path, bool] = {}

    def _head(self, schema: Path) -> list[str]:
        head = [self.bin, "validate", "--spec=draft2020", "--strict=false", "--all-errors", "-s", str(schema)]
        if schema not in self._fmt_cache:
            self._fmt_cache[schema] = uses_format(schema)
        if self._fmt_cache[schema]:
            if not self.formats:
                log(f"warning: {schema} uses format but ajv-formats is not installed")
            else:
                head += ["-c", self.formats]
        return head

    def procs_dir(self, corpus, groups):
        procs = []
        for g in groups:
            head = self._head(g.schema)
            if g.whole_folder and len(g.names) > 1:
                # ajv expands the glob itself: no command-line limit, and as a user would call it
                procs.append(Proc(head + ["-d", "*.json"], g.folder, (0, 1)))
            else:
                for c in chunks(g.names, sum(len(x) + 9 for x in head) + 3 * len(g.names)):
                    procs.append(Proc(head + [x for n in c for x in ("-d", n)], g.folder, (0, 1)))
        return procs

    def procs_file(self, corpus, rel, group):
        return [Proc(self._head(group.schema) + ["-d", str(rel)], corpus, (0, 1))]

    def check_output(self, out, err, n):
        seen = len(re.findall(r" valid$", out, re.M)) + len(re.findall(r" invalid$", err, re.M))
        if seen != n:
            return f"ajv reported on {seen} files, expected {n}"
        return None


TOOL_CLASSES = {"spslint": Spslint, "floor": Floor, "check-jsonschema": CheckJsonschema, "ajv": Ajv}


# --------------------------------------------------------------------------------------------
# measuring


@dataclass
class Result:
    tool: str
    files: int  # corpus size, or 1 for the single-file case
    samples: list[Sample] = field(default_factory=list)
    status: str = ""  # empty when measured; else why not
    warning: str = ""


def interleaved(tools: list[Tool], jobs: dict[str, list[Proc]], files: int, rounds: int, launcher: Launcher,
                what: str, checked_n: int) -> dict[str, Result]:
    """one warm-up run per tool (not counted: warms the page cache, checks the command works),
    then `rounds` rounds of A B C D"""
    results = {t.name: Result(t.name, files) for t in tools}
    live = [t for t in tools if t.name in jobs]
    for t in live:
        try:
            run_procs(jobs[t.name], launcher, keep_all=True)
            w = t.check_output(launcher.out.read_text(errors="replace"),
                               launcher.err.read_text(errors="replace"), checked_n)
            if w and t.fatal_check:
                raise RunFailed(f"its output is not what was expected: {w}")
            if w:
                results[t.name].warning = w
                log(f"  warning: {t.name}: {w}")
        except RunFailed as e:
            results[t.name].status = "failed (see notes)"
            results[t.name].warning = str(e)
            log(f"  {t.name} failed: {e}")
    live = [t for t in live if not results[t.name].status]
    t_start = time.perf_counter()
    for r in range(rounds):
        for t in live:
            if results[t.name].status:
                continue
            try:
                results[t.name].samples.append(run_procs(jobs[t.name], launcher))
            except RunFailed as e:
                results[t.name].status = "failed (see notes)"
                results[t.name].warning = str(e)
                log(f"  {t.name} failed: {e}")
        if r == 0 or (r + 1) % max(1, rounds // 5) == 0 or r + 1 == rounds:
            done = " ".join(f"{t.name}={statistics.median(s.wall for s in results[t.name].samples):.3f}s"
                            for t in live if results[t.name].samples)
            log(f"  {what}: round {r + 1}/{rounds} ({time.perf_counter() - t_start:.0f} s): {done}")
    return results


def paired_ratio(res: Result, floor: Result | None) -> float | None:
    """median of the per-round ratios tool/floor: both ran in the same round, so they saw the
    same machine weather"""
    if not floor or not floor.samples or not res.samples or res.status or floor.status:
        return None
    k = min(len(res.samples), len(floor.samples))
    return statistics.median(res.samples[i].wall / floor.samples[i].wall for i in range(k))


# --------------------------------------------------------------------------------------------
# report


def fmt_time(s: float) -> str:
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.01:
        return f"{s * 1000:.0f} ms"
    return f"{s * 1000:.2f} ms"


def fmt_us(s: float) -> str:
    us = s * 1e6
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    return f"{us:.0f} µs" if us >= 10 else f"{us:.1f} µs"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    git = "?"
    try:
        r = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        git = r.stdout.strip() if r.returncode == 0 else "no commit yet"
        d = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
        if d.stdout.strip():
            git += " (with uncommitted changes)"
    except OSError:
        pass
    return {"cpus": str(os.cpu_count()), "cpu": cpu, "mem": mem, "os": f"{platform.system()} {platform.release()}",
            "git": git, "python": platform.python_version()}


def report(a, tools: list[Tool], big: list[Result], single: list[Result], single_file: str | None,
           notes: list[str], elapsed: float, groups_info: dict[int, int]) -> str:
    m = machine()
    L = []
    L.append(f"### Results {datetime.date.today().isoformat()}")
    L.append("")
    L.append(f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['mem']} memory, {m['os']}. spslint at {m['git']}. "
             f"Run took {elapsed / 60:.1f} min; load average {a.load_before:.2f} before, "
             f"{os.getloadavg()[0]:.2f} after (above ~0.5 something else was running: compare ratios, "
             "not absolute times).")
    L.append("")
    L.append("Tools: " + "; ".join(f"{t.label} {t.version}".strip() if not t.missing else f"{t.label}: {t.missing}"
                                     for t in tools if t.name != "true") + ".")
    L.append("")
    by = {(r.tool, r.files): r for r in big}
    label = {t.name: t.label for t in tools}
    if big:
        L.append("| files | tool | median wall | vs floor | per file | CPU (user+sys) | peak RSS | runs |")
        L.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in big:
            name = label[r.tool]
            if r.status:
                L.append(f"| {r.files:,} | {name} | {r.status} | | | | | |")
                continue
            med = statistics.median(s.wall for s in r.samples)
            cpu = statistics.median(s.cpu for s in r.samples)
            rss = max(s.rss_kib for s in r.samples)
            ratio = paired_ratio(r, by.get(("floor", r.files)))
            nprocs = r.samples[0].nproc
            runs = f"{len(r.samples)}" + (f" × {nprocs} proc" if nprocs > 1 else "")
            L.append(f"| {r.files:,} | {name} | {fmt_time(med)} | {f'{ratio:.2f}×' if ratio else '–'} | "
                     f"{fmt_us(med / r.files)} | {fmt_time(cpu)} | {mib(rss)} | {runs} |")
        L.append("")
        L.append("Median wall time of the whole process(es), start to exit; *vs floor* is the median of the "
                 "per-round ratios to the parse floor (runs interleaved, so each pair saw the same machine "
                 "load); CPU is user+sys of the process and its children; peak RSS is the largest "
                 "ru_maxrss seen." + (" Per-endpoint tools run one process per endpoint "
                 f"({', '.join(f'{v} at {k:,} files' for k, v in sorted(groups_info.items()))}) and their "
                 "times are summed; their RSS is the largest single process." if groups_info else ""))
        L.append("")
    if single:
        L.append(f"Single file (`{single_file}`), process start to exit:")
        L.append("")
        L.append("| tool | median | min | p90 | vs floor | peak RSS | runs |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        sfloor = next((r for r in single if r.tool == "floor"), None)
        for r in single:
            name = label.get(r.tool, r.tool)
            if r.status:
                L.append(f"| {name} | {r.status} | | | | | |")
                continue
            walls = sorted(s.wall for s in r.samples)
            p90 = walls[min(len(walls) - 1, int(round(0.9 * (len(walls) - 1))))]
            ratio = paired_ratio(r, sfloor)
            L.append(f"| {name} | {fmt_time(statistics.median(walls))} | {fmt_time(walls[0])} | {fmt_time(p90)} | "
                     f"{f'{ratio:.2f}×' if ratio else '–'} | {mib(max(s.rss_kib for s in r.samples))} | "
                     f"{len(walls)} |")
        L.append("")
        L.append("`/bin/true` is the cost of starting and reaping any process from this script.")
        L.append("")
    L += budget(big, single, a)
    if notes:
        L.append("Notes:")
        L.append("")
        for n in notes:
            L.append(f"- {n}")
        L.append("")
    return "\n".join(L)


def budget(big: list[Result], single: list[Result], a) -> list[str]:
    by = {(r.tool, r.files): r for r in big if not r.status and r.samples}
    sp = {k[1]: v for k, v in by.items() if k[0] == "spslint"}
    one = next((r for r in single if r.tool == "spslint" and not r.status and r.samples), None)
    if not sp and not one:
        return []
    L = ["Budget (docs/performance.md):", "", "| budget | measured | verdict |", "| --- | --- | --- |"]
    if 10000 in sp:
        ratio = paired_ratio(sp[10000], by.get(("floor", 10000)))
        if ratio is not None:
            L.append(f"| 10,000 files: ≤ 2× the parse floor | {ratio:.2f}× | {'ok' if ratio <= 2 else 'OVER'} |")
        rss = max(s.rss_kib for s in sp[10000].samples)
        L.append(f"| 10,000 files: peak RSS ≤ 64 MiB | {mib(rss)} | {'ok' if rss <= 64 * 1024 else 'OVER'} |")
    if one:
        med = statistics.median(s.wall for s in one.samples)
        L.append(f"| one file: ≤ 5 ms start to exit | {fmt_time(med)} | {'ok' if med <= 0.005 else 'OVER'} |")
    if 10000 in sp and 100000 in sp:
        r10 = max(s.rss_kib for s in sp[10000].samples)
        r100 = max(s.rss_kib for s in sp[100000].samples)
        per = (r100 - r10) * 1024 / 90000
        growth = r100 / r10
        floor = (by.get(("floor", 10000)), by.get(("floor", 100000)))
        list_note = ""
        if all(f and f.samples for f in floor):
            f10 = max(s.rss_kib for s in floor[0].samples)
            f100 = max(s.rss_kib for s in floor[1].samples)
            list_note = f"; the parse floor, which holds the file list: +{(f100 - f10) * 1024 / 90000:.0f} B per file"
        # Ten times the files: at most ten times the memory (linear, as the list itself grows).
        L.append(f"| 100,000 files: memory grows no faster than the file list | "
                 f"{mib(r10)} → {mib(r100)} ({growth:.1f}× for 10× the files), +{per:.0f} B per file{list_note} | "
                 f"{'ok' if growth <= 10 else 'OVER'} (ok = at most linear) |")
    sizes = sorted(sp)
    if len(sizes) >= 2:
        wall = {n: statistics.median(s.wall for s in sp[n].samples) for n in sizes}
        pf = {n: wall[n] / n for n in sizes}
        span = ", ".join(f"{fmt_us(pf[n])} at {n:,}" for n in sizes)
        # The marginal cost of one more file, between consecutive sizes: what stays flat when
        # nothing grows worse than linearly. The raw per-file time at the smallest size also
        # carries the fixed cost of a run (process start, validators compiled once).
        slopes = [(wall[b] - wall[a]) / (b - a) for a, b in zip(sizes, sizes[1:])]
        marginal = ", ".join(f"{fmt_us(m)} ({a:,}→{b:,})" for m, (a, b) in zip(slopes, zip(sizes, sizes[1:])))
        worst = max(slopes) / min(slopes) if min(slopes) > 0 else float("inf")
        L.append(f"| time per file flat from 1,000 to 100,000 | per file: {span}; marginal: {marginal} "
                 f"(max/min {worst:.2f}) | {'ok' if worst <= 1.5 else 'check'} (ok = marginal within 1.5×) |")
    L.append("")
    return L


# --------------------------------------------------------------------------------------------


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Defaults fit a 2-core machine in about 10 minutes.")
    ap.add_argument("--sizes", default="1000,10000,100000",
                    help="corpus sizes, comma-separated (default %(default)s); 0 or empty: none")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per size below --large (default %(default)s)")
    ap.add_argument("--large", type=int, default=100000,
                    help="sizes from this many files are 'large' (default %(default)s)")
    ap.add_argument("--large-rounds", type=int, default=3, help="rounds for large sizes (default %(default)s)")
    ap.add_argument("--single-rounds", type=int, default=60,
                    help="repetitions of the single-file case (default %(default)s; 0 skips it)")
    ap.add_argument("--single-file", help="file for the single-file case (default: the first "
                                          "policies/trusted_ca_lists file of the smallest corpus, "
                                          "the largest kind of body, with a certificate to check)")
    ap.add_argument("--tools", default=",".join(ALL_TOOLS),
                    help=f"comma-separated subset of {','.join(ALL_TOOLS)} (default: all)")
    ap.add_argument("--slow-max", type=int, default=10000,
                    help="check-jsonschema and ajv skip corpora larger than this (default %(default)s; "
                         "0: no limit)")
    ap.add_argument("--output", "-o", help="also write the Markdown report to this file")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("BENCH_ROOT", "/tmp/spslint-bench")),
                    help="corpora (CACHE/N) and tools of bench-setup.sh (default %(default)s)")
    ap.add_argument("--seed", type=int, default=7, help="make-corpus.py seed (default %(default)s)")
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("SPSLINT_SHARED", DEFAULT_SHARED)),
                    help="the shared folder with bench/make-corpus.py (default %(default)s)")
    ap.add_argument("--schemas", type=Path, default=REPO / "schemas",
                    help="schema root, holding configuration/<endpoint>.json (default %(default)s)")
    ap.add_argument("--spslint", default=str(REPO / "target/release/spslint"), help="spslint binary")
    ap.add_argument("--parse-floor", help="parse-floor binary (default: from --cache, then from --shared)")
    ap.add_argument("--check-jsonschema", help="check-jsonschema executable (default: --cache venv, then PATH)")
    ap.add_argument("--ajv", help="ajv executable (default: --cache node_modules, then PATH)")
    a = ap.parse_args(argv)
    a.sizes = [int(x.replace("_", "")) for x in a.sizes.split(",") if x.strip() and int(x.replace("_", "")) > 0]
    a.tools = [x.strip() for x in a.tools.split(",") if x.strip()]
    bad = [t for t in a.tools if t not in ALL_TOOLS]
    if bad:
        ap.error(f"unknown tool(s) {', '.join(bad)}; choose from {', '.join(ALL_TOOLS)}")
    a.cache = a.cache.resolve()
    return a


def main(argv=None) -> int:
    a = parse_args(argv)
    a.load_before = os.getloadavg()[0]
    t_all = time.perf_counter()
    make_corpus = a.shared / "bench" / "make-corpus.py"
    if not make_corpus.is_file():
        log(f"error: no {make_corpus}; pass --shared")
        return 2
    tools = [TOOL_CLASSES[n](a) for n in a.tools]
    notes: list[str] = []
    schemas_ok = (a.schemas / "configuration").is_dir()
    for t in tools:
        if t.per_endpoint and not t.missing and not schemas_ok:
            t.missing = f"skipped (no schemas under {a.schemas}/configuration)"
        if t.missing:
            log(f"{t.name}: {t.missing}")
    ready = [t for t in tools if not t.missing]

    scratch = Path(tempfile.mkdtemp(prefix="spslint-bench-"))
    helper = build_helper(a.cache)
    if helper:
        notes.append("Processes are started by scripts/bench-spawn.c (posix_spawn, wait4), which also takes "
                     "the wall time; peak RSS is the child's ru_maxrss.")
    else:
        notes.append("**bench-spawn could not be built (no C compiler?): processes were started from Python, "
                     "so every peak RSS includes bench.py's own memory at that moment: upper bounds only.**")
    launcher = Launcher(scratch, helper)
    big: list[Result] = []
    groups_info: dict[int, int] = {}
    single: list[Result] = []
    single_rel = None
    try:
        corpora = {n: ensure_corpus(n, a.cache, make_corpus, a.seed) for n in sorted(set(a.sizes))}
        for n, corpus in corpora.items():
            groups, unmatched = group_by_endpoint(corpus, a.schemas) if schemas_ok else ([], [])
            if any(t.per_endpoint and not (a.slow_max and n > a.slow_max) for t in ready):
                groups_info[n] = len(groups)
                if unmatched:
                    notes.append(f"{len(unmatched)} of {n:,} files have no schema under {a.schemas}: "
                                 "check-jsonschema and ajv do not see them "
                                 f"(e.g. {unmatched[0].relative_to(corpus)})")
            rounds = a.large_rounds if n >= a.large else a.rounds
            jobs = {}
            skipped = {}
            for t in ready:
                if t.name in SLOW_TOOLS and a.slow_max and n > a.slow_max:
                    skipped[t.name] = f"skipped above {a.slow_max:,} files (--slow-max)"
                    continue
                if t.per_endpoint and not groups:
                    skipped[t.name] = "skipped (no file has a schema)"
                    continue
                jobs[t.name] = t.procs_dir(corpus, groups) if t.per_endpoint else t.procs_dir(corpus, [])
            log(f"{n:,} files: {rounds} rounds of {', '.join(jobs) or 'nothing'}")
            res = interleaved(ready, jobs, n, rounds, launcher, f"{n:,} files", n - len(unmatched))
            for t in tools:
                if t.missing:
                    big.append(Result(t.name, n, status=t.missing))
                elif t.name in skipped:
                    big.append(Result(t.name, n, status=skipped[t.name]))
                else:
                    big.append(res[t.name])
        if a.single_rounds > 0:
            if a.single_file:
                sf = Path(a.single_file).resolve()
                root = next((p for p in sf.parents if p.name == "api"), sf.parent).parent
            else:
                n0 = min(corpora) if corpora else 1000
                root = corpora.get(n0) or ensure_corpus(n0, a.cache, make_corpus, a.seed)
                cands = json_files(root / "api/configuration/policies/trusted_ca_lists") or json_files(root)
                sf = cands[0]
            single_rel = sf.relative_to(root)
            groups, _ = group_by_endpoint(root, a.schemas) if schemas_ok else ([], [])
            group = next((g for g in groups if g.folder == sf.parent and sf.name in g.names), None)
            true = Tool(a)
            true.name, true.label = "true", "/bin/true"
            jobs = {"true": [Proc([shutil.which("true") or "/bin/true"], root)]}
            single_tools = [true]
            for t in ready:
                if t.per_endpoint and group is None:
                    single.append(Result(t.name, 1, status="skipped (no schema for the file)"))
                    continue
                jobs[t.name] = t.procs_file(root, single_rel, group)
                single_tools.append(t)
            log(f"single file {single_rel}: {a.single_rounds} rounds of {', '.join(jobs)}")
            res = interleaved(single_tools, jobs, 1, a.single_rounds, launcher, "single file", 1)
            single = [res[t.name] for t in single_tools] + single + [Result(t.name, 1, status=t.missing)
                                                                   for t in tools if t.missing]
            tools = [true] + tools
    finally:
        launcher.close()
        shutil.rmtree(scratch, ignore_errors=True)

    for r in big + single:
        if r.warning:
            notes.append(f"{r.tool} at {r.files:,} file(s): {r.warning.strip()}".replace("\n", " ⏎ ")[:600])
    if any(t.per_endpoint for t in ready) and a.slow_max and any(n > a.slow_max for n in a.sizes):
        notes.append(f"check-jsonschema and ajv are slow and skip corpora above {a.slow_max:,} files by "
                     "default (`--slow-max 0` runs them on every size).")
    if "ajv" in {t.name for t in ready}:
        notes.append("ajv-cli runs with `--all-errors` (it would stop at a file's first error otherwise; "
                     "spslint and check-jsonschema report them all) and `--strict=false` (for the "
                     "x-spslint-* annotations).")
    notes.append(f"Corpora: `make-corpus.py N DIR --seed {a.seed}` in {a.cache}/N; stdout and stderr of "
                 "every tool go to files.")
    md = report(a, tools, big, single, str(single_rel) if single_rel else None, notes,
                time.perf_counter() - t_all, groups_info)
    print(md)
    if a.output:
        Path(a.output).write_text(md + "\n")
        log(f"wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
