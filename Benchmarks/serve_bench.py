"""The `cinch serve` rows of `make bench`: 4 concurrent clients × 2,000 signed GetParameter calls
(SecureString, decrypted) against `cinch serve` on loopback, and the same load, measured the same
way, against moto_server; the primary client runs it three times against each and the median run
is reported.

The primary measurement uses the native load client (Benchmarks/tools/serve_load.c: C, a thread
per client, a few microseconds of CPU per call), so that on a small machine the figure is the
server's and not the client's. The same load from the Python client (Benchmarks/serve_load.py,
http.client, a process per client, ~0.4 ms of CPU per call) is measured as well and reported as a
second, labelled pair: it shows what a Python client costs, and on 2 cores it bounds the figure.
Both clients take the same flags and print the same JSON. If the native client cannot be built
(no C compiler, no libcrypto headers) the Python client alone is measured and the lines say so.

The CPU each client process uses (user + system, its threads or worker processes included, from
wait4) is reported per call. `--smoke` runs both clients against `cinch serve` only, with small
counts. Returns a dict the harness prints and writes to Docs/Performance.md. Standard library
only; moto_server is optional (its rows then say why).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LOAD = os.path.join(HERE, "serve_load.py")
NATIVE_SOURCE = "tools/serve_load.c"
PARAMETER = "/bench/serve/dbpassword"
VALUE = "bench-value-not-a-secret"
SERVERS = (("cinch", "cinch serve"), ("moto", "moto_server"))
CLIENTS = {"native": "native client", "python": "Python client"}
# Runs of the primary client's load against each server; the median is reported (one run of
# 8,000 calls varies by ~10% from the next on these shared machines).
ROUNDS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_native(cc: str | None = None) -> tuple[str | None, str]:
    """Builds the native client into Benchmarks/out/serve_load with run.py's `build_c` (the
    compiler and output folder the floor uses). Returns (binary or None, why not)."""
    import run  # noqa: E402 - imported here: run.py imports this module

    return run.build_serve_load(cc)


def run_load(argv, key, secret, clients, requests, timeout=900) -> dict:
    """Runs one load client (`argv` without its load flags) and returns its JSON report, with the
    CPU time the client process used (wait4: user + system, its reaped children included)."""
    env = dict(os.environ, SERVE_LOAD_ACCESS_KEY=key, SERVE_LOAD_SECRET_KEY=secret)
    command = [*argv, "--name", PARAMETER, "--with-decryption", "--clients", str(clients), "--requests", str(requests)]
    name = os.path.basename(argv[1] if argv[0] == sys.executable else argv[0])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(status)
                return {"failure": f"{name} did not finish within {timeout} s"}
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    try:
        report = json.loads(stdout)
    except ValueError:
        return {"failure": f"{name} exited {process.returncode}: {stderr.strip()[-200:]}"}
    cpu = usage.ru_utime + usage.ru_stime
    report["clientCpuSeconds"] = round(cpu, 3)
    calls = report.get("requests") or 0
    report["clientCpuMicrosecondsPerCall"] = round(cpu / calls * 1e6, 1) if calls else None
    return report


def clients_argv(native: str | None) -> dict:
    """The load clients to run, primary first: {"native": argv, "python": argv}."""
    argv = {}
    if native:
        argv["native"] = [native]
    argv["python"] = [sys.executable, LOAD]
    return argv


def run_clients(clients: dict, endpoint, key, secret, count, requests, rounds: int = 1) -> dict:
    """{client: report}. The primary client (the first) runs the load `rounds` times in a row
    against the same server and its report is the median run's (by calls per second), with
    every run's figure in "roundsCallsPerSecond"; a run with failures is reported instead of the
    median, so that no failure is hidden. The others run once."""
    reports = {}
    for index, (which, argv) in enumerate(clients.items()):
        runs = [run_load([*argv, "--endpoint", endpoint], key, secret, count, requests)
                for _ in range(rounds if index == 0 else 1)]
        reports[which] = median_run(runs)
    return reports


def median_run(runs: list[dict]) -> dict:
    failed = [r for r in runs if "failure" in r or r.get("failed") or r.get("callsPerSecond") is None]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: r["callsPerSecond"])
    median = dict(ordered[len(ordered) // 2])
    if len(runs) > 1:
        median["roundsCallsPerSecond"] = [r["callsPerSecond"] for r in runs]
    return median


def measure_cinch(cinch: str, clients: dict, count: int, requests: int, rounds: int = 1) -> dict:
    """{client: report} for `cinch serve`, every client against one server in turn; the primary
    client's report also gets how the server answered SIGTERM afterwards."""
    folder = tempfile.mkdtemp(prefix="cinch-serve-bench-")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder,
           "CINCH_STORE": os.path.join(folder, "store.db"), "AWS_REGION": "us-east-1"}
    server = None
    try:
        def cinch_run(*arguments):
            result = subprocess.run([cinch, *arguments], capture_output=True, text=True, env=env)
            if result.returncode != 0:
                raise RuntimeError(f"cinch {' '.join(arguments[:2])}: {result.stderr.strip()[:200]}")
            return result.stdout
        cinch_run("init")
        key = json.loads(cinch_run("iam", "create-access-key"))["AccessKey"]
        cinch_run("ssm", "put-parameter", "--name", PARAMETER, "--value", VALUE, "--type", "SecureString")
        server = subprocess.Popen([cinch, "serve", "--listen", "127.0.0.1:0"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = server.stdout.readline()
        if "http://" not in line:
            return {which: {"failure": "cinch serve did not start: " + line.strip()[:160]} for which in clients}
        endpoint = "http://" + line.split("http://", 1)[1].split()[0]
        reports = run_clients(clients, endpoint, key["AccessKeyId"], key["SecretAccessKey"], count, requests,
                              rounds)
        started = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=60)
        primary = reports[next(iter(clients))]
        primary["exitStatus"] = status
        primary["stopSeconds"] = round(time.perf_counter() - started, 3)
        return reports
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        return {which: {"failure": str(error)} for which in clients}
    finally:
        if server and server.poll() is None:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def measure_moto(clients: dict, count: int, requests: int, rounds: int = 1) -> dict:
    """{client: report} for moto_server, seeded with the same SecureString."""
    moto = shutil.which("moto_server")
    if not moto:
        why = {"unavailable": "moto_server is not installed (Scripts/deps.sh installs moto[server])"}
        return {which: dict(why) for which in clients}
    port = free_port()
    server = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    return {which: {"failure": "moto_server did not start"} for which in clients}
                time.sleep(0.5)
        sys.path.insert(0, HERE)
        from serve_load import signed_headers  # noqa: E402 - the same signer the load uses
        body = json.dumps({"Name": PARAMETER, "Value": VALUE, "Type": "SecureString", "Overwrite": True}).encode()
        headers = signed_headers(f"127.0.0.1:{port}", "us-east-1", "ssm", "AmazonSSM.PutParameter", body,
                                 "testing", "testing")
        urllib.request.urlopen(urllib.request.Request(endpoint + "/", data=body, headers=headers), timeout=30).read()
        return run_clients(clients, endpoint, "testing", "testing", count, requests, rounds)
    except (OSError, subprocess.SubprocessError) as error:
        return {which: {"failure": str(error)} for which in clients}
    finally:
        server.kill()
        server.wait()


def measure(cinch: str, smoke: bool, native: tuple[str | None, str] | None = None, cc: str | None = None) -> dict:
    """Both servers (with `smoke`: `cinch serve` only, small counts) under every available client.

    `native` is (binary, why not) from `build_native`; built here when not given. The result:
    {"clients", "requests", "client": the primary client ("native", or "python" when the native
    one could not be built), "nativeUnavailable": why (only then), "cinch"/"moto": the primary
    client's reports, "python": {"cinch", "moto"} the Python client's (only when the primary is
    native)}."""
    count, requests, rounds = (2, 100, 1) if smoke else (4, 2000, ROUNDS)
    binary, why = native if native is not None else build_native(cc)
    clients = clients_argv(binary)
    cinch_reports = measure_cinch(cinch, clients, count, requests, rounds)
    if smoke:
        moto_reports = {which: {"unavailable": "not run with --smoke"} for which in clients}
    else:
        moto_reports = measure_moto(clients, count, requests, rounds)
    primary = next(iter(clients))
    result = {"clients": count, "requests": requests, "client": primary,
              "cinch": cinch_reports[primary], "moto": moto_reports[primary]}
    if primary == "python":
        result["nativeUnavailable"] = why
    else:
        result["python"] = {"cinch": cinch_reports["python"], "moto": moto_reports["python"]}
    return result


def results(serve: dict) -> list[tuple[str, dict]]:
    """Every (label, report) of a `measure` result, primary pair first, for failure checks."""
    primary = CLIENTS[serve.get("client", "python")]
    out = [(f"{name}, {primary}", serve.get(name, {})) for name, _ in SERVERS]
    for name, _ in SERVERS:
        if "python" in serve:
            out.append((f"{name}, {CLIENTS['python']}", serve["python"].get(name, {})))
    return out


def pair_lines(pair: dict, suffix: str) -> list[str]:
    out = []
    for name, label in SERVERS:
        r = pair.get(name, {})
        label += suffix
        if "callsPerSecond" in r and r.get("callsPerSecond") is not None:
            text = f"{label}: {r['callsPerSecond']:,.0f} calls/s"
            rounds = r.get("roundsCallsPerSecond")
            if rounds:
                text += f" (median of {len(rounds)} runs: " + ", ".join(f"{v:,.0f}" for v in rounds) + ")"
            text += (f", p50 {r['p50Milliseconds']} ms, p99 {r['p99Milliseconds']} ms, "
                     f"{r['failed']} failed of {r['requests']:,}")
            if r.get("clientCpuMicrosecondsPerCall") is not None:
                text += f"; client CPU {r['clientCpuMicrosecondsPerCall']:,.0f} µs per call"
            if r.get("connections", 0) > r.get("clients", 0):
                text += f"; {r['connections']:,} connections (the server closed them)"
            if r.get("retried"):
                text += f"; {r['retried']:,} requests sent again (kept-alive connection found closed)"
            if "exitStatus" in r:
                text += f"; SIGTERM → exit {r['exitStatus']} in {r['stopSeconds']} s"
            out.append(text)
        else:
            out.append(f"{label}: {r.get('unavailable') or r.get('failure') or 'not measured'}")
    c, m = pair.get("cinch", {}), pair.get("moto", {})
    if c.get("callsPerSecond") and m.get("callsPerSecond"):
        note = "goal ≥ 30×" if not suffix else "the client bounds this pair; the goal is the native pair's"
        out.append(f"cinch serve / moto_server{suffix}: {c['callsPerSecond'] / m['callsPerSecond']:.1f}× ({note})")
    return out


def lines(serve: dict) -> list[str]:
    """Human lines for the table and the docs."""
    native = serve.get("client") == "native"
    head = (f"{serve['clients']} clients × {serve['requests']:,} signed GetParameter calls each "
            "(SecureString, decrypted), keep-alive where the server allows it, on loopback; ")
    if native:
        out = [head + "native load client (Benchmarks/tools/serve_load.c: C, a thread per client):"]
    else:
        out = [head + "Python load client (Benchmarks/serve_load.py); the native client was not built: "
               + (serve.get("nativeUnavailable") or "unknown reason")]
    out += pair_lines(serve, "")
    if native and "python" in serve:
        out.append("The same load from the Python client (Benchmarks/serve_load.py: http.client, a process per "
                   "client), which shows what a Python client costs; on a small machine it bounds these figures:")
        out += pair_lines(serve["python"], " (Python client)")
    return out
