"""The log-in limits under a burst: 40 simultaneous wrong guesses for one
account from one address, each a thread with its own HTTP connection to a live
server whose cache is a Redis of the test's own, as in production.

A reservation taken with an atomic increment before the password is hashed
means at most FAILURES_PER_ACCOUNT (5) passwords of the burst are ever checked,
and at most FAILURES_PER_ADDRESS (20) when the burst spreads over 40 accounts;
the rest are told "too many attempts". Before, the count was read before the
hash and written after it, and all 30 of the probe's guesses were checked.
Figures go to docs/reliability.md ("Log-in limits under a burst"); run with -s
to see them.
"""

import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from unittest import mock

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.test import override_settings
from django.urls import reverse

from enrolments.accounts import throttling
from tests.conftest import skip_or_fail
from tests.factories import TraineeProfileFactory, UserFactory
from tests.reliability.processes import RedisServer
from tests.services import free_port

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BURST = 40
PASSWORD = "correct-horse-battery-2026"
NOT_CORRECT = "The e-mail or password is not correct"
THROTTLED = "Too many attempts. Try again in"
# The real hasher, not the tests' MD5: the window the old code left open is the
# time a password takes to check.
REAL_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
BARRIER_TIMEOUT = 120


@pytest.fixture
def redis_cache():
    if not RedisServer.available():
        skip_or_fail("redis-server is not installed (Debian: apt-get install redis)")
    server = RedisServer(free_port())
    try:
        server.start()
    except RuntimeError as error:
        skip_or_fail(str(error))
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
        }
    }
    # Restored before the server stops: the suite's own fixtures clear the
    # cache after each test.
    with override_settings(CACHES=redis):
        yield server
    server.stop()


@pytest.fixture
def live_server(settings):
    """A live server of this module's own: the shared one listens with Django's
    backlog of 10 connections, and a burst of 40 would see some reset before
    the server accepts them, as no production server in front of gunicorn
    would."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from pytest_django.live_server_helper import LiveServer

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    with mock.patch.object(ThreadedWSGIServer, "request_queue_size", 4 * BURST):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def checks():
    """Counts the passwords the log-in form hands to authenticate()."""
    counted = {"n": 0}
    lock = threading.Lock()

    def counting(*args, **kwargs):
        with lock:
            counted["n"] += 1
        return django_authenticate(*args, **kwargs)

    with mock.patch("enrolments.accounts.forms.authenticate", counting):
        yield counted


@pytest.fixture
def fixed_window():
    # The middle of a window: a burst must not straddle two.
    moment = (time.time() // throttling.WINDOW_SECONDS + 0.5) * (
        throttling.WINDOW_SECONDS
    )
    with mock.patch.object(throttling, "now", lambda: moment):
        yield


class Guesser:
    """One browser: its own cookies and connection; it opens the log-in page
    (for the CSRF token), then waits for the others and posts a guess."""

    def __init__(self, url: str):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.status = None
        self.body = ""
        self.seconds = 0.0

    def prepare(self) -> None:
        with self.opener.open(self.url, timeout=60) as response:
            response.read()
        self.token = next(c.value for c in self.jar if c.name == "csrftoken")

    def guess(self, email: str, password: str) -> None:
        data = urllib.parse.urlencode(
            {
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": self.token,
            }
        ).encode()
        request = urllib.request.Request(
            self.url, data=data, headers={"Referer": self.url}
        )
        began = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                self.status, self.body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.status, self.body = error.code, error.read().decode(errors="replace")
        self.seconds = time.perf_counter() - began


def burst(url: str, emails: list[str], password: str) -> list[Guesser]:
    guessers = [Guesser(url) for _ in emails]
    for guesser in guessers:
        guesser.prepare()
    start = threading.Barrier(len(guessers))

    def run(guesser, email):
        start.wait(timeout=BARRIER_TIMEOUT)
        guesser.guess(email, password)

    threads = [
        threading.Thread(target=run, args=(g, e), daemon=True)
        for g, e in zip(guessers, emails, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=BARRIER_TIMEOUT)
    return guessers


def tally(guessers: list[Guesser]) -> dict[str, int]:
    counts = {"not correct": 0, "too many": 0, "other": 0}
    for guesser in guessers:
        if guesser.status == 200 and NOT_CORRECT in guesser.body:
            counts["not correct"] += 1
        elif guesser.status == 200 and THROTTLED in guesser.body:
            counts["too many"] += 1
        else:
            counts["other"] += 1
    return counts


def report(title: str, counts: dict, checked: int, guessers: list[Guesser]) -> None:
    seconds = sorted(g.seconds for g in guessers)
    print(
        f"\n{title}: {len(guessers)} simultaneous guesses -> "
        f"{counts['not correct']} 'not correct', {counts['too many']} 'too many "
        f"attempts', {counts['other']} other; passwords checked: {checked}; "
        f"answer time median {seconds[len(seconds) // 2]:.2f} s, "
        f"slowest {seconds[-1]:.2f} s"
    )


def test_a_burst_of_guesses_for_one_account_checks_at_most_five(
    live_server, redis_cache, checks, fixed_window, settings
):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    user = UserFactory(username="djordje@firma.rs", password=PASSWORD)
    TraineeProfileFactory(user=user)
    url = live_server.url + reverse("accounts:log_in")

    guessers = burst(url, ["djordje@firma.rs"] * BURST, "wrong-guess-1234")

    counts = tally(guessers)
    report("One account, one address", counts, checks["n"], guessers)
    assert counts["other"] == 0, [(g.status, g.body[:200]) for g in guessers]
    assert checks["n"] <= throttling.FAILURES_PER_ACCOUNT
    assert counts["not correct"] == checks["n"] >= 1
    assert counts["too many"] == BURST - counts["not correct"]

    # The owner, after the burst, is refused like everyone else in the window.
    owner = burst(url, ["djordje@firma.rs"], PASSWORD)
    assert tally(owner)["too many"] == 1


def test_a_burst_over_many_accounts_from_one_address_checks_at_most_twenty(
    live_server, redis_cache, checks, fixed_window, settings
):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    emails = [f"guess{n}@firma.rs" for n in range(BURST)]
    url = live_server.url + reverse("accounts:log_in")

    guessers = burst(url, emails, "wrong-guess-1234")

    counts = tally(guessers)
    report("40 accounts, one address", counts, checks["n"], guessers)
    assert counts["other"] == 0, [(g.status, g.body[:200]) for g in guessers]
    assert checks["n"] <= throttling.FAILURES_PER_ADDRESS
    assert counts["not correct"] == checks["n"] >= 1
    assert counts["too many"] == BURST - counts["not correct"]
