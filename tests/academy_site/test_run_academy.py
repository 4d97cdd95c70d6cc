"""`manage.py run_academy` (what `make run` starts) stops its Celery worker,
the worker's beat and pool, and the web server whichever way it is stopped:
Ctrl+C, SIGTERM from a service manager or a container runtime, even SIGKILL.

Each test starts the command on the embedded defaults (SQLite, the filesystem
broker) in a folder of its own, waits until the web server listens (which the
command only starts once the worker has answered a ping), notes every process
descended from it, stops it, and then walks /proc until none of them is left.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.services import BASE_DIR, free_port, port_wait

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="walks /proc"),
    pytest.mark.embedded,
]

START_SECONDS = 120  # a worker's first start on two busy cores
STOP_SECONDS = 60  # the command's own bounds (10 s + 20 s) and some margin


def process_table() -> dict[int, dict]:
    """Every process now running: pid -> ppid, session, state, start time
    (the pid and its start time name a process even after the pid is reused)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:  # ended while the table was read
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry)] = {
            "state": fields[0],
            "ppid": int(fields[1]),
            "session": int(fields[3]),
            "started": fields[19],
            "cmdline": cmdline.replace(b"\0", b" ").decode(errors="replace"),
        }
    return table


def family_of(root: int) -> dict[int, dict]:
    """`root` and all its descendants."""
    table = process_table()
    family, frontier = {}, [root]
    while frontier:
        pid = frontier.pop()
        if pid in table and pid not in family:
            family[pid] = table[pid]
            frontier.extend(p for p, info in table.items() if info["ppid"] == pid)
    return family


def survivors(family: dict[int, dict]) -> list[str]:
    """Processes of `family`, or in any of its sessions, still running (a
    zombie has ended; only its exit status waits to be collected)."""
    sessions = {info["session"] for info in family.values()}
    return [
        f"{pid} {info['cmdline']}"
        for pid, info in process_table().items()
        if info["state"] != "Z"
        and (
            (pid in family and family[pid]["started"] == info["started"])
            or info["session"] in sessions
        )
    ]


def survivors_wait(family: dict[int, dict], seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := survivors(family)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.fixture
def academy(tmp_path):
    """`manage.py run_academy` up, with its worker answering; yields the
    command's process and every process it started."""
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "CELERY_RESULT_BACKEND",
            "WAGTAILADMIN_BASE_URL",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="academy_site.settings.dev",
        ACADEMY_VAR_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "run_academy.log"
    with log.open("wb") as output:
        command = subprocess.Popen(
            [sys.executable, "manage.py", "run_academy", "--port", str(port)]
            + ["--concurrency", "1"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own session: the signals below reach nothing else of the suite.
            start_new_session=True,
        )
    family = {}
    try:
        try:
            port_wait(port, seconds=START_SECONDS, what="run_academy", process=command)
        except RuntimeError as error:
            pytest.fail(f"{error}\n{log.read_text(errors='replace')}")
        family = family_of(command.pid)
        # The worker answered a ping through the broker before the web server
        # was started.
        assert "is consuming tasks" in log.read_text(), log.read_text()
        lines = [info["cmdline"] for info in family.values()]
        assert any("celery" in line and " worker -B" in line for line in lines), lines
        assert any("runserver" in line for line in lines), lines
        yield command, family, log, port
    finally:
        # Whatever the test left running (a failed assertion) is ended here.
        if command.poll() is None:
            command.kill()
            command.wait()
        for session in {info["session"] for info in family.values()}:
            try:
                os.killpg(session, signal.SIGKILL)
            except ProcessLookupError:
                pass


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().partition("=")[::2] for item in raw if item)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_academy_stops_every_process_it_started(academy, stop):
    command, family, log, port = academy
    # Links in e-mails and on certificates follow the port served, in the
    # worker that makes them as in the web server.
    base = f"http://127.0.0.1:{port}"
    assert f"Links in e-mails and on certificates: {base}/" in log.read_text()
    for pid, info in family.items():
        if "worker -B" in info["cmdline"] or "runserver" in info["cmdline"]:
            assert environ_of(pid)["WAGTAILADMIN_BASE_URL"] == base

    command.send_signal(stop)

    assert command.wait(timeout=STOP_SECONDS) == 0, log.read_text()
    assert survivors_wait(family, STOP_SECONDS) == []


def test_killing_the_academy_still_stops_every_process_it_started(academy):
    command, family, log, _port = academy

    command.kill()  # SIGKILL: the command itself cannot clean up

    command.wait(timeout=STOP_SECONDS)
    assert survivors_wait(family, STOP_SECONDS) == []


@pytest.mark.parametrize(
    "host, port, url",
    [
        ("127.0.0.1", "8301", "http://127.0.0.1:8301"),
        ("0.0.0.0", "8000", "http://127.0.0.1:8000"),
        ("academy.local", "80", "http://academy.local:80"),
        ("::1", "8301", "http://[::1]:8301"),
    ],
)
def test_the_served_address_is_the_one_links_use(host, port, url):
    from academy_site.management.commands.run_academy import served_base_url

    assert served_base_url(host, port) == url
