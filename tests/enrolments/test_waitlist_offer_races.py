"""Seat offers under concurrent requests, through the real views on
PostgreSQL: every path locks the run row first, so each round ends in one
consistent state whichever request reaches the lock first.

- an accept arriving as beat lapses the offer: the trainee is confirmed and
  the next person still waits, or the offer lapsed, the accept is refused and
  the next person holds the offer;
- two seats freed at once (two trainees cancel together): two offers;
- a cancel while an offer is open and its accept: both take effect;
- accept and decline clicked together by one trainee: one of them wins.
In every round the run's seat counter equals the seats held.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/offers \
        .venv/bin/python -m pytest tests/enrolments/test_waitlist_offer_races.py -s

ACADEMY_OFFER_RACE_ROUNDS sets the number of rounds of each race (default 20).
"""

import collections
import os
import time
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import CourseRun
from enrolments.models import Enrolment
from enrolments.models.enrolment import SEAT_HOLDING_STATUSES
from enrolments.services import enrolment_cancel, enrolment_create, offers_expire
from tests.concurrency import together
from tests.enrolments.test_last_seat_race import logged_in_client
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = int(os.environ.get("ACADEMY_OFFER_RACE_ROUNDS", "20"))
JITTER_SECONDS = 0.03
Status = Enrolment.Status
EITHER_ANSWER = {
    (Status.CONFIRMED, Status.WAITLISTED),  # the accept first
    (Status.CANCELLED, Status.OFFERED),  # the lapse (or decline) first
}


def post(client: Client, url: str, data: dict | None = None):
    def action():
        response = client.post(url, data or {})
        if response.status_code >= 500:
            raise AssertionError(f"{url} answered {response.status_code}")
        return response.status_code

    return action


def a_run(course, *, capacity: int, holders: int, waiting: int):
    """A run with `holders` confirmed trainees and `waiting` on its waitlist."""
    run = CourseRunFactory(course=course, capacity=capacity)
    made = [
        enrolment_create(trainee=TraineeProfileFactory(), run=run)
        for _ in range(holders + waiting)
    ]
    return run, made[:holders], made[holders:]


class Rounds:
    """The outcomes of the rounds of one race, and the rounds that went
    wrong: an exception or a 5xx, an outcome not allowed, or a seat counter
    that differs from the seats held (or from the seats expected)."""

    def __init__(self, name: str):
        self.name, self.outcomes, self.problems = name, collections.Counter(), []
        self.started = time.monotonic()

    def check(self, run, results, watched, allowed, seats: int) -> None:
        statuses = dict(Enrolment.objects.filter(run=run).values_list("pk", "status"))
        held = sum(1 for status in statuses.values() if status in SEAT_HOLDING_STATUSES)
        counter = CourseRun.objects.get(pk=run.pk).seats_taken
        outcome = tuple(statuses[enrolment.pk] for enrolment in watched)
        self.outcomes[outcome] += 1
        errors = [result for result in results if isinstance(result, Exception)]
        if errors or outcome not in allowed or held != counter or counter != seats:
            self.problems.append((outcome, errors, held, counter))

    def report(self) -> None:
        print(
            f"\n{self.name}: {ROUNDS} rounds in "
            f"{time.monotonic() - self.started:.1f} s; outcomes "
            f"{dict(self.outcomes)}; bad rounds {len(self.problems)}"
        )
        assert not self.problems, self.problems[:5]


def test_an_accept_racing_the_lapse_of_its_offer_has_one_result(catalogue):
    course = CoursePageFactory(parent=catalogue)
    rounds = Rounds("accept against lapse")
    for round_no in range(ROUNDS):
        run, [holder], [first, second] = a_run(course, capacity=1, holders=1, waiting=2)
        enrolment_cancel(enrolment=holder)
        deadline = Enrolment.objects.get(pk=first.pk).offer_expires_at
        accept = post(
            logged_in_client(first.trainee.user),
            reverse("learning:offer", args=[first.pk]),
            {"answer": "accept"},
        )
        # Beat at the deadline, while the accept is on its way.
        lapse = partial(offers_expire, now=deadline)
        results = together(
            [accept, lapse], jitter_seconds=JITTER_SECONDS, seed=round_no
        )
        rounds.check(run, results, (first, second), EITHER_ANSWER, seats=1)
    rounds.report()


def test_two_seats_freed_at_once_make_two_offers(catalogue):
    course = CoursePageFactory(parent=catalogue)
    rounds = Rounds("two seats freed at once")
    for round_no in range(ROUNDS):
        run, holders, waiting = a_run(course, capacity=2, holders=2, waiting=3)
        cancels = [
            post(
                logged_in_client(holder.trainee.user),
                reverse("learning:cancel", args=[holder.pk]),
            )
            for holder in holders
        ]
        results = together(cancels, jitter_seconds=JITTER_SECONDS, seed=round_no)
        allowed = {(Status.OFFERED, Status.OFFERED, Status.WAITLISTED)}
        rounds.check(run, results, waiting, allowed, seats=2)
    rounds.report()


def test_a_cancel_during_an_open_offer_and_its_accept_both_take_effect(catalogue):
    course = CoursePageFactory(parent=catalogue)
    rounds = Rounds("cancel during an open offer")
    for round_no in range(ROUNDS):
        run, [leaving, staying], [offered, next_one] = a_run(
            course, capacity=2, holders=2, waiting=2
        )
        enrolment_cancel(enrolment=staying)  # the seat now offered
        cancel = post(
            logged_in_client(leaving.trainee.user),
            reverse("learning:cancel", args=[leaving.pk]),
        )
        accept = post(
            logged_in_client(offered.trainee.user),
            reverse("learning:offer", args=[offered.pk]),
            {"answer": "accept"},
        )
        results = together(
            [cancel, accept], jitter_seconds=JITTER_SECONDS, seed=round_no
        )
        allowed = {(Status.CANCELLED, Status.CONFIRMED, Status.OFFERED)}
        rounds.check(run, results, (leaving, offered, next_one), allowed, seats=2)
    rounds.report()


def test_accept_and_decline_clicked_together_give_one_answer(catalogue):
    course = CoursePageFactory(parent=catalogue)
    rounds = Rounds("accept and decline together")
    for round_no in range(ROUNDS):
        run, [holder], [offered, next_one] = a_run(
            course, capacity=1, holders=1, waiting=2
        )
        enrolment_cancel(enrolment=holder)
        browser = logged_in_client(offered.trainee.user)
        twin = Client()  # a second tab: the same session
        twin.cookies.load(browser.cookies.output(header="", sep=";"))
        url = reverse("learning:offer", args=[offered.pk])
        results = together(
            [
                post(browser, url, {"answer": "accept"}),
                post(twin, url, {"answer": "decline"}),
            ],
            jitter_seconds=JITTER_SECONDS,
            seed=round_no,
        )
        rounds.check(run, results, (offered, next_one), EITHER_ANSWER, seats=1)
    rounds.report()
