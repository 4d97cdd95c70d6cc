"""Start a Celery worker and the development web server together; stop both on
Ctrl+C. `make run` calls it after migrating and loading the demo academy.

The worker runs as a child process with its log in var/log/worker.log; the
command waits until it answers a ping through the configured broker before the
web server starts, so "the site is up" also means "background work runs".
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a Celery worker and the development server until Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, host, port, concurrency, **options):
        log = Path(settings.VAR_DIR) / "log" / "worker.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "academy_site", "worker",
                # -B: the periodic sweeps of CELERY_BEAT_SCHEDULE, in-process.
                "-B", "--loglevel=INFO", f"--concurrency={concurrency}",
                f"--logfile={log}",
            ],
            start_new_session=True,  # Ctrl+C reaches it only through stop_worker()
        )  # fmt: skip
        self.stdout.write(f"Celery worker started (pid {worker.pid}, log: {log}).")
        try:
            try:
                call_command("check_worker", wait=90)
            except CommandError:
                raise CommandError(
                    f"The worker did not answer; see {log}. Nothing else was started."
                ) from None
            base = f"http://{host}:{port}"
            self.stdout.write(
                self.style.SUCCESS(
                    f"\n  Cluster Academy: {base}/    admin: {base}/admin/"
                    "    (demo logins above; Ctrl+C stops the site and the worker)\n"
                )
            )
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"{host}:{port}"],
                cwd=settings.BASE_DIR,
            )
            try:
                server.wait()
            except KeyboardInterrupt:
                server.wait(timeout=10)
        finally:
            self.stop_worker(worker)

    def stop_worker(self, worker: subprocess.Popen) -> None:
        if worker.poll() is not None:
            return
        self.stdout.write("Stopping the Celery worker…")
        os.killpg(worker.pid, signal.SIGTERM)  # warm shutdown: finish running tasks
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
