"""Load generators for benchmarks/load.py: wrk when installed, else threads.

Both report the same figures for one URL over a bounded time: requests per
second, p50 and p99 latency in milliseconds, responses by status (200, 429,
anything else) and socket errors. wrk counts every 2xx and 3xx as a success;
its Lua hooks below count the statuses themselves, so a redirect (to the log-in
page, or to https) is an error here, as it would be for a real visitor.
"""

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

# wrk runs one Lua state per thread; done() adds up the threads' counters.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; limited = 0; other = 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 429 then limited = limited + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local o, l, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); l = l + t:get("limited"); x = x + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d ok=%d limited=%d "
    .. "other=%d socket=%d\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), o, l, x,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Figures:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    ok: int
    limited: int
    other: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def errors(self, *, limited_expected: bool = False) -> int:
        """Non-200 answers and socket errors; 429 only when it was not expected."""
        return (
            self.other + self.socket_errors + (0 if limited_expected else self.limited)
        )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    *, url: str, headers: dict, seconds: int, concurrency: int, threads: int = 2
) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = ["wrk", "--latency", "-s", script.name]
        command += [f"-t{min(threads, concurrency)}", f"-c{concurrency}"]
        command += [f"-d{seconds}s", "--timeout", "10s"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            command + [url], capture_output=True, text=True, check=True
        ).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    values = dict(item.split("=") for item in match.group(1).split())
    return Figures(
        requests=int(values["requests"]),
        seconds=int(values["duration_us"]) / 1e6,
        p50_ms=int(values["p50_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
        ok=int(values["ok"]),
        limited=int(values["limited"]),
        other=int(values["other"]),
        socket_errors=int(values["socket"]),
    )


class SourceAddresses:
    """Loopback source addresses (127.0.0.2, 127.0.0.3, ...), each handed out
    for at most `per_address` requests: many visitors, each within a limit
    that is counted per client address."""

    def __init__(self, per_address: int | None):
        self.per_address = per_address
        self.count = 0
        self.lock = threading.Lock()

    def next(self) -> str | None:
        if self.per_address is None:
            return None
        with self.lock:
            n = 2 + self.count // self.per_address
            self.count += 1
        return f"127.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def run_threads(
    *,
    host: str,
    port: int,
    path: str,
    headers: dict,
    seconds: int,
    concurrency: int,
    per_address: int | None = None,
) -> Figures:
    """`concurrency` threads, each a client with a keep-alive connection,
    reconnecting when the server closes it. With `per_address`, every
    connection comes from a loopback address used for at most that many
    requests."""
    addresses = SourceAddresses(per_address)
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "limited": 0, "other": 0, "socket": 0}

    def client() -> None:
        mine: list[float] = []
        local = dict.fromkeys(counts, 0)
        connection = None
        while time.perf_counter() < deadline:
            if connection is None or per_address is not None:
                if connection is not None:
                    connection.close()
                source = addresses.next()
                connection = http.client.HTTPConnection(
                    host,
                    port,
                    timeout=10,
                    source_address=(source, 0) if source else None,
                )
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                local["socket"] += 1
                connection.close()
                connection = None
                continue
            mine.append((time.perf_counter() - began) * 1000)
            status = response.status
            key = "ok" if status == 200 else "limited" if status == 429 else "other"
            local[key] += 1
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)
            for key, value in local.items():
                counts[key] += value

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(share: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(len(latencies) * share))]

    return Figures(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        ok=counts["ok"],
        limited=counts["limited"],
        other=counts["other"],
        socket_errors=counts["socket"],
    )
