"""Start a Celery worker and the development web server together; stop both
however the command is stopped. `make run` calls it after migrating and
loading the demo academy.

The worker runs as a child process with its log in var/log/worker.log; the
command waits until it answers a ping through the configured broker before the
web server starts, so "the site is up" also means "background work runs".

Stopping: Ctrl+C (SIGINT), SIGTERM (a service manager or a container runtime)
and SIGHUP (the terminal closed) all stop the web server, then the worker with
a warm shutdown (running tasks finish; the embedded beat and the pool stop with
it), and the command exits. Each child runs in a session of its own, so a
signal meant for the command reaches the children only through it, once and in
that order. On Linux each child also asks the kernel (PR_SET_PDEATHSIG) for a
SIGTERM when the command dies, so even a SIGKILL of the command leaves nothing
running; the worker's pool processes do the same towards the worker (Celery's
prefork pool sets it).
"""

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
# Bounded stops: the web server has nothing to finish; the worker may be in the
# middle of a certificate, which takes well under a second.
SERVER_STOP_SECONDS = 10
WORKER_STOP_SECONDS = 20


# Addresses a server listens on that nobody browses to.
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def served_base_url(host: str, port: str) -> str:
    """The address the site is served at, for links in e-mails and on
    certificates: what the web server binds, with a wildcard address read
    as this machine."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Stopped(Exception):
    """One of STOP_SIGNALS arrived."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_requested(signum, frame) -> None:
    raise Stopped(signum)


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold STOP_SIGNALS back while a child is started, so that a stop never
    lands between the fork and the moment the command knows the child's pid
    (the child lets them through again in `child_setup`)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def child_setup_for(parent_pid: int) -> Callable[[], None]:
    """A preexec_fn: the child receives SIGTERM when the command dies (Linux),
    and the stop signals held back by `stop_signals_held` reach it again."""
    prctl = None
    if sys.platform.startswith("linux"):
        # Loaded before the fork: a preexec_fn should do as little as it can.
        prctl = ctypes.CDLL(None, use_errno=True).prctl

    def child_setup() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
            if os.getppid() != parent_pid:
                # The command died before the request was made: no signal
                # will come, so do not start at all.
                os._exit(1)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    return child_setup


class Command(BaseCommand):
    help = "Run a Celery worker and the development server until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Restart the web server when code changes. Its reloader runs "
            "the server in a grandchild, which a SIGKILL of this command "
            "leaves running.",
        )

    def handle(self, *args, host, port, concurrency, reload, **options):
        previous = {
            signum: signal.signal(signum, stop_requested) for signum in STOP_SIGNALS
        }
        worker = server = None
        # Links in e-mails and on certificates (made by the worker) and on
        # pages follow the address served here, unless one is configured.
        base = os.environ.setdefault(
            "WAGTAILADMIN_BASE_URL", served_base_url(host, port)
        )
        settings.WAGTAILADMIN_BASE_URL = base
        try:
            log = Path(settings.VAR_DIR) / "log" / "worker.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            worker = self.child_start(
                [
                    sys.executable, "-m", "celery", "-A", "academy_site", "worker",
                    # -B: the periodic sweeps of CELERY_BEAT_SCHEDULE, in-process.
                    "-B", "--loglevel=INFO", f"--concurrency={concurrency}",
                    f"--logfile={log}",
                ]
            )  # fmt: skip
            self.say(f"Celery worker started (pid {worker.pid}, log: {log}).")
            try:
                call_command("check_worker", wait=90)
            except CommandError:
                raise CommandError(
                    f"The worker did not answer; see {log}. Nothing else was started."
                ) from None
            served = served_base_url(host, port)
            hint = (
                "  (set WAGTAILADMIN_BASE_URL to the address others reach this "
                "machine at)"
                if host in WILDCARD_HOSTS and base == served
                else ""
            )
            self.say(
                self.style.SUCCESS(
                    f"\n  Cluster Academy: {served}/    admin: {served}/admin/"
                    "    (demo logins above; Ctrl+C stops the site and the worker)"
                    f"\n  Links in e-mails and on certificates: {base}/{hint}\n"
                )
            )
            server = self.child_start(
                [sys.executable, "manage.py", "runserver", f"{host}:{port}"]
                + ([] if reload else ["--noreload"])
            )
            server.wait()
        except Stopped as stopped:
            self.say(f"\n{stopped} received.")
        finally:
            # Stopping is bounded by the timeouts below; a second Ctrl+C must
            # not cut it short and leave the worker running.
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            self.child_stop(server, "web server", SERVER_STOP_SECONDS)
            self.child_stop(worker, "Celery worker", WORKER_STOP_SECONDS)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def child_start(self, command: list[str]) -> subprocess.Popen:
        with stop_signals_held():
            return subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                start_new_session=True,
                preexec_fn=child_setup_for(os.getpid()),
            )

    def child_stop(self, child: subprocess.Popen | None, name: str, seconds) -> None:
        """SIGTERM to the child's whole session (for the worker: a warm
        shutdown), SIGKILL after `seconds`."""
        if child is None or child.poll() is not None:
            return
        self.say(f"Stopping the {name}…")
        try:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        except ProcessLookupError:
            child.wait()

    def say(self, message: str) -> None:
        # After SIGHUP the terminal may be gone; the children must still stop.
        try:
            self.stdout.write(message)
            self.stdout.flush()
        except OSError:
            pass
