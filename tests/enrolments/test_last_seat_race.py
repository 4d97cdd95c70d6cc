"""The last-seat race through the real enrol view on PostgreSQL.

Many trainees, each a thread with its own database connection and its own
logged-in test Client, POST the enrol URL of a run with one seat at the same
instant, round after round. Figures go to docs/reliability.md ("Last-seat
race"). Run with -s to see them:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/race_db \
        make test PYTEST_ARGS='tests/enrolments/test_last_seat_race.py -s'

ACADEMY_RACE_ROUNDS sets the number of rounds (default 200).
"""

import collections
import datetime as dt
import os
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun
from enrolments.models import Enrolment
from enrolments.models.enrolment import ACTIVE_STATUSES, SEAT_HOLDING_STATUSES
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory

# serialized_rollback keeps the site tree the migrations made across the flush.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = int(os.environ.get("ACADEMY_RACE_ROUNDS", "200"))
CLIENTS = 16
DOUBLE_SUBMITS = 20
# A thread stuck longer than this (a deadlock the database did not break) fails
# the round instead of hanging the suite.
BARRIER_TIMEOUT = 60


class Racers:
    """`size` long-lived threads, each with its own Client and so its own
    database connection, that POST one URL together each time `race` is called.

    The threads live for all rounds so the race measures the enrol view, not
    connection start-up; each closes its connection when it stops.
    """

    def __init__(self, clients: list[Client]):
        self.clients = clients
        self.start = threading.Barrier(len(clients) + 1)
        self.done = threading.Barrier(len(clients) + 1)
        self.url: str | None = None
        self.results: list = [None] * len(clients)
        self.threads = [
            threading.Thread(target=self._work, args=(i,), daemon=True)
            for i in range(len(clients))
        ]
        for thread in self.threads:
            thread.start()

    def _work(self, index: int) -> None:
        try:
            while True:
                self.start.wait(timeout=BARRIER_TIMEOUT)
                if self.url is None:
                    return
                try:
                    self.results[index] = self.clients[index].post(self.url)
                except Exception as error:  # noqa: BLE001 - a 5xx, under test
                    self.results[index] = error
                self.done.wait(timeout=BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            return
        finally:
            connection.close()

    def race(self, url: str) -> list:
        """POST `url` from every thread at once; the responses, or the
        exceptions the view raised (which a server would answer with 500)."""
        self.url = url
        self.results = [None] * len(self.clients)
        self.start.wait(timeout=BARRIER_TIMEOUT)
        self.done.wait(timeout=BARRIER_TIMEOUT)
        return self.results

    def stop(self) -> None:
        self.url = None
        try:
            self.start.wait(timeout=BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            pass
        for thread in self.threads:
            thread.join(timeout=BARRIER_TIMEOUT)


def server_errors(results: list) -> list:
    """Exceptions out of the view and responses with a 5xx status."""
    return [
        r
        for r in results
        if r is None or isinstance(r, Exception) or r.status_code >= 500
    ]


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_last_seat_goes_to_one_of_sixteen_trainees_in_every_round(catalogue):
    course = CoursePageFactory(parent=catalogue)
    trainees = [TraineeProfileFactory() for _ in range(CLIENTS)]
    racers = Racers([logged_in_client(t.user) for t in trainees])
    winners_histogram = collections.Counter()
    errors, problems = [], []
    started = time.monotonic()
    try:
        for round_no in range(ROUNDS):
            run = CourseRunFactory(course=course, capacity=1)
            results = racers.race(reverse("learning:enrol_run", args=[run.pk]))

            errors += server_errors(results)
            statuses = collections.Counter(
                Enrolment.objects.filter(run=run).values_list("status", flat=True)
            )
            seat_holders = sum(statuses[s] for s in SEAT_HOLDING_STATUSES)
            seats_taken = CourseRun.objects.get(pk=run.pk).seats_taken
            winners_histogram[seat_holders] += 1
            # A full run waitlists (the service's policy), so every trainee
            # ends up with exactly one enrolment: one seat, fifteen waiting.
            if (
                seat_holders != 1
                or statuses[Enrolment.Status.WAITLISTED] != CLIENTS - 1
                or seats_taken != seat_holders
                or seats_taken > run.capacity
            ):
                problems.append((round_no, dict(statuses), seats_taken))
    finally:
        racers.stop()
    elapsed = time.monotonic() - started

    print(
        f"\nlast-seat race: {ROUNDS} rounds x {CLIENTS} clients = "
        f"{ROUNDS * CLIENTS} requests in {elapsed:.1f} s; seat holders per round "
        f"{dict(sorted(winners_histogram.items()))}; 5xx: {len(errors)}; "
        f"bad rounds: {len(problems)}"
    )
    assert not errors, errors[:5]
    assert not problems, problems[:5]
    assert winners_histogram == {1: ROUNDS}


def test_twenty_parallel_submits_of_one_trainee_make_one_enrolment(catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=5)
    trainee = TraineeProfileFactory()
    # One browser clicking many times: every request carries the same session.
    first = logged_in_client(trainee.user)
    clients = [first]
    for _ in range(DOUBLE_SUBMITS - 1):
        client = Client()
        # A copy of the cookie jar (same session), so threads do not write
        # one jar at once.
        client.cookies.load(first.cookies.output(header="", sep=";"))
        clients.append(client)
    racers = Racers(clients)
    started = time.monotonic()
    try:
        results = racers.race(reverse("learning:enrol_run", args=[run.pk]))
    finally:
        racers.stop()
    elapsed = time.monotonic() - started

    errors = server_errors(results)
    enrolments = Enrolment.objects.filter(trainee=trainee, run=run)
    print(
        f"\ndouble submit: {DOUBLE_SUBMITS} parallel POSTs in {elapsed:.2f} s; "
        f"enrolments: {enrolments.count()}; 5xx: {len(errors)}"
    )
    assert not errors, errors[:5]
    assert all(r.status_code == 302 for r in results), results
    # Every copy of the session is logged in: none is sent to the log-in page.
    assert not [r for r in results if r.url.startswith(resolve_url(settings.LOGIN_URL))]
    assert enrolments.count() == 1
    assert enrolments.get().status in ACTIVE_STATUSES
    assert enrolments.get().status == Enrolment.Status.CONFIRMED
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_a_race_for_a_closed_run_enrols_nobody_and_answers_without_errors(
    catalogue,
):
    """Bad input under the same race: enrolment closed yesterday, so every
    request is refused with a message (a redirect), none with a 5xx."""
    today = timezone.localdate()
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue),
        capacity=1,
        enrolment_closes_on=today - dt.timedelta(days=1),
    )
    trainees = [TraineeProfileFactory() for _ in range(4)]
    racers = Racers([logged_in_client(t.user) for t in trainees])
    try:
        results = racers.race(reverse("learning:enrol_run", args=[run.pk]))
    finally:
        racers.stop()

    assert not server_errors(results)
    assert all(r.status_code == 302 for r in results), results
    assert not Enrolment.objects.filter(run=run).exists()
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 0
