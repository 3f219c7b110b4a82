"""A bounded local load test of the web server: stored briefings under concurrent readers.

    .venv/bin/python bench/web_load.py [--clients 20] [--seconds 30] [--embedder auto]

Starts ``newsbrief serve`` as its own process on a free 127.0.0.1 port, with a
fresh temporary home. It puts the example story (examples/port-strike/) into the
library through the API when the library routes exist, else briefs it as an
in-memory briefing, then runs ``--clients`` concurrent clients for
``--seconds``: each asks in a loop for the briefing as JSON, the briefing page,
and (with a library) the stories list. Loopback only; nothing leaves the machine.

Prints requests per second, latency percentiles, and every non-2xx answer or
transport error (the goal: none). The first request builds the rendered
briefing; the rest must come from the server's cache.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "port-strike"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: str, port: int, embedder: str) -> subprocess.Popen:
    env = {**os.environ, "NEWSBRIEF_HOME": home, "NEWSBRIEF_EMBEDDER": embedder}
    process = subprocess.Popen([sys.executable, "-m", "newsbrief", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start: " + process.stderr.read().decode()[-2000:])


def example_files() -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (p.name, p.read_bytes())) for p in sorted(EXAMPLE.iterdir()) if p.is_file()]


def prepare(base: str) -> tuple[list[str], str]:
    """Put the example story on the server; returns the URLs to load and what they are."""
    with httpx.Client(base_url=base, timeout=300) as client:
        paths = {route for route in client.get("/openapi.json").json()["paths"]}
        if "/api/articles/upload" in paths:
            added = client.post("/api/articles/upload", files=example_files())
            added.raise_for_status()
            story = added.json()["stories"][0]["id"]
            urls = [f"/api/stories/{story}/briefing", f"/stories/{story}", "/api/stories"]
            kind = "a library story"
        else:
            job = client.post("/api/briefings/upload?wait=true", files=example_files())
            job.raise_for_status()
            job_id = job.json()["id"]
            urls = [f"/api/briefings/{job_id}", f"/briefings/{job_id}"]
            kind = "an in-memory briefing (no library routes on this server)"
        for url in urls:  # the first request of each builds what the cache then serves
            client.get(url).raise_for_status()
    return urls, kind


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def client_loop(client: httpx.AsyncClient, urls: list[str], until: float, offset: int,
                      latencies: dict[str, list[float]], failures: list[str]) -> None:
    turn = offset
    while time.monotonic() < until:
        url = urls[turn % len(urls)]
        turn += 1
        start = time.perf_counter()
        try:
            response = await client.get(url)
            await response.aread()
            if response.status_code >= 300:
                failures.append(f"{url}: HTTP {response.status_code}")
        except httpx.HTTPError as exc:
            failures.append(f"{url}: {type(exc).__name__} {exc}")
        latencies[url].append(time.perf_counter() - start)


async def run_load(base: str, urls: list[str], clients: int,
                   seconds: float) -> tuple[dict[str, list[float]], list[str], float]:
    latencies: dict[str, list[float]] = {url: [] for url in urls}
    failures: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(*(client_loop(client, urls, until, n, latencies, failures) for n in range(clients)))
        elapsed = time.monotonic() - started
    return latencies, failures, elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(times: list[float]) -> str:
    return "n {:>6}  latency ms p50 {:7.1f}  p95 {:7.1f}  p99 {:7.1f}  max {:7.1f}".format(
        len(times), *(1000 * percentile(times, q) for q in (50, 95, 99)), 1000 * max(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--embedder", default="auto")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsbrief-load-") as home:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(home, port, args.embedder)
        try:
            urls, kind = prepare(base)
            cpu_before = cpu_seconds(server.pid)
            by_url, failures, elapsed = asyncio.run(run_load(base, urls, args.clients, args.seconds))
            server_cpu = cpu_seconds(server.pid) - cpu_before
        except httpx.HTTPError:
            server.terminate()
            print(server.stderr.read().decode()[-3000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)

    latencies = [t for times in by_url.values() for t in times]
    total = len(latencies)
    print(f"server: newsbrief serve on {base} (one uvicorn worker process); load: {kind}")
    print(f"{args.clients} concurrent clients for {elapsed:.1f} s: {total} requests, {len(failures)} failed")
    print(f"throughput: {total / elapsed:.1f} requests/s; server CPU {1000 * server_cpu / max(total, 1):.2f} ms/request "
          f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"all          {summary(latencies)}")
    for url, times in by_url.items():
        print(f"{url:<12} {summary(times)}")
    for failure in failures[:10]:
        print("failure:", failure)
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
