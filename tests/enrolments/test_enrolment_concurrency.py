"""Races on PostgreSQL with real parallel connections: each thread has its own
database connection, and all start at the same instant."""

import pytest

from courses.models import CourseRun
from enrolments.errors import AlreadyEnrolled
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.concurrency import together
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory

# serialized_rollback keeps the site tree the migrations made across the flush.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_last_seat_goes_to_exactly_one_trainee(catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=1)
    trainees = [TraineeProfileFactory() for _ in range(12)]

    results = together(
        [lambda t=t: enrolment_create(trainee=t, run=run) for t in trainees]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(r.status for r in results)
    assert statuses.count(Enrolment.Status.CONFIRMED) == 1
    assert statuses.count(Enrolment.Status.WAITLISTED) == 11
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_a_double_click_makes_one_enrolment(catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=5)
    trainee = TraineeProfileFactory()

    results = together([lambda: enrolment_create(trainee=trainee, run=run)] * 8)

    made = [r for r in results if isinstance(r, Enrolment)]
    refused = [r for r in results if isinstance(r, AlreadyEnrolled)]
    assert len(made) == 1 and len(refused) == 7, results
    assert Enrolment.objects.filter(trainee=trainee).count() == 1
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1
