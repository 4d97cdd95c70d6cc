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
import random
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from courses.models import CourseRun
from enrolments.models import Enrolment
from enrolments.models.enrolment import SEAT_HOLDING_STATUSES
from enrolments.services import enrolment_cancel, enrolment_create, offers_expire
from tests.enrolments.test_last_seat_race import BARRIER_TIMEOUT, logged_in_client
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = int(os.environ.get("ACADEMY_OFFER_RACE_ROUNDS", "20"))
JITTER_SECONDS = 0.03
Status = Enrolment.Status


def together(*actions) -> list:
    """Run the callables at the same instant, each in a thread with its own
    database connection (a jittered start lets either reach the lock first);
    their results, or the exceptions they raised."""
    start = threading.Barrier(len(actions))
    results = [None] * len(actions)
    jitter = random.Random(len(actions))

    def work(index, action, delay):
        try:
            start.wait(timeout=BARRIER_TIMEOUT)
            time.sleep(delay)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - reported by the round
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=work, args=(i, action, jitter.uniform(0, JITTER_SECONDS))
        )
        for i, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=BARRIER_TIMEOUT)
    return results


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


def state(run) -> tuple[dict, int, int]:
    """Statuses by enrolment id, seats held, the run's counter."""
    statuses = dict(Enrolment.objects.filter(run=run).values_list("pk", "status"))
    held = sum(1 for status in statuses.values() if status in SEAT_HOLDING_STATUSES)
    return statuses, held, CourseRun.objects.get(pk=run.pk).seats_taken


def report(name: str, outcomes: collections.Counter, problems: list, started):
    print(
        f"\n{name}: {ROUNDS} rounds in {time.monotonic() - started:.1f} s; "
        f"outcomes {dict(outcomes)}; bad rounds {len(problems)}"
    )
    assert not problems, problems[:5]


def test_an_accept_racing_the_lapse_of_its_offer_has_one_result(catalogue):
    course = CoursePageFactory(parent=catalogue)
    outcomes, problems, started = collections.Counter(), [], time.monotonic()
    for round_no in range(ROUNDS):
        run, [holder], [first, second] = a_run(course, capacity=1, holders=1, waiting=2)
        enrolment_cancel(enrolment=holder)
        deadline = Enrolment.objects.get(pk=first.pk).offer_expires_at
        results = together(
            post(
                logged_in_client(first.trainee.user),
                reverse("learning:offer", args=[first.pk]),
                {"answer": "accept"},
            ),
            # Beat at the deadline, while the accept is on its way.
            lambda deadline=deadline: offers_expire(now=deadline),
        )
        statuses, held, counter = state(run)
        pair = (statuses[first.pk], statuses[second.pk])
        outcomes[pair] += 1
        if (
            any(isinstance(result, Exception) for result in results)
            or pair
            not in {
                (Status.CONFIRMED, Status.WAITLISTED),
                (Status.CANCELLED, Status.OFFERED),
            }
            or held != counter
            or counter != 1
        ):
            problems.append((round_no, results, pair, held, counter))
    report("accept against lapse", outcomes, problems, started)


def test_two_seats_freed_at_once_make_two_offers(catalogue):
    course = CoursePageFactory(parent=catalogue)
    outcomes, problems, started = collections.Counter(), [], time.monotonic()
    for round_no in range(ROUNDS):
        run, holders, waiting = a_run(course, capacity=2, holders=2, waiting=3)
        results = together(
            *(
                post(
                    logged_in_client(holder.trainee.user),
                    reverse("learning:cancel", args=[holder.pk]),
                )
                for holder in holders
            )
        )
        statuses, held, counter = state(run)
        waiting_now = tuple(statuses[e.pk] for e in waiting)
        outcomes[waiting_now] += 1
        if (
            any(isinstance(result, Exception) for result in results)
            or waiting_now != (Status.OFFERED, Status.OFFERED, Status.WAITLISTED)
            or held != counter
            or counter != 2
        ):
            problems.append((round_no, results, waiting_now, held, counter))
    report("two seats freed at once", outcomes, problems, started)


def test_a_cancel_during_an_open_offer_and_its_accept_both_take_effect(catalogue):
    course = CoursePageFactory(parent=catalogue)
    outcomes, problems, started = collections.Counter(), [], time.monotonic()
    for round_no in range(ROUNDS):
        run, [leaving, staying], [offered, next_one] = a_run(
            course, capacity=2, holders=2, waiting=2
        )
        enrolment_cancel(enrolment=staying)  # the seat now offered
        results = together(
            post(
                logged_in_client(leaving.trainee.user),
                reverse("learning:cancel", args=[leaving.pk]),
            ),
            post(
                logged_in_client(offered.trainee.user),
                reverse("learning:offer", args=[offered.pk]),
                {"answer": "accept"},
            ),
        )
        statuses, held, counter = state(run)
        trio = (statuses[leaving.pk], statuses[offered.pk], statuses[next_one.pk])
        outcomes[trio] += 1
        if (
            any(isinstance(result, Exception) for result in results)
            or trio != (Status.CANCELLED, Status.CONFIRMED, Status.OFFERED)
            or held != counter
            or counter != 2
        ):
            problems.append((round_no, results, trio, held, counter))
    report("cancel during an open offer", outcomes, problems, started)


def test_accept_and_decline_clicked_together_give_one_answer(catalogue):
    course = CoursePageFactory(parent=catalogue)
    outcomes, problems, started = collections.Counter(), [], time.monotonic()
    for round_no in range(ROUNDS):
        run, [holder], [offered, next_one] = a_run(
            course, capacity=1, holders=1, waiting=2
        )
        enrolment_cancel(enrolment=holder)
        browser = logged_in_client(offered.trainee.user)
        twin = Client()
        twin.cookies.load(browser.cookies.output(header="", sep=";"))
        url = reverse("learning:offer", args=[offered.pk])
        results = together(
            post(browser, url, {"answer": "accept"}),
            post(twin, url, {"answer": "decline"}),
        )
        statuses, held, counter = state(run)
        pair = (statuses[offered.pk], statuses[next_one.pk])
        outcomes[pair] += 1
        if (
            any(isinstance(result, Exception) for result in results)
            or pair
            not in {
                (Status.CONFIRMED, Status.WAITLISTED),
                (Status.CANCELLED, Status.OFFERED),
            }
            or held != counter
            or counter != 1
        ):
            problems.append((round_no, results, pair, held, counter))
    report("accept and decline together", outcomes, problems, started)
