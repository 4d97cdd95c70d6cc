"""The write path for runs and meetings: valid data is saved, bad data raises a
clear ValidationError and saves nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from courses.models import CourseRun, Meeting
from courses.services import course_run_create, meeting_add
from tests.factories import CoursePageFactory, InstructorFactory, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue)


def test_course_run_create_saves_the_run_with_its_instructors(course):
    instructor = InstructorFactory()
    run = course_run_create(
        course=course,
        starts_on=today() + dt.timedelta(days=7),
        ends_on=today() + dt.timedelta(days=8),
        capacity=15,
        location="Niš",
        instructors=[instructor],
    )
    run.refresh_from_db()
    assert list(run.instructors.all()) == [instructor]
    assert run.seats_taken == 0 and run.seats_left == 15


def test_course_run_create_refuses_bad_data_and_saves_nothing(course):
    with pytest.raises(ValidationError) as error:
        course_run_create(
            course=course,
            starts_on=today() + dt.timedelta(days=7),
            ends_on=today() + dt.timedelta(days=6),
            capacity=15,
            location="Niš",
        )
    assert "A run cannot end before it starts." in error.value.messages
    assert not CourseRun.objects.exists()


def test_meeting_add_refuses_a_date_outside_the_run_and_saves_nothing(course):
    run = course_run_create(
        course=course,
        starts_on=today() + dt.timedelta(days=7),
        ends_on=today() + dt.timedelta(days=8),
        capacity=15,
        location="Niš",
    )
    meeting_add(run=run, date=run.starts_on, start_time=dt.time(9), duration_minutes=90)
    with pytest.raises(ValidationError) as error:
        meeting_add(
            run=run,
            date=run.ends_on + dt.timedelta(days=1),
            start_time=dt.time(9),
            duration_minutes=90,
        )
    assert "Pick a date within the run" in " ".join(error.value.messages)
    assert Meeting.objects.count() == 1
