"""Load test: the public pages under gunicorn with production settings.

Creates (or reuses) the PostgreSQL database `academy_load`, migrates, loads
the demo academy and scales it up to 300 courses, 10,000 trainees and 50,000
enrolments with bulk_create (benchmarks/_load_data.py), collects the static
files into a temporary STATIC_ROOT (whitenoise serves them), then starts
gunicorn on academy_site.settings.production (PostgreSQL, Redis DB 8 for the
cache and the broker, 2 sync workers, 127.0.0.1 on a free port in 8700-8799),
logs the demo trainee in through the log-in form and drives each page with
wrk (or, without wrk, a threaded Python client) for a bounded time:

- the home page, the catalogue, a demo course page (visitors), My learning
  (the demo trainee), the teaching pages (the demo instructor: her runs and a
  run's attendance overview), the verification page of a real issued
  certificate;
- a bare Wagtail page (a plain wagtailcore.Page with Wagtail's own template,
  no query or template of ours), the baseline for the overhead column.

HTTPS: production redirects http to https (SECURE_SSL_REDIRECT). The server
runs as it would behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER_ENABLED
is set and every request carries `X-Forwarded-Proto: https`; the redirect stays
on, so a request that missed the header would show up as an error.

Verification is limited to 30 look-ups a minute per client address
(certificates/ratelimit.py, a constant with no setting). wrk, from one
address, measures the limited path (the first look-ups answer 200, the rest
429, which counts as expected there). The page itself is then measured with
the threaded client from many loopback addresses (127.0.0.2, ...), each used
for at most 25 look-ups, as many visitors would be, side by side with the bare
page from the same client.

Prints requests/s, p50 and p99 ms, errors (non-200 answers and socket
errors), the CPU gunicorn's workers spent per request (steadier than the
rates on a shared machine) and each page's SQL queries and render time, all
against the bare page; exits non-zero on any error. gunicorn is stopped at
the end, on Ctrl+C and SIGTERM and on any failure.

    .venv/bin/python benchmarks/load.py [--seconds 20] [--concurrency 8]
    .venv/bin/python benchmarks/load.py --rebuild   # drop and rebuild the data
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from _load_client import (  # noqa: E402
    Figures,
    run_threads,
    run_wrk,
    wrk_available,
)

DB_NAME = "academy_load"
# The demo's instructor (academy_site/demo/people.py): the teaching pages.
INSTRUCTOR = "milica@academy.local"
REDIS_URL = "redis://127.0.0.1:6379/8"
HOST = "127.0.0.1"
PORTS = range(8700, 8800)
# Below the 30 look-ups a minute the verification page allows one address.
LOOKUPS_PER_ADDRESS = 25
# As a TLS-terminating proxy in front of gunicorn would say.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="per URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--rebuild", action="store_true", help=f"drop and rebuild {DB_NAME}"
    )
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--enrolments", type=int, default=50_000)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DATABASE_CONN_MAX_AGE for gunicorn (production's default is 60)",
    )
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator (auto: wrk when installed)",
    )
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and wrk_available())

    # gunicorn gets the caller's environment and production's, not what
    # prepare() sets for the in-process work (brokers, e-mail).
    environ = dict(os.environ)
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="academy-load-"))
    # The certificate PDFs the demo renders, kept with the reused database.
    media_root = Path(tempfile.gettempdir()) / f"{DB_NAME}-media"
    if args.rebuild:
        shutil.rmtree(media_root, ignore_errors=True)
    env = production_env(
        port=port,
        static_root=work / "static",
        media_root=media_root,
        conn_max_age=args.conn_max_age,
    )
    server = None
    # Ctrl+C (even when started with SIGINT ignored, as a background job is)
    # and SIGTERM unwind through the finally below, which stops gunicorn.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        prepared = prepare(args, env=env)
        server = start_gunicorn(
            env={**environ, **env}, port=port, log=work / "gunicorn.log"
        )
        cookie = log_in(
            port=port, email=prepared["trainee"], password=prepared["password"]
        )
        teacher = log_in(
            port=port, email=INSTRUCTOR, password=prepared["instructor_password"]
        )
        return measure(
            args,
            port=port,
            prepared=prepared,
            cookie=cookie,
            teacher=teacher,
            wrk=use_wrk,
            server=server.pid,
        )
    finally:
        if server is not None:
            stop(server)
        if (work / "gunicorn.log").exists():
            report_log(work / "gunicorn.log")
        shutil.rmtree(work, ignore_errors=True)


def report_log(log: Path) -> None:
    """What gunicorn and Django logged (WARNING and up): the 429 answers of the
    rate-limited run are expected; anything else is shown."""
    lines = log.read_text().splitlines() if log.exists() else []
    expected = [line for line in lines if line.startswith("Too Many Requests:")]
    others = [line for line in lines if line not in expected]
    print(
        f"\nServer log: {len(expected)} 'Too Many Requests' warnings (the limited "
        f"verification run), {len(others)} other lines"
    )
    for line in others[-40:]:
        print(f"  {line}")


def production_env(
    *, port: int, static_root: Path, media_root: Path, conn_max_age: int
) -> dict:
    """What academy_site/settings/production.py requires, for a loopback run."""
    from certificates.credentials.keys import key_generate_pem

    return {
        "DJANGO_SETTINGS_MODULE": "academy_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DB_NAME}",
        "DATABASE_CONN_MAX_AGE": str(conn_max_age),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CACHE_URL": REDIS_URL,
        "DEFAULT_FROM_EMAIL": "Cluster Academy <academy@localhost>",
        "WAGTAILADMIN_BASE_URL": f"https://{HOST}:{port}",
        "ACADEMY_SIGNING_KEY": key_generate_pem(),
        "SECURE_PROXY_SSL_HEADER_ENABLED": "true",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port in {PORTS.start}-{PORTS.stop - 1}.")


def prepare(args, *, env: dict) -> dict:
    """The database, the demo scaled up, the static files, the URLs to load
    and the SQL queries each page makes; all in this process, with the
    production settings gunicorn gets."""
    rebuilt = create_database(rebuild=args.rebuild)
    os.environ.update(env)
    # Tasks dispatched while the demo loads (e-mails, certificate renders the
    # loader has already done itself) are dropped, not queued for no worker.
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    import _load_data
    from django.core.management import call_command
    from django.db import connections

    from academy_site.demo import people as demo_people

    started = time.perf_counter()
    counts = {
        "courses": args.courses,
        "trainees": args.trainees,
        "enrolments": args.enrolments,
    }
    call_command("migrate", verbosity=0)
    if _load_data.is_scaled(**counts):
        print(f"{DB_NAME}: reusing the scaled academy (--rebuild to start afresh)")
    else:
        call_command("load_demo_academy", verbosity=0)
        print(f"{DB_NAME}: {'rebuilt, ' if rebuilt else ''}demo loaded and ", end="")
        print(_load_data.scale_up(**counts))
    targets = _load_data.targets(
        trainee_email=demo_people.DJORDJE, instructor_email=INSTRUCTOR
    )
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"prepared in {time.perf_counter() - started:.0f} s")
    targets["queries"] = count_queries(targets, trainee_email=demo_people.DJORDJE)
    targets["trainee"] = demo_people.DJORDJE
    targets["password"] = demo_people.TRAINEE_PASSWORD
    targets["instructor_password"] = demo_people.INSTRUCTOR_PASSWORD
    connections.close_all()
    return targets


def create_database(*, rebuild: bool) -> bool:
    """Create academy_load when missing (or dropped by --rebuild); True when
    it was made now. Connects to template1 only to create or drop."""
    import psycopg

    with psycopg.connect(
        f"host={HOST} port=5432 user=postgres dbname=template1", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if exists and rebuild:
            connection.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = None
        if not exists:
            # From template0: template1 is in use by this very connection.
            connection.execute(f'CREATE DATABASE "{DB_NAME}" TEMPLATE template0')
    return not exists


def count_queries(targets: dict, *, trainee_email: str, repeat: int = 5) -> dict:
    """SQL queries per page and its median time to render in this process
    (Django's test client, one request at a time: the cost of a page without
    the queueing of a server under load). Public pages as a visitor, My
    learning as the trainee, as the load test requests them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor = Client(HTTP_HOST=HOST)
    trainee = Client(HTTP_HOST=HOST)
    trainee.force_login(get_user_model().objects.get(username=trainee_email))
    instructor = Client(HTTP_HOST=HOST)
    instructor.force_login(get_user_model().objects.get(username=INSTRUCTOR))
    by_page = {"learning": trainee, "teaching": instructor, "overview": instructor}
    figures = {}
    for name in (
        "bare",
        "home",
        "catalogue",
        "course",
        "learning",
        "teaching",
        "overview",
        "verify",
    ):
        client = by_page.get(name, visitor)
        # Verification counts against the look-up limit of 127.0.0.1: once.
        times = 1 if name == "verify" else repeat
        client.get(targets[name], secure=True)  # warm caches, as gunicorn will be
        timings = []
        for _ in range(times):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(targets[name], secure=True)
                timings.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{targets[name]} answered {response.status_code}")
        figures[name] = (len(captured), statistics.median(timings))
    return figures


def start_gunicorn(*, env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "academy_site.wsgi:application",
        "--workers=2",
        f"--bind={HOST}:{port}",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    # Its own process group: stopping it stops its workers, and nothing else.
    with log.open("ab") as output:
        server = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(server, port=port)
    except BaseException:
        stop(server)
        raise
    print(f"gunicorn: 2 sync workers on http://{HOST}:{port} (pid {server.pid})")
    return server


def wait_until_serving(server: subprocess.Popen, *, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            status, _, _ = get(port, "/en/", {})
        except OSError:
            time.sleep(0.3)
            continue
        if status != 200:
            raise SystemExit(f"gunicorn answered {status} for /en/")
        return
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def get(port: int, path: str, headers: dict, *, method="GET", body=None):
    """One request on a fresh connection: (status, headers, body text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            method, path, body=body, headers={**PROXY_HEADERS, **headers}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def cookies(headers) -> dict:
    jar = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(*, port: int, email: str, password: str) -> str:
    """Log in through the form, as a browser would; the Cookie header to send."""
    path = "/en/account/log-in/"
    status, headers, body = get(port, path, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None:
        raise SystemExit(f"The log-in form answered {status} without a CSRF token.")
    csrf = cookies(headers)["csrftoken"]
    origin = f"https://{HOST}:{port}"
    status, headers, _ = get(
        port,
        path,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            # A form posted over https must come from the same origin.
            "Origin": origin,
            "Referer": origin + path,
        },
        method="POST",
        body=urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": email,
                "password": password,
            }
        ),
    )
    session = cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"Log-in as {email} failed: {status}.")
    return f"csrftoken={csrf}; sessionid={session}"


def measure(
    args,
    *,
    port: int,
    prepared: dict,
    cookie: str,
    teacher: str,
    wrk: bool,
    server: int,
) -> int:
    pages = [
        ("bare Wagtail page", "bare", {}),
        ("home page", "home", {}),
        ("catalogue", "catalogue", {}),
        ("course page", "course", {}),
        ("My learning", "learning", {"Cookie": cookie}),
        ("teaching: runs", "teaching", {"Cookie": teacher}),
        ("teaching: run overview", "overview", {"Cookie": teacher}),
    ]
    for _, key, headers in pages + [("", "verify", {})]:
        status, _, _ = get(port, prepared[key], headers)
        if status != 200:
            raise SystemExit(f"{prepared[key]} answered {status}, not 200.")
    print(
        f"\nURLs: catalogue {prepared['catalogue']}, course {prepared['course']}, "
        f"My learning {prepared['learning']} (as {prepared['trainee']}, "
        f"{prepared['enrolments']} enrolments), verify {prepared['verify'][:20]}... "
        f"(certificate {prepared['certificate']}), bare {prepared['bare']}"
    )
    print(
        "HTTPS as behind a TLS proxy: SECURE_PROXY_SSL_HEADER_ENABLED=true and "
        "X-Forwarded-Proto: https on every request (SSL redirect left on). "
        f"DATABASE_CONN_MAX_AGE={args.conn_max_age}."
    )

    def run(key, headers, *, use_wrk, per_address=None) -> tuple[Figures, float]:
        """The figures, and the CPU ms gunicorn's workers spent per request."""
        headers = {**PROXY_HEADERS, **headers}
        cpu_before = workers_cpu_seconds(server)
        if use_wrk:
            figures = run_wrk(
                url=f"http://{HOST}:{port}{prepared[key]}",
                headers=headers,
                seconds=args.seconds,
                concurrency=args.concurrency,
            )
        else:
            figures = run_threads(
                host=HOST,
                port=port,
                path=prepared[key],
                headers=headers,
                seconds=args.seconds,
                concurrency=args.concurrency,
                per_address=per_address,
            )
        cpu = workers_cpu_seconds(server) - cpu_before
        return figures, cpu * 1000 / max(1, figures.requests)

    generator = "wrk" if wrk else "Python threads"
    print(
        f"\n{generator}, {args.concurrency} connections, {args.seconds} s per URL; "
        f"{load_average()}"
    )
    rows = [
        (label, key, *run(key, headers, use_wrk=wrk), False)
        for label, key, headers in pages
    ]
    if wrk:
        rows.append(
            ("verify, 1 address (429s)", "verify", *run("verify", {}, use_wrk=True))
            + (True,)
        )
    else:
        figures = run("verify", {}, use_wrk=False, per_address=LOOKUPS_PER_ADDRESS)
        rows.append(("verify, many addresses", "verify", *figures, False))
    errors = print_table(rows, queries=prepared["queries"])
    if wrk:
        print(
            f"\nThe verification page within its limit: Python threads, "
            f"{args.concurrency} connections, each look-up address used "
            f"{LOOKUPS_PER_ADDRESS} times; the bare page from the same client"
        )
        within = run("verify", {}, use_wrk=False, per_address=LOOKUPS_PER_ADDRESS)
        rows = [
            ("bare Wagtail page", "bare", *run("bare", {}, use_wrk=False), False),
            ("verify, many addresses", "verify", *within, False),
        ]
        errors += print_table(rows, queries=prepared["queries"])
    print(f"\n{load_average()}")
    print(f"{'no errors' if not errors else f'{errors} ERRORS'}")
    return 1 if errors else 0


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of gunicorn's workers (the master's children),
    from /proc: the cost of the requests whatever else shares the machine."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        # Fields after the command name, which is in parentheses.
        fields = stat.rpartition(")")[2].split()
        if int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The machine's load: the load generator, gunicorn and PostgreSQL share
    its cores with whatever else runs, and the figures mean little without it."""
    one, five, _ = os.getloadavg()
    return (
        f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"
    )


# Issue 21's targets: each page's requests/s as a share of the bare page's in
# the same run (visitors' pages and verification 0.7, My learning 0.5), and
# its p99 under twice the bare page's.
TARGET_RATIOS = {"home": 0.7, "catalogue": 0.7, "course": 0.7, "verify": 0.7}
TARGET_RATIOS.update(learning=0.5, teaching=0.5, overview=0.5)
P99_AT_MOST = 2.0


def print_table(rows, *, queries: dict) -> int:
    """The figures, each page against the table's bare page; the error count.

    "cpu ms" is gunicorn's worker CPU per request under load; queries and
    "render ms" come from count_queries (in this process, one request at a
    time); "ratio" is the page's requests/s over the bare page's, "target"
    the ratio it should reach, and "met" whether it does with a p99 under
    twice the bare page's."""
    bare = rows[0][2]
    print(
        f"{'page':<26}{'req/s':>6}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'429':>5}{'cpu ms':>7}{'queries':>8}{'render ms':>10}"
        f"{'ratio':>7}{'target':>7}{'met':>5}"
    )
    errors = 0
    for label, key, figures, cpu_ms, limited_expected in rows:
        failed = figures.errors(limited_expected=limited_expected)
        errors += failed
        ratio = figures.rps / bare.rps if bare.rps else 0.0
        count, render_ms = queries[key]
        target = TARGET_RATIOS.get(key)
        met = ""
        if target is not None and not limited_expected:
            fast = ratio >= target and figures.p99_ms <= P99_AT_MOST * bare.p99_ms
            met = "yes" if fast and not failed else "NO"
        print(
            f"{label:<26}{figures.rps:>6.0f}{figures.p50_ms:>8.1f}"
            f"{figures.p99_ms:>8.1f}{failed:>7}{figures.limited:>5}{cpu_ms:>7.1f}"
            f"{count:>8}{render_ms:>10.1f}{ratio:>7.2f}"
            f"{target if target is not None else '':>7}{met:>5}"
        )
    return errors


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted; gunicorn stopped.")
