"""Races on PostgreSQL with real parallel connections: each thread has its own
database connection, and all start at the same instant."""

import threading

import pytest
from django.db import connection

from courses.models import CourseRun
from enrolments.errors import AlreadyEnrolled
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory

# serialized_rollback keeps the site tree the migrations made across the flush.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(callables):
    """Run the callables in parallel threads released together; return what
    each returned or raised."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def worker(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the result under test
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, action))
        for i, action in enumerate(callables)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_last_seat_goes_to_exactly_one_trainee(catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=1)
    trainees = [TraineeProfileFactory() for _ in range(12)]

    results = race([lambda t=t: enrolment_create(trainee=t, run=run) for t in trainees])

    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(r.status for r in results)
    assert statuses.count(Enrolment.Status.CONFIRMED) == 1
    assert statuses.count(Enrolment.Status.WAITLISTED) == 11
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_a_double_click_makes_one_enrolment(catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=5)
    trainee = TraineeProfileFactory()

    results = race([lambda: enrolment_create(trainee=trainee, run=run)] * 8)

    made = [r for r in results if isinstance(r, Enrolment)]
    refused = [r for r in results if isinstance(r, AlreadyEnrolled)]
    assert len(made) == 1 and len(refused) == 7, results
    assert Enrolment.objects.filter(trainee=trainee).count() == 1
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1
