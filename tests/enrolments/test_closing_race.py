"""Closing a run while its instructor saves the register of its last meeting,
through the real views on PostgreSQL.

Each round makes a run whose trainee attended the first of two meetings (50 %
of a 75 % threshold); one thread POSTs "Close run" while another POSTs the
last meeting's register with the trainee present. Both take the run's row lock
first, so one wins and the other sees its result:
- register first: the mark stands and the close finds 2 of 2, COMPLETED;
- close first: the register is refused (the run is closed), the mark is not
  saved, and the trainee is NOT_COMPLETED at 50 %.
Anything else (a saved mark the close did not count, an outcome recomputed
after the close that disagrees with the final status, a 5xx) fails the round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_lifecycle \
        .venv/bin/python -m pytest tests/enrolments/test_closing_race.py -s

ACADEMY_CLOSE_RACE_ROUNDS sets the number of rounds (default 60).
"""

import collections
import datetime as dt
import os
import random
import threading
import time

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enrolments.models import AttendanceRecord, Enrolment
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from enrolments.teaching.forms import field_name
from tests.enrolments.closing_setup import teach
from tests.enrolments.test_last_seat_race import (
    BARRIER_TIMEOUT,
    Racers,
    logged_in_client,
    server_errors,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = int(os.environ.get("ACADEMY_CLOSE_RACE_ROUNDS", "60"))
JITTER_SECONDS = 0.04
Status = Enrolment.Status


class RacersToTwoURLs(Racers):
    """The last-seat race's threads, each POSTing its own URL and data."""

    requests: list[tuple[str, dict, float]] = []

    def race_each(self, requests: list[tuple[str, dict, float]]) -> list:
        """(url, data, seconds to wait after the start) per thread."""
        self.requests = requests
        return self.race("per thread")

    def _work(self, index: int) -> None:
        try:
            while True:
                self.start.wait(timeout=BARRIER_TIMEOUT)
                if self.url is None:
                    return
                url, data, delay = self.requests[index]
                time.sleep(delay)
                try:
                    self.results[index] = self.clients[index].post(url, data)
                except Exception as error:  # noqa: BLE001 - a 5xx, under test
                    self.results[index] = error
                self.done.wait(timeout=BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            return
        finally:
            connection.close()


def a_round(course, marker) -> tuple:
    """A run that ended three days ago with two meetings, one trainee who
    attended the first; the clock is moved back for the enrolment only."""
    today = timezone.localdate()
    starts = today - dt.timedelta(days=4)
    run = CourseRunFactory(course=course, starts_on=starts, ends_on=starts)
    first = MeetingFactory(run=run, date=starts, start_time=dt.time(9))
    last = MeetingFactory(run=run, date=starts, start_time=dt.time(14))
    with time_machine.travel(
        timezone.make_aware(dt.datetime.combine(starts, dt.time(8)))
        - dt.timedelta(days=7),
        tick=False,
    ):
        enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    register_save(meeting=first, marks={enrolment.pk: "present"}, by=marker)
    return run, last, enrolment


def test_closing_against_the_last_register_gives_one_consistent_result(catalogue):
    course = CoursePageFactory(parent=catalogue, attendance_threshold_percent=75)
    closer, marker = UserFactory(), UserFactory()
    racers = RacersToTwoURLs([logged_in_client(closer), logged_in_client(marker)])
    jitter = random.Random(2026)  # the same delays in every run of the test
    winners = collections.Counter()
    errors, problems = [], []
    started = time.monotonic()
    try:
        for round_no in range(ROUNDS):
            run, last, enrolment = a_round(course, marker)
            teach(run, closer)
            teach(run, marker)
            results = racers.race_each(
                [
                    (
                        reverse("teaching:run_close", args=[run.pk]),
                        {},
                        # The register view reads more before it locks: a
                        # jittered start lets either request reach the lock first.
                        jitter.uniform(0, JITTER_SECONDS),
                    ),
                    (
                        reverse("teaching:register", args=[last.pk]),
                        {field_name(enrolment.pk): "present"},
                        0,
                    ),
                ]
            )
            errors += server_errors(results)
            enrolment.refresh_from_db()
            run.refresh_from_db()
            marked = AttendanceRecord.objects.filter(
                meeting=last, enrolment=enrolment
            ).exists()
            if not run.is_closed:
                problems.append((round_no, "not closed"))
            elif marked and (enrolment.status, enrolment.outcome) == (
                Status.COMPLETED,
                "completion",
            ):
                winners["register first"] += 1
            elif not marked and (enrolment.status, enrolment.outcome) == (
                Status.NOT_COMPLETED,
                "none",
            ):
                winners["close first"] += 1
            else:
                problems.append((round_no, marked, enrolment.status, enrolment.outcome))
    finally:
        racers.stop()
    elapsed = time.monotonic() - started

    print(
        f"\nclose vs register: {ROUNDS} rounds in {elapsed:.1f} s; "
        f"{dict(winners)}; 5xx: {len(errors)}; bad rounds: {len(problems)}"
    )
    assert not errors, errors[:5]
    assert not problems, problems[:5]
    assert sum(winners.values()) == ROUNDS
