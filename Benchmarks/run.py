#!/usr/bin/env python3
"""cinch's benchmark harness (`make bench`, `make bench-smoke`, `make bench-profile`).

Measures cinch side by side, in the same run and on the same generated files, with what a user
would otherwise run (cfn-lint) and with the physical floor (Benchmarks/floor/floor.c over libyaml,
and libyaml's bare event loop). Every row is a workload at one template size; its contenders run
interleaved (A B C A B C …) so that load from elsewhere on a shared machine falls on all of them
alike. Reported per contender: the median wall time over the runs, min–max, the ratio of medians
to the row's baseline, the median CPU time (user + system) and the peak resident set size of the
process (`ru_maxrss` from wait4 for that process alone; the largest one for a sequence).

Commands that do not exist yet in the cinch being measured are detected with
`cinch help COMMAND` (its usage line names the command) and printed as "not available yet", with
the reason, never as a number. Store rows seed a throw-away store from the generated seed once
the store commands exist (`cinch init`, `cinch ssm put-parameter`, `cinch secretsmanager
create-secret`). In-process decrypted reads need a command that measures them inside one
process; the harness runs `cinch bench-store --json` when it exists and reads
`{"readsPerSecond": N}` from its output.

Usage:
  python3 Benchmarks/run.py [--cinch PATH] [--sizes 100,500,1000,10000] [--runs N]
                            [--write-docs] [--build-time] [--smoke] [--profile SIZE]

Standard library only. Inputs, outputs and the C programs (the floor, tools/measure.c, the native
load client tools/serve_load.c of the `cinch serve` rows) go under Benchmarks/out/.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
INPUTS = os.path.join(OUT, "inputs")
WORK = os.path.join(OUT, "work")
DOC = os.path.join(ROOT, "Docs", "Performance.md")
NOTES = os.path.join(HERE, "NOTES.md")

sys.path.insert(0, HERE)
import generate  # noqa: E402  (Benchmarks/generate.py)
import serve_bench  # noqa: E402  (Benchmarks/serve_bench.py)

SIZES = [100, 500, 1000, 10000]
CFN_LINT_SIZES = {100, 500}
# The goals.
GOAL_CHECK_SPEEDUP = 300.0
GOAL_LOCK_RENDER_RATIO = 1.5
GOAL_LOCK_RENDER_RSS_MB = 150.0
GOAL_READS_PER_SECOND = 50_000.0
GOAL_ROUND_TRIP_MS = 15.0
GOAL_BUILD_SECONDS = 180.0


# ------------------------------------------------------------------------------------------
# Running one command and measuring it


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, summed over the sequence
    rss_kb: int  # largest ru_maxrss of the sequence


class CommandFailed(Exception):
    def __init__(self, argv, status, stderr):
        first = next((line for line in stderr.splitlines() if line.strip()), "")
        super().__init__(f"exit {status}: {first[:160]}" if first else f"exit {status}")
        self.argv = argv
        self.status = status


MEASURE: str | None = None  # Benchmarks/tools/measure.c, built before anything runs


def run_sequence(steps, cwd, env, log_prefix) -> Sample:
    """Runs each step (argv, accepted exit statuses) in turn under `measure`, which forks the
    command and reads its wall time, CPU time and peak RSS from wait4 (see measure.c).

    stdout and stderr go to files (`log_prefix`.N.out / .err) so that output costs what writing
    a file costs, and so a failure can be explained afterwards.
    """
    wall = 0.0
    cpu = 0.0
    rss = 0
    for index, (argv, accepted) in enumerate(steps):
        out_path = f"{log_prefix}.{index}.out"
        err_path = f"{log_prefix}.{index}.err"
        result = subprocess.run(
            [MEASURE, out_path, err_path, *argv], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True,
        )
        fields = result.stdout.split()
        if result.returncode != 0 or len(fields) != 5:
            raise CommandFailed(argv, result.returncode, result.stderr or "measure failed")
        code, seconds, user, system, maxrss = int(fields[0]), *map(float, fields[1:4]), int(fields[4])
        wall += seconds
        cpu += user + system
        rss = max(rss, maxrss)
        if code not in accepted:
            with open(err_path, encoding="utf-8", errors="replace") as f:
                stderr = f.read()
            if not stderr.strip():
                with open(out_path, encoding="utf-8", errors="replace") as f:
                    stderr = f.read()
            raise CommandFailed(argv, code, stderr)
    return Sample(wall, cpu, rss)


@dataclass
class Contender:
    label: str
    steps: list = field(default_factory=list)  # [(argv, accepted statuses)]
    cwd: str = ROOT
    env: dict | None = None
    prepare: object = None  # called before every run (clean an output folder, copy a store)
    verify: object = None  # called with the log prefix after the first run; returns a note or raises
    expensive: bool = False  # no warm-up run (cfn-lint)
    # Timed runs per round. A row that holds an expensive contender (cfn-lint: 5–18 s a run)
    # runs the cheap ones several times a round: their median then rests on more samples at no
    # cost the row would notice, still interleaved with the expensive one's runs.
    per_round: int = 1
    unavailable: str | None = None  # why this contender cannot run here
    samples: list = field(default_factory=list)
    failure: str | None = None
    note: str | None = None

    def median(self, attribute="wall"):
        return statistics.median(getattr(s, attribute) for s in self.samples) if self.samples else None


@dataclass
class Row:
    workload: str
    size: int | None
    contenders: list
    baseline: str  # label of the contender the ratios are taken against
    unit: str = "s"  # s or ms
    runs: int = 5


def measure(row: Row, runs: int, warmup: bool, log_dir: str):
    live = [c for c in row.contenders if not c.unavailable]
    for c in live:
        c.env = c.env or clean_env()
    tag = re.sub(r"[^A-Za-z0-9]+", "-", f"{row.workload}-{row.size}")
    if warmup:
        for c in live:
            if c.expensive or c.failure:
                continue
            try:
                if c.prepare:
                    c.prepare()
                run_sequence(c.steps, c.cwd, c.env, os.path.join(log_dir, f"{tag}-{slug(c.label)}-warm"))
            except CommandFailed as error:
                c.failure = str(error)
    for index in range(runs):
        for c in live:
            prefix = os.path.join(log_dir, f"{tag}-{slug(c.label)}")
            for _ in range(c.per_round):
                if c.failure:
                    break
                try:
                    if c.prepare:
                        c.prepare()
                    c.samples.append(run_sequence(c.steps, c.cwd, c.env, prefix))
                except CommandFailed as error:
                    c.failure = str(error)
                    c.samples.clear()
    # Outputs are checked once every contender has run (the last run's files), so a contender
    # can be compared with another's output.
    for c in live:
        if c.failure or not c.verify or not c.samples:
            continue
        try:
            c.note = c.verify(os.path.join(log_dir, f"{tag}-{slug(c.label)}"))
        except VerifyFailed as error:
            c.failure = f"wrong output: {error}"
            c.samples.clear()


class VerifyFailed(Exception):
    pass


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def clean_env(extra=None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CINCH_")}
    env["LC_ALL"] = "C.UTF-8"
    env.update(extra or {})
    return env


# ------------------------------------------------------------------------------------------
# What exists: cinch commands, the floor, cfn-lint


class Cinch:
    def __init__(self, path: str):
        self.path = path
        self._available: dict[str, bool] = {}

    def has(self, command: str) -> bool:
        """`cinch help COMMAND` prints the command's usage line when it exists, and the root's
        help (exit 0 as well) when it does not: the usage line tells them apart."""
        if command not in self._available:
            words = command.split()
            result = subprocess.run(
                [self.path, "help", *words], capture_output=True, text=True, env=clean_env(), timeout=60
            )
            self._available[command] = f"USAGE: cinch {command}" in result.stdout
        return self._available[command]

    def missing(self, *commands: str) -> str | None:
        absent = [c for c in commands if not self.has(c)]
        if not absent:
            return None
        return "not available yet: " + ", ".join(f"`cinch {c}` does not exist" for c in absent)


def compiler(cc: str | None) -> str | None:
    return cc or os.environ.get("CC") or shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")


def build_c(source: str, binary: str, cc: str | None, flags: list) -> tuple[str | None, str]:
    """Compiles Benchmarks/SOURCE with the system compiler (`cc -O2 …`) into Benchmarks/out/BINARY,
    unless the same source and flags built it already."""
    name = os.path.basename(source)
    source = os.path.join(HERE, source)
    binary = os.path.join(OUT, binary)
    cc = compiler(cc)
    if not cc:
        return None, "no C compiler (cc) found"
    os.makedirs(OUT, exist_ok=True)
    stamp = hashlib.sha256(open(source, "rb").read() + " ".join([cc, *flags]).encode()).hexdigest()
    stamp_path = binary + ".stamp"
    if os.path.exists(binary) and os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
        return binary, ""
    result = subprocess.run([cc, "-O2", "-Wall", "-o", binary, source, *flags], capture_output=True, text=True)
    if result.returncode != 0:
        return None, f"{name} did not build: " + (result.stderr.strip().splitlines() or ["?"])[0]
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return binary, ""


def pkg_config_flags(package: str, fallback: list[str]) -> list[str]:
    """`pkg-config --cflags --libs PACKAGE`, or `fallback` when pkg-config is missing or fails."""
    try:
        pkg = subprocess.run(["pkg-config", "--cflags", "--libs", package], capture_output=True, text=True)
        if pkg.returncode == 0 and pkg.stdout.strip():
            return pkg.stdout.split()
    except FileNotFoundError:
        pass
    return fallback


def build_floor(cc: str | None) -> tuple[str | None, str]:
    """The floor over libyaml: `cc -O2 floor.c $(pkg-config --cflags --libs yaml-0.1)`."""
    return build_c("floor/floor.c", "floor", cc, pkg_config_flags("yaml-0.1", ["-lyaml"]))


def build_serve_load(cc: str | None) -> tuple[str | None, str]:
    """The native load client of the `cinch serve` rows (serve_bench.py): C11, POSIX threads,
    libcrypto for SigV4 (`pkg-config --libs libcrypto`, else -lcrypto)."""
    flags = pkg_config_flags("libcrypto", ["-lcrypto"])
    return build_c("tools/serve_load.c", "serve_load", cc, ["-std=c11", "-Wextra", *flags, "-lpthread"])


def build_measure(cc: str | None) -> str:
    global MEASURE
    binary, why = build_c("tools/measure.c", "measure", cc, [])
    if not binary:
        sys.exit(f"bench: {why}")
    MEASURE = binary
    return binary


def find_cfn_lint() -> str | None:
    venv = os.path.join(OUT, "venv", "bin", "cfn-lint")
    if os.path.exists(venv):
        return venv
    return shutil.which("cfn-lint")


def tool_version(argv) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return (result.stdout or result.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


# ------------------------------------------------------------------------------------------
# Inputs and the store


def ensure_inputs(sizes) -> dict:
    """Generates the templates and seeds (deterministic) unless the same generator made them."""
    os.makedirs(INPUTS, exist_ok=True)
    digest = hashlib.sha256(open(os.path.join(HERE, "generate.py"), "rb").read()).hexdigest()[:16]
    manifests = {}
    for size in sizes:
        path = os.path.join(INPUTS, f"bench-{size}.manifest.json")
        manifest = None
        if os.path.exists(path):
            manifest = json.load(open(path))
            if manifest.get("generator") != digest:
                manifest = None
        if manifest is None:
            manifest = generate.generate(size, generate.DEFAULT_SEED, INPUTS)
            manifest["generator"] = digest
            with open(path, "w") as f:
                json.dump(manifest, f, indent=2, sort_keys=True)
                f.write("\n")
        manifests[size] = manifest
    return manifests


class StoreSeeder:
    """A store seeded from bench-N.seed.json through the store's own commands, built once per
    (seed, cinch binary) and copied fresh for each row so audit rows from one row do not weigh
    on the next."""

    REQUIRED = ("init", "ssm put-parameter", "secretsmanager create-secret")

    def __init__(self, cinch: Cinch):
        self.cinch = cinch
        self.cache: dict[int, str] = {}

    def missing(self) -> str | None:
        return self.cinch.missing(*self.REQUIRED)

    @staticmethod
    def env_for(folder: str) -> dict:
        return clean_env(
            {
                "CINCH_STORE": os.path.join(folder, "store.db"),
                "CINCH_MASTER_KEY_FILE": os.path.join(folder, "master.key"),
            }
        )

    def seeded(self, size: int) -> str:
        if size in self.cache:
            return self.cache[size]
        seed_path = os.path.join(INPUTS, f"bench-{size}.seed.json")
        key = hashlib.sha256(open(seed_path, "rb").read() + open(self.cinch.path, "rb").read()).hexdigest()[:16]
        folder = os.path.join(OUT, "stores", f"bench-{size}-{key}")
        done = os.path.join(folder, ".seeded")
        if not os.path.exists(done):
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            self._seed(folder, json.load(open(seed_path)))
            open(done, "w").close()
        self.cache[size] = folder
        return folder

    def _seed(self, folder: str, seed: dict):
        env = self.env_for(folder)
        cinch = self.cinch.path
        subprocess.run([cinch, "init"], env=env, check=True, capture_output=True)
        requests = os.path.join(folder, "requests")
        os.makedirs(requests, mode=0o700)

        def call(argv, request, name):
            # Values travel in a 0600 request file (--cli-input-json file://…), never in argv.
            path = os.path.join(requests, hashlib.sha256(name.encode()).hexdigest()[:20] + ".json")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump(request, f)
            result = subprocess.run([*argv, "--cli-input-json", f"file://{path}"], env=env, capture_output=True, text=True)
            os.unlink(path)
            if result.returncode != 0:
                raise RuntimeError(f"seeding '{name}' failed: {result.stderr.strip()[:200]}")

        def parameter(entry):
            for index, value in enumerate(entry["Values"]):
                request = {"Name": entry["Name"], "Value": value, "Type": entry["Type"]}
                if index > 0:
                    request["Overwrite"] = True
                call([cinch, "ssm", "put-parameter"], request, entry["Name"])

        def secret(entry):
            request = {
                "Name": entry["Name"],
                "SecretString": entry["SecretString"],
                "ClientRequestToken": entry["ClientRequestToken"],
            }
            call([cinch, "secretsmanager", "create-secret"], request, entry["Name"])

        # Two writers (the machine has two cores); each name's versions stay in order.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [pool.submit(parameter, p) for p in seed["Parameters"]]
            jobs += [pool.submit(secret, s) for s in seed["Secrets"]]
            for job in jobs:
                job.result()
        shutil.rmtree(requests)

    def fresh_copy(self, size: int, work: str) -> str:
        """Copies the seeded store into `work` (store, WAL, key) and returns that folder."""
        source = self.seeded(size)
        target = os.path.join(work, "store")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
        return target


# ------------------------------------------------------------------------------------------
# The rows


class Bench:
    def __init__(self, args):
        self.args = args
        self.cinch = Cinch(args.cinch)
        build_measure(args.cc)
        self.floor, self.floor_missing = build_floor(args.cc)
        self.cfn_lint = None if args.smoke else find_cfn_lint()
        self.store = StoreSeeder(self.cinch)
        self.rows: list[Row] = []
        self.failures: list[str] = []
        self.build_time: dict | None = None
        self.reads: dict | None = None
        self.serve: dict | None = None

    # Contenders ---------------------------------------------------------------------------

    def work_dir(self, name: str) -> str:
        path = os.path.join(WORK, name)
        os.makedirs(path, exist_ok=True)
        return path

    def template(self, size: int, fmt: str) -> str:
        return os.path.join(INPUTS, f"bench-{size}.{fmt}")

    def cinch_contender(self, label, commands, steps, work=None, env=None, prepare=None, verify=None):
        if commands is not None:
            why = self.cinch.missing(*commands)
            if why:
                return Contender(label, unavailable=why)
        return Contender(label, steps=steps, cwd=work or ROOT, env=env, prepare=prepare, verify=verify)

    def floor_contender(self, label, argv, verify=None, cwd=ROOT):
        if not self.floor:
            return Contender(label, unavailable=self.floor_missing)
        return Contender(label, steps=[([self.floor, *argv], {0})], cwd=cwd, verify=verify)

    def expect_floor_count(self, expected: int, word: str):
        def verify(prefix):
            text = open(prefix + ".0.out").read()
            match = re.search(rf"(\d+) references{word}", text)
            if not match or int(match.group(1)) != expected:
                raise VerifyFailed(f"expected {expected} references, floor reported: {text.strip()[-120:]}")
            return None

        return verify

    def store_unavailable(self) -> str | None:
        return self.store.missing()

    # Rows ---------------------------------------------------------------------------------

    def plan(self, manifests):
        runs = self.args.runs
        for size in self.args.sizes:
            manifest = manifests[size]
            refs = manifest["references"]
            size_runs = runs if size < 10000 or self.args.smoke else max(1, min(runs, 3))
            yaml_path, json_path = self.template(size, "yaml"), self.template(size, "json")
            seed_tsv = os.path.join(INPUTS, f"bench-{size}.seed.tsv")

            # parse: cinch vs the floor's parse (a located tree) vs libyaml's bare event loop
            for fmt, path in (("yaml", yaml_path), ("json", json_path)):
                contenders = [
                    self.cinch_contender(f"cinch parse", ["parse"], [([self.cinch.path, "parse", path], {0})]),
                    self.floor_contender("floor parse (libyaml + tree)", ["parse", path]),
                    self.floor_contender("libyaml event loop", ["events", path]),
                ]
                self.rows.append(Row(f"parse ({fmt.upper()})", size, contenders, "floor parse (libyaml + tree)", runs=size_runs))

            # refs: cinch vs the floor listing every reference
            refs_verify = self.expect_floor_count(refs, "")
            self.rows.append(
                Row(
                    "refs (YAML)",
                    size,
                    [
                        self.cinch_contender("cinch refs", ["refs"], [([self.cinch.path, "refs", yaml_path], {0, 1})]),
                        self.floor_contender("floor refs", ["refs", yaml_path], verify=refs_verify),
                    ],
                    "floor refs",
                    runs=size_runs,
                )
            )

            # check: cinch vs cfn-lint (100 and 500 resources) and the floor's reference listing
            check_contenders = [self.check_contender(size, yaml_path)]
            baseline = "floor refs"
            if size in CFN_LINT_SIZES:
                if self.cfn_lint:
                    # cfn-lint exits 2/4/6/8… when it reports findings (a bit mask); 1 is its own failure
                    ok = {0, 2, 4, 6, 8, 10, 12, 14}
                    check_contenders.append(
                        Contender("cfn-lint", steps=[([self.cfn_lint, "--", yaml_path], ok)], expensive=True, verify=self.verify_cfn_lint)
                    )
                    baseline = "cfn-lint"
                else:
                    why = "skipped in bench-smoke" if self.args.smoke else "cfn-lint is not installed (make bench installs it into Benchmarks/out/venv)"
                    check_contenders.append(Contender("cfn-lint", unavailable=why))
            check_contenders.append(self.floor_contender("floor refs", ["refs", yaml_path], verify=refs_verify))
            if any(c.expensive and not c.unavailable for c in check_contenders):
                for c in check_contenders:
                    c.per_round = 1 if c.expensive else 3
            self.rows.append(Row("check (YAML)", size, check_contenders, baseline, runs=size_runs))

            # lock, render pin / inline, lock + render: against the floor's splice
            floor_out = os.path.join(self.work_dir(f"floor-{size}"), f"bench-{size}")
            for mode in ("pin", "inline"):
                for fmt in ("yaml",) + (("json",) if mode == "pin" else ()):
                    path = self.template(size, fmt)

                    def floor(mode=mode, fmt=fmt, path=path):
                        return self.floor_contender(
                            f"floor render --mode {mode}",
                            ["render", "--mode", mode, "--seed", seed_tsv, "-D", "Env=" + generate.ENV, "-o", f"{floor_out}.{mode}.{fmt}", path],
                            verify=self.expect_floor_count(refs, " pinned" if mode == "pin" else " inlined"),
                        )

                    rows = []
                    if mode == "pin" and fmt == "yaml":
                        rows.append(("lock (YAML)", [self.lock_contender(size, "cinch lock", render=None)]))
                        rows.append(("lock + render --mode pin (YAML)", [self.lock_contender(size, "cinch lock + render", render=("pin", fmt), floor_output=f"{floor_out}.pin.yaml")]))
                    rows.append(
                        (
                            f"render --mode {mode} ({fmt.upper()})",
                            [self.render_contender(size, mode, fmt, floor_output=f"{floor_out}.{mode}.{fmt}")],
                        )
                    )
                    for workload, contenders in rows:
                        baseline = floor()
                        self.rows.append(Row(workload, size, [baseline] + contenders, baseline.label, runs=size_runs))

        # The store: a process round trip, and reads inside one process
        self.rows.append(self.round_trip_row())

    def check_contender(self, size, yaml_path):
        why = self.cinch.missing("check")
        if why:
            return Contender("cinch check", unavailable=why)
        # With a store when one exists (existence checks need its metadata), else the template alone.
        if self.store_unavailable():
            return Contender("cinch check", steps=[([self.cinch.path, "check", yaml_path], {0, 1})])
        work = self.work_dir(f"check-{size}")
        env = StoreSeeder.env_for(os.path.join(work, "store"))
        return Contender(
            "cinch check",
            steps=[([self.cinch.path, "check", yaml_path], {0, 1})],
            env=env,
            prepare=lambda: self.store.fresh_copy(size, work),
        )

    def lock_contender(self, size, label, render, floor_output=None):
        """`cinch lock` (and `cinch render` after it) in a work folder holding a copy of the
        template, so cinch.lock and the output folder land there under their default names."""
        commands = ["lock"] + (["render"] if render else [])
        why = self.cinch.missing(*commands) or self.store_unavailable()
        if why:
            return Contender(label, unavailable=why)
        work = self.work_dir(f"{slug(label)}-{size}")
        name = f"bench-{size}.yaml"
        env = StoreSeeder.env_for(os.path.join(work, "store"))
        steps = [([self.cinch.path, "lock", name], {0})]
        if render:
            mode, _ = render
            steps.append(([self.cinch.path, "render", name, "-o", "out", "--mode", mode], {0}))

        def prepare():
            self.store.fresh_copy(size, work)
            shutil.copyfile(self.template(size, "yaml"), os.path.join(work, name))
            for leftover in ("cinch.lock", "out"):
                target = os.path.join(work, leftover)
                shutil.rmtree(target, ignore_errors=True) if os.path.isdir(target) else (os.path.exists(target) and os.unlink(target))

        verify = None
        if render and floor_output:
            verify = self.compare_with_floor(os.path.join(work, "out", name), floor_output)
        return Contender(label, steps=steps, cwd=work, env=env, prepare=prepare, verify=verify)

    def render_contender(self, size, mode, fmt, floor_output):
        """`cinch render` alone, against a lock written once before the row (not timed)."""
        label = f"cinch render --mode {mode}"
        why = self.cinch.missing("lock", "render") or self.store_unavailable()
        if why:
            return Contender(label, unavailable=why)
        work = self.work_dir(f"render-{mode}-{fmt}-{size}")
        name = f"bench-{size}.{fmt}"
        env = StoreSeeder.env_for(os.path.join(work, "store"))
        state = {"locked": False}

        def prepare():
            if not state["locked"]:
                self.store.fresh_copy(size, work)
                shutil.copyfile(self.template(size, fmt), os.path.join(work, name))
                run_sequence([([self.cinch.path, "lock", name], {0})], work, env, os.path.join(work, "lock-once"))
                state["locked"] = True
            shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)

        steps = [([self.cinch.path, "render", name, "-o", "out", "--mode", mode], {0})]
        verify = self.compare_with_floor(os.path.join(work, "out", name), floor_output)
        return Contender(label, steps=steps, cwd=work, env=env, prepare=prepare, verify=verify)

    @staticmethod
    def compare_with_floor(cinch_output, floor_output):
        """A note, not a verdict: whether cinch wrote the same bytes as the floor."""

        def verify(_prefix):
            if not os.path.exists(cinch_output):
                raise VerifyFailed(f"no output at {os.path.relpath(cinch_output, ROOT)}")
            if not os.path.exists(floor_output):
                return "floor output missing (floor ran after cinch?)"
            a, b = open(cinch_output, "rb").read(), open(floor_output, "rb").read()
            if a == b:
                return "output identical to the floor's"
            lines = sum(1 for x, y in zip(a.split(b"\n"), b.split(b"\n")) if x != y)
            return f"output differs from the floor's on {lines} lines"

        return verify

    @staticmethod
    def verify_cfn_lint(prefix):
        text = open(prefix + ".0.out", errors="replace").read()
        if re.search(r"^E0000", text, re.M):
            raise VerifyFailed("cfn-lint could not parse the template (E0000)")
        findings = len(re.findall(r"^[EWI]\d{4} ", text, re.M))
        return f"{findings} findings"

    def round_trip_row(self) -> Row:
        size = self.args.sizes[0]
        runs = 3 if self.args.smoke else 30
        version = Contender("cinch --version (process start)", steps=[([self.cinch.path, "--version"], {0})])
        why = self.cinch.missing("ssm get-parameter") or self.store_unavailable()
        if why:
            get = Contender("cinch ssm get-parameter", unavailable=why)
        else:
            work = self.work_dir("round-trip")
            env = StoreSeeder.env_for(os.path.join(work, "store"))
            seed = json.load(open(os.path.join(INPUTS, f"bench-{size}.seed.json")))
            secure = next(p["Name"] for p in seed["Parameters"] if p["Type"] == "SecureString")
            state = {"copied": False}

            def prepare():
                if not state["copied"]:
                    self.store.fresh_copy(size, work)
                    state["copied"] = True

            get = Contender(
                "cinch ssm get-parameter",
                steps=[([self.cinch.path, "ssm", "get-parameter", "--name", secure, "--with-decryption"], {0})],
                cwd=work,
                env=env,
                prepare=prepare,
            )
        return Row("ssm get-parameter round trip (SecureString, decrypted)", None, [get, version], version.label, unit="ms", runs=runs)

    def in_process_reads(self):
        """`cinch bench-store --json` → {"readsPerSecond": N}, when the store offers it."""
        if not self.cinch.has("bench-store"):
            return {"unavailable": "needs `cinch bench-store` (store issue): a command that times decrypted reads inside one process"}
        why = self.store_unavailable()
        if why:
            return {"unavailable": why}
        work = self.work_dir("bench-store")
        # One run's figure moves by ±30% on these shared machines (41,797 and 70,084 a second
        # for the same binary, minutes apart): the goal is judged on the median of several runs,
        # each on a fresh copy of the store so that audit rows do not pile up between them.
        runs = 1 if self.args.smoke else 5
        rates, raws = [], []
        for _ in range(runs):
            folder = self.store.fresh_copy(self.args.sizes[0], work)
            result = subprocess.run([self.cinch.path, "bench-store", "--json"], capture_output=True, text=True, env=StoreSeeder.env_for(folder))
            if result.returncode != 0:
                return {"failure": f"exit {result.returncode}: {result.stderr.strip()[:160]}"}
            try:
                rates.append(float(json.loads(result.stdout)["readsPerSecond"]))
            except (ValueError, KeyError, TypeError):
                return {"failure": "could not read readsPerSecond from: " + result.stdout.strip()[:160]}
            raws.append(result.stdout.strip())
        median = statistics.median(rates)
        return {
            "readsPerSecond": median,
            "runs": rates,
            "size": self.args.sizes[0],
            "raw": raws[min(range(len(rates)), key=lambda i: abs(rates[i] - median))],
        }

    # The build ----------------------------------------------------------------------------

    def measure_build(self):
        """A clean debug build of the package in a scratch folder, dependencies resolved first
        (not timed: CI's clone fetches them from the mirror either way)."""
        scratch = os.path.join(OUT, ".build-clean")
        shutil.rmtree(scratch, ignore_errors=True)
        env = clean_env()
        start = time.perf_counter()
        resolve = subprocess.run(["swift", "package", "--scratch-path", scratch, "resolve"], cwd=ROOT, env=env, capture_output=True, text=True)
        resolved = time.perf_counter() - start
        if resolve.returncode != 0:
            return {"failure": "swift package resolve failed: " + resolve.stderr.strip()[:200]}
        start = time.perf_counter()
        build = subprocess.run(["swift", "build", "--scratch-path", scratch], cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        shutil.rmtree(scratch, ignore_errors=True)
        if build.returncode != 0:
            return {"failure": "swift build failed: " + build.stderr.strip()[-200:]}
        return {"seconds": seconds, "resolveSeconds": resolved}

    # Running and reporting ----------------------------------------------------------------

    def run(self):
        manifests = ensure_inputs(self.args.sizes)
        self.manifests = manifests
        self.plan(manifests)
        log_dir = os.path.join(OUT, "logs")
        shutil.rmtree(log_dir, ignore_errors=True)
        os.makedirs(log_dir)
        self.load_before = os.getloadavg()
        started = time.perf_counter()
        for row in self.rows:
            label = f"{row.workload}" + (f" @ {row.size}" if row.size else "")
            print(f"… {label}", file=sys.stderr, flush=True)
            measure(row, 1 if self.args.smoke else row.runs, warmup=not self.args.smoke, log_dir=log_dir)
            for c in row.contenders:
                if c.failure:
                    self.failures.append(f"{label}: {c.label}: {c.failure}")
        self.reads = self.in_process_reads()
        if self.cinch.has("serve"):
            print("… cinch serve under load, and moto_server", file=sys.stderr, flush=True)
            native = build_serve_load(self.args.cc)
            self.serve = serve_bench.measure(self.cinch.path, self.args.smoke, native=native)
            for label, result in serve_bench.results(self.serve):
                if "failure" in result or result.get("failed"):
                    self.failures.append(f"serve load ({label}): {result.get('failure') or result.get('failures')}")
        if self.args.build_time:
            print("… clean debug build", file=sys.stderr, flush=True)
            self.build_time = self.measure_build()
        self.elapsed = time.perf_counter() - started
        self.load_after = os.getloadavg()


# ------------------------------------------------------------------------------------------
# Formatting


def fmt_time(seconds, unit):
    if seconds is None:
        return "—"
    if unit == "ms":
        return f"{seconds * 1000:.1f} ms"
    if seconds < 0.99995:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_range(c: Contender, unit):
    if not c.samples:
        return "—"
    walls = [s.wall for s in c.samples]
    return f"{fmt_time(min(walls), unit)} – {fmt_time(max(walls), unit)}"


def fmt_mb(kb):
    return f"{kb / 1024:.1f} MB"


def row_lines(row: Row):
    """One line per contender: tool, median, min–max, ratio to the baseline, CPU, peak RSS, note."""
    base = next((c for c in row.contenders if c.label == row.baseline), None)
    base_median = base.median() if base and base.samples else None
    lines = []
    for c in row.contenders:
        if c.unavailable:
            lines.append([c.label, "not available yet" if "not available" in c.unavailable else "not run", "", "", "", "", c.unavailable.replace("not available yet: ", "")])
            continue
        if c.failure:
            lines.append([c.label, "failed", "", "", "", "", c.failure])
            continue
        median = c.median()
        if c.label == row.baseline:
            ratio = "1.00× (baseline)"
        elif base_median:
            value = median / base_median
            faster = 1 / value
            ratio = f"{value:.2f}×" if value >= 1 else f"{value:.3g}× ({faster:,.{0 if faster >= 100 else 1}f}× faster)"
        else:
            ratio = "—"
        peak = max(s.rss_kb for s in c.samples)
        lines.append(
            [
                c.label,
                fmt_time(median, row.unit),
                fmt_range(c, row.unit),
                ratio,
                fmt_time(c.median("cpu"), row.unit),
                fmt_mb(peak),
                (f"{len(c.samples)} run{'s' if len(c.samples) != 1 else ''}" + (f"; {c.note}" if c.note else "")),
            ]
        )
    return lines


HEADER = ["tool", "median", "min – max", "vs baseline", "CPU (median)", "peak RSS", "runs, notes"]


def print_table(bench: Bench):
    for row in bench.rows:
        title = row.workload + (f" — {row.size:,} resources" if row.size else "")
        print(f"\n{title}")
        lines = row_lines(row)
        widths = [max(len(str(x[i])) for x in lines + [HEADER]) for i in range(len(HEADER))]
        print("  " + "  ".join(h.ljust(w) for h, w in zip(HEADER, widths)).rstrip())
        for line in lines:
            print("  " + "  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
    if bench.serve:
        print("\ncinch serve under load")
        for line in serve_bench.lines(bench.serve):
            print("  " + line)
    print()
    print("goals:")
    for goal in goals(bench):
        print(f"  {goal[0]} ({goal[1]}): {goal[2]} [{goal[3]}]")
    if bench.failures:
        print("\nfailures:")
        for failure in bench.failures:
            print(f"  {failure}")


def find_contender(bench: Bench, workload_prefix, size, label_prefix):
    for row in bench.rows:
        if row.workload.startswith(workload_prefix) and row.size == size:
            for c in row.contenders:
                if c.label.startswith(label_prefix):
                    return row, c
    return None, None


def status_of(c: Contender | None):
    if c is None:
        return "not measured in this run"
    if c.unavailable:
        return c.unavailable
    if c.failure:
        return f"failed: {c.failure}"
    return None


def goals(bench: Bench):
    """(workload, goal, measured, verdict) per goal of the issue."""
    out = []
    # 1. check on 500 resources vs cfn-lint
    _, check = find_contender(bench, "check", 500, "cinch check")
    _, lint = find_contender(bench, "check", 500, "cfn-lint")
    why = status_of(check) or status_of(lint)
    if why:
        measured = why
        if lint and lint.samples:
            measured += f" (cfn-lint alone: {fmt_time(lint.median(), 's')})"
        out.append(("`check` on 500 resources vs cfn-lint, same run", "≥ 300× faster", measured, "not measured"))
    else:
        speedup = lint.median() / check.median()
        cpu_speedup = lint.median("cpu") / check.median("cpu")
        out.append(
            (
                "`check` on 500 resources vs cfn-lint, same run",
                "≥ 300× faster",
                f"{speedup:,.0f}× faster ({fmt_time(check.median(), 's')} vs {fmt_time(lint.median(), 's')}; "
                f"CPU time {cpu_speedup:,.0f}×)",
                "holds" if speedup >= GOAL_CHECK_SPEEDUP else "missed",
            )
        )
    # 2. lock + render on 10,000 resources vs the floor
    row, both = find_contender(bench, "lock + render", 10000, "cinch lock + render")
    _, floor = find_contender(bench, "lock + render", 10000, "floor render")
    why = status_of(both) or status_of(floor)
    if why:
        out.append(("`lock` + `render` on 10,000 resources / 30,000 references vs the C floor", "≤ 1.5× its time, ≤ 150 MB resident", why, "not measured"))
    else:
        ratio = both.median() / floor.median()
        cpu_ratio = both.median("cpu") / floor.median("cpu")
        peak = max(s.rss_kb for s in both.samples) / 1024
        holds = ratio <= GOAL_LOCK_RENDER_RATIO and peak <= GOAL_LOCK_RENDER_RSS_MB
        out.append(
            (
                "`lock` + `render` on 10,000 resources / 30,000 references vs the C floor",
                "≤ 1.5× its time, ≤ 150 MB resident",
                f"{ratio:.2f}× ({fmt_time(both.median(), 's')} vs {fmt_time(floor.median(), 's')}; "
                f"CPU time {cpu_ratio:.2f}×), {peak:.0f} MB",
                "holds" if holds else "missed",
            )
        )
    # 3. in-process reads
    reads = bench.reads or {}
    if "readsPerSecond" in reads:
        rate = reads["readsPerSecond"]
        runs = reads.get("runs", [rate])
        figure = f"{rate:,.0f} per second" + (f" (median of {len(runs)} runs, {min(runs):,.0f} – {max(runs):,.0f})" if len(runs) > 1 else "")
        out.append(("decrypted store reads, in process", "≥ 50,000 per second", figure, "holds" if rate >= GOAL_READS_PER_SECOND else "missed"))
    else:
        out.append(("decrypted store reads, in process", "≥ 50,000 per second", reads.get("unavailable") or reads.get("failure", "not measured"), "not measured"))
    # 4. get-parameter round trip
    _, get = find_contender(bench, "ssm get-parameter", None, "cinch ssm get-parameter")
    why = status_of(get)
    if why:
        out.append(("`cinch ssm get-parameter` process round trip", "≤ 15 ms", why, "not measured"))
    else:
        ms = get.median() * 1000
        out.append(("`cinch ssm get-parameter` process round trip", "≤ 15 ms", f"{ms:.1f} ms median", "holds" if ms <= GOAL_ROUND_TRIP_MS else "missed"))
    # 5. clean debug build
    build = bench.build_time
    if build and "seconds" in build:
        s = build["seconds"]
        out.append(("clean debug build of the package (CI cost)", "≤ 3 minutes on 2 cores", f"{s:.0f} s (dependencies resolved first, {build['resolveSeconds']:.0f} s, not counted)", "holds" if s <= GOAL_BUILD_SECONDS else "missed"))
    elif build:
        out.append(("clean debug build of the package (CI cost)", "≤ 3 minutes on 2 cores", build["failure"], "not measured"))
    else:
        out.append(("clean debug build of the package (CI cost)", "≤ 3 minutes on 2 cores", "not measured in this run (`make bench BUILD_TIME=1`)", "not measured"))
    return out


def machine(bench: Bench) -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Package.swift"], capture_output=True, text=True).stdout.strip()
    libyaml = tool_version([bench.floor, "version"]) if bench.floor else "unknown"
    return [
        ("CPU", cpu),
        ("cores", f"{cores} ({usable} usable)"),
        ("memory", memory),
        ("kernel", f"{platform.system()} {platform.release()}"),
        ("Swift", tool_version(["swift", "--version"])),
        ("C compiler (floor)", tool_version([compiler(bench.args.cc) or "cc", "--version"])),
        ("libyaml", libyaml),
        ("cfn-lint", tool_version([bench.cfn_lint, "--version"]) if bench.cfn_lint else "not installed"),
        ("cinch", f"{os.path.relpath(bench.cinch.path, ROOT)} at commit {commit}" + (" with uncommitted changes" if dirty else "")),
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("load average (1 min) before / after", f"{bench.load_before[0]:.2f} / {bench.load_after[0]:.2f}"),
        ("harness wall time", f"{bench.elapsed / 60:.1f} min"),
    ]


def markdown(bench: Bench) -> str:
    md = []
    md.append("# Performance")
    md.append("")
    md.append("Generated by `make bench` (`Benchmarks/run.py`); do not edit by hand: run it again.")
    md.append("Every figure below was measured in one run on the machine described, with cinch and what it is")
    md.append("compared with running side by side, interleaved, on the same generated templates.")
    md.append("")
    md.append("## Goals")
    md.append("")
    md.append("| workload | goal | measured | holds |")
    md.append("|---|---|---|---|")
    for workload, goal, measured, verdict in goals(bench):
        md.append(f"| {workload} | {goal} | {measured} | {verdict} |")
    md.append("")
    md.append("## Machine")
    md.append("")
    md.append("| | |")
    md.append("|---|---|")
    for key, value in machine(bench):
        md.append(f"| {key} | {value} |")
    md.append("")
    md.append("## Inputs")
    md.append("")
    md.append("Generated by `Benchmarks/generate.py` (seed %d): services of ten resources (RDS, Lambda, ECS, EC2, SSM, IAM)," % generate.DEFAULT_SEED)
    md.append("three dynamic references per resource of all three kinds, some inside `!Sub` with `${Env}` and `!Join`, comments,")
    md.append("plain, quoted and block scalars; the same template as JSON; and the store seed the references read.")
    md.append("")
    md.append("| resources | references (ssm / ssm-secure / secretsmanager) | parameters (versions) | secrets | YAML | JSON |")
    md.append("|---:|---|---:|---:|---:|---:|")
    for size in bench.args.sizes:
        m = bench.manifests[size]
        k = m["referencesByKind"]
        md.append(
            f"| {size:,} | {m['references']:,} ({k['ssm']:,} / {k['ssm-secure']:,} / {k['secretsmanager']:,}) | "
            f"{m['parameters']:,} ({m['parameterVersions']:,}) | {m['secrets']:,} | {m['yamlBytes'] / 1e6:.2f} MB | {m['jsonBytes'] / 1e6:.2f} MB |"
        )
    md.append("")
    md.append("## Results")
    md.append("")
    md.append("Wall time: median and min – max over the runs; *vs baseline* is the ratio of medians to the row's")
    md.append("baseline; CPU is user + system time; peak RSS is the process's maximum resident set (`ru_maxrss`;")
    md.append("for `lock + render`, the larger of the two processes).")
    for row in bench.rows:
        md.append("")
        title = row.workload + (f", {row.size:,} resources" if row.size else "")
        md.append(f"### {title}")
        md.append("")
        md.append("| " + " | ".join(HEADER) + " |")
        md.append("|---|---:|---:|---:|---:|---:|---|")
        for line in row_lines(row):
            md.append("| " + " | ".join(str(x) for x in line) + " |")
    reads = bench.reads or {}
    md.append("")
    md.append("### Decrypted store reads, in process")
    md.append("")
    if "readsPerSecond" in reads:
        runs = reads.get("runs", [reads["readsPerSecond"]])
        spread = f", {min(runs):,.0f} – {max(runs):,.0f}" if len(runs) > 1 else ""
        md.append(
            f"{reads['readsPerSecond']:,.0f} per second, the median of {len(runs)} run{'s' if len(runs) > 1 else ''}{spread}"
            f" (`cinch bench-store --json`, each on a fresh copy of the {reads.get('size', 100):,}-resource store; the median run: `{reads['raw']}`)."
        )
    else:
        md.append(reads.get("unavailable") or reads.get("failure", "not measured"))
    if bench.serve:
        md.append("")
        md.append("### `cinch serve` under load")
        md.append("")
        for line in serve_bench.lines(bench.serve):
            md.append(f"- {line}")
    if bench.failures:
        md.append("")
        md.append("## Failures in this run")
        md.append("")
        for failure in bench.failures:
            md.append(f"- {failure}")
    md.append("")
    md.append("## Method")
    md.append("")
    md.append("- cinch is the release build (`swift build -c release`). The floor is `Benchmarks/floor/floor.c`, built with")
    md.append("  `cc -O2 … -lyaml`: it reads the file, parses it with libyaml, finds every `{{resolve:…}}` in scalars and")
    md.append("  writes the output by copying the input bytes outside the reference spans (pinned forms or values from the")
    md.append("  seed, quoted for where they land). Its `parse` mode composes a located tree as `cinch parse` does; the")
    md.append("  *libyaml event loop* row is libyaml alone. The harness checks the floor found and replaced every reference.")
    md.append("- Each contender runs once untimed (page cache, lazy binding), then the contenders of a row run in turn,")
    md.append("  A B C A B C …, so load from other work on the machine falls on all of them alike. cfn-lint gets no warm-up")
    md.append("  run. Each process is started by `Benchmarks/tools/measure.c`, which forks it and reads wall time (fork to")
    md.append("  exit), CPU time and peak RSS from `wait4` for that process alone (spawned straight from Python, a process")
    md.append("  would report the interpreter's resident set as its own peak).")
    md.append("- A goal's verdict is taken on wall-time medians; its CPU-time ratio is given beside it, as CPU time")
    md.append("  suffers less from the other work these shared 2-core machines carry (see the load average above).")
    md.append("- Commands that do not exist yet are detected with `cinch help COMMAND` and reported as not available.")
    md.append("- Profiles are instruction counts from `valgrind --tool=callgrind` (`make bench-profile`), repeatable on a")
    md.append("  shared machine where wall time is not.")
    if os.path.exists(NOTES):
        md.append("")
        md.append("## Notes")
        md.append("")
        md.append(f"From `Benchmarks/NOTES.md` (written by hand, with the profile evidence):")
        md.append("")
        md.append(open(NOTES).read().strip())
    md.append("")
    return "\n".join(md)


# ------------------------------------------------------------------------------------------
# Profile


def profile(args):
    """callgrind instruction counts of `cinch parse` and of the floor's parse on one template (and
    of `cinch --version`, the cost of starting the process), with the functions where cinch
    spends them: exclusive (self) and inclusive counts, Swift names demangled."""
    if not shutil.which("valgrind"):
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    size = args.profile
    ensure_inputs([size])
    floor, why = build_floor(args.cc)
    # valgrind 3.19 dies in sigsuspend() under an async Swift main; see the shim's comment.
    shim, shim_why = build_c("tools/valgrind-sigsuspend.c", "valgrind-sigsuspend.so", args.cc, ["-shared", "-fPIC", "-ldl"])
    if not shim:
        print(f"bench: {shim_why}", file=sys.stderr)
        return 2
    path = os.path.join(INPUTS, f"bench-{size}.yaml")
    folder = os.path.join(OUT, "profile")
    os.makedirs(folder, exist_ok=True)
    targets = [
        ("cinch --version", [args.cinch, "--version"], True),
        ("cinch parse", [args.cinch, "parse", path], True),
    ]
    if floor:
        targets.append(("floor parse", [floor, "parse", path], False))
    else:
        print(f"floor: {why}", file=sys.stderr)
    totals = {}
    demangle = ["swift", "demangle", "--simplified"] if shutil.which("swift") else None
    for label, argv, swift in targets:
        out = os.path.join(folder, f"callgrind.{slug(label)}.{size}.out")
        env = clean_env({"LD_PRELOAD": shim} if swift else None)
        print(f"… callgrind {label}", file=sys.stderr, flush=True)
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        if "impossible" in result.stderr or not os.path.exists(out) or os.path.getsize(out) == 0:
            print(f"{label}: valgrind failed:\n{result.stderr[-800:]}", file=sys.stderr)
            return 1
        for inclusive in (False, True):
            report = subprocess.run(
                ["callgrind_annotate", "--threshold=100", f"--inclusive={'yes' if inclusive else 'no'}", out],
                capture_output=True,
                text=True,
            ).stdout
            if demangle:
                report = subprocess.run(demangle, input=report, capture_output=True, text=True).stdout or report
            total = re.search(r"^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", report, re.M)
            if not inclusive:
                totals[label] = int(total.group(1).replace(",", "")) if total else 0
                subject = "" if label == "cinch --version" else f" (bench-{size}.yaml)"
                print(f"\n{label}{subject}: {totals[label]:,} instructions  [{os.path.relpath(out, ROOT)}]")
            if label == "cinch --version" or (inclusive and not swift):
                break
            # Inclusive: the program's own functions below the command's entry points (the
            # call chain above them holds everything), each once.
            print(f"  {'inclusive, own code' if inclusive else 'self (exclusive)'}:")
            count = 0
            seen = set()
            for line in report.splitlines():
                match = re.match(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$", line)
                if not match or "PROGRAM TOTALS" in line:
                    continue
                name = re.sub(r"^\?\?\?:", "", match.group(3))
                if inclusive:
                    short = re.sub(r"^(/\S+/)?(Sources/)", r"\2", name.split(" [")[0])
                    if not short.startswith("Sources/") or float(match.group(2)) > 90 or short in seen:
                        continue
                    seen.add(short)
                    name = short
                print(f"    {match.group(2):>5}%  {match.group(1):>15}  {name[:150]}")
                count += 1
                if count == args.top:
                    break
    if totals.get("cinch parse") and totals.get("floor parse"):
        print(
            f"\ncinch parse / floor parse: {totals['cinch parse'] / totals['floor parse']:.1f}× the instructions "
            f"(process start alone: {totals.get('cinch --version', 0):,})"
        )
    return 0


# ------------------------------------------------------------------------------------------


def default_cinch() -> str:
    result = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
    return os.path.join(result.stdout.strip(), "cinch")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="cinch's benchmark harness")
    parser.add_argument("--cinch", help="the cinch binary to measure (default: the release build)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="template sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per contender (10,000 resources: at most 3)")
    parser.add_argument("--smoke", action="store_true", help="smallest size, one run each, no cfn-lint, no docs: proves the harness runs")
    parser.add_argument("--write-docs", action="store_true", help="write Docs/Performance.md")
    parser.add_argument("--build-time", action="store_true", help="also time a clean debug build of the package (minutes)")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="callgrind profile of cinch parse vs the floor on one size")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    parser.add_argument("--cc", help="C compiler for the floor (default: $CC, cc, clang, gcc)")
    args = parser.parse_args(argv)
    args.cinch = os.path.abspath(args.cinch or default_cinch())
    if not os.access(args.cinch, os.X_OK):
        parser.error(f"no cinch binary at {args.cinch}; build it first")
    if args.profile:
        return profile(args)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.smoke:
        args.sizes = [min(args.sizes)]
        args.runs = 1
        if args.write_docs:
            parser.error("--smoke never writes Docs/Performance.md")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    bench = Bench(args)
    bench.run()
    print_table(bench)
    if args.write_docs:
        with open(DOC, "w", encoding="utf-8") as f:
            f.write(markdown(bench))
        print(f"\nwrote {os.path.relpath(DOC, ROOT)}")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
