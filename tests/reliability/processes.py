"""Processes the reliability tests kill on purpose: a Celery worker that is
SIGKILLed and restarted, and a Redis server of the test's own (the shared one
cannot be stopped)."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.services import BASE_DIR, database_url_of_test_database, port_wait


class KillableWorker:
    """`celery -A academy_site worker` in its own process group, started and
    killed as often as a test likes; every start appends to one log file."""

    def __init__(self, *, broker_url: str, log: Path, extra_env: dict | None = None):
        from django.conf import settings

        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "academy_site.settings.test",
            "DATABASE_URL": database_url_of_test_database(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.log = log
        self.process = None
        self.starts = 0
        self.kills = 0

    def start(self, *, pool: str = "prefork", concurrency: int = 2):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        with self.log.open("ab") as log:
            log.write(f"\n=== start {self.starts} ===\n".encode())
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "academy_site",
                    "worker",
                    f"--pool={pool}",
                    f"--concurrency={concurrency}",
                    "--loglevel=INFO",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    f"--hostname=crash-worker-{os.getpid()}-{self.starts}@%h",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """SIGKILL the main process and its pool children at once: nothing gets
        to acknowledge, roll back or clean up."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.kills += 1
        self.process = None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class RedisServer:
    """A throw-away `redis-server` (no persistence) on a fixed port, stopped
    and started again by the outage tests."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            port_wait(self.port, seconds=10, what="redis-server", process=self.process)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Kill it: clients see the connection refused, as in a real outage."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
