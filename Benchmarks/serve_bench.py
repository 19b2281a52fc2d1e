"""The `cinch serve` rows of `make bench`: 4 concurrent clients × 2,000 signed GetParameter calls
(SecureString, decrypted) against `cinch serve` on loopback, and the same load, measured the same
way (Benchmarks/serve_load.py), against moto_server. Returns a dict the harness prints and writes
to Docs/Performance.md. Standard library only; moto_server is optional (its row then says why).
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
PARAMETER = "/bench/serve/dbpassword"
VALUE = "bench-value-not-a-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_load(endpoint, key, secret, clients, requests, timeout=900) -> dict:
    env = dict(os.environ, SERVE_LOAD_ACCESS_KEY=key, SERVE_LOAD_SECRET_KEY=secret)
    result = subprocess.run(
        [sys.executable, LOAD, "--endpoint", endpoint, "--name", PARAMETER, "--with-decryption",
         "--clients", str(clients), "--requests", str(requests)],
        capture_output=True, text=True, env=env, timeout=timeout)
    try:
        return json.loads(result.stdout)
    except ValueError:
        return {"failure": f"serve_load.py exited {result.returncode}: {result.stderr.strip()[-200:]}"}


def measure_cinch(cinch: str, clients: int, requests: int) -> dict:
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
            return {"failure": "cinch serve did not start: " + line.strip()[:160]}
        endpoint = line.split("http://", 1)[1].split()[0]
        report = run_load("http://" + endpoint, key["AccessKeyId"], key["SecretAccessKey"], clients, requests)
        started = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        report["exitStatus"] = server.wait(timeout=60)
        report["stopSeconds"] = round(time.perf_counter() - started, 3)
        return report
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        return {"failure": str(error)}
    finally:
        if server and server.poll() is None:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def measure_moto(clients: int, requests: int) -> dict:
    moto = shutil.which("moto_server")
    if not moto:
        return {"unavailable": "moto_server is not installed (Scripts/deps.sh installs moto[server])"}
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
                    return {"failure": "moto_server did not start"}
                time.sleep(0.5)
        sys.path.insert(0, HERE)
        from serve_load import signed_headers  # noqa: E402 - the same signer the load uses
        body = json.dumps({"Name": PARAMETER, "Value": VALUE, "Type": "SecureString", "Overwrite": True}).encode()
        headers = signed_headers(f"127.0.0.1:{port}", "us-east-1", "ssm", "AmazonSSM.PutParameter", body,
                                 "testing", "testing")
        urllib.request.urlopen(urllib.request.Request(endpoint + "/", data=body, headers=headers), timeout=30).read()
        return run_load(endpoint, "testing", "testing", clients, requests)
    except (OSError, subprocess.SubprocessError) as error:
        return {"failure": str(error)}
    finally:
        server.kill()
        server.wait()


def measure(cinch: str, smoke: bool) -> dict:
    clients, requests = (2, 100) if smoke else (4, 2000)
    result = {"clients": clients, "requests": requests, "cinch": measure_cinch(cinch, clients, requests)}
    result["moto"] = {"unavailable": "not run with --smoke"} if smoke else measure_moto(clients, requests)
    return result


def lines(serve: dict) -> list[str]:
    """Human lines for the table and the docs."""
    out = [f"{serve['clients']} clients × {serve['requests']:,} signed GetParameter calls each "
           "(SecureString, decrypted), keep-alive, on loopback (Benchmarks/serve_load.py):"]
    for name in ("cinch", "moto"):
        r = serve.get(name, {})
        label = "cinch serve" if name == "cinch" else "moto_server"
        if "callsPerSecond" in r:
            out.append(f"{label}: {r['callsPerSecond']:,.0f} calls/s, p50 {r['p50Milliseconds']} ms, "
                       f"p99 {r['p99Milliseconds']} ms, {r['failed']} failed of {r['requests']:,}"
                       + (f"; SIGTERM → exit {r['exitStatus']} in {r['stopSeconds']} s" if "exitStatus" in r else ""))
        else:
            out.append(f"{label}: {r.get('unavailable') or r.get('failure') or 'not measured'}")
    c, m = serve.get("cinch", {}), serve.get("moto", {})
    if c.get("callsPerSecond") and m.get("callsPerSecond"):
        out.append(f"cinch serve / moto_server: {c['callsPerSecond'] / m['callsPerSecond']:.1f}× (goal ≥ 30×)")
    return out
