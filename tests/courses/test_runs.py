"""Course runs and meetings: impossible data is refused with a clear message by
validation and, independently, by the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from courses.models import CourseRun, Meeting
from tests.factories import CoursePageFactory, CourseRunFactory, MeetingFactory, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue)


def build_run(course, **overrides):
    values = dict(
        course=course,
        starts_on=today() + dt.timedelta(days=10),
        ends_on=today() + dt.timedelta(days=12),
        capacity=20,
        location="Novi Sad",
    )
    values.update(overrides)
    return CourseRun(**values)


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_run_that_ends_before_it_starts_is_refused(course):
    run = build_run(course, ends_on=today() + dt.timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "A run cannot end before it starts." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()
    assert not CourseRun.objects.exists()


@pytest.mark.parametrize("capacity", [0, -5])
def test_run_without_seats_is_refused(course, capacity):
    run = build_run(course, capacity=capacity)
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "Capacity must be at least one seat." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()


def test_enrolment_window_closing_after_the_run_ends_is_refused(course):
    run = build_run(course, enrolment_closes_on=today() + dt.timedelta(days=13))
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "The enrolment window must close on or before the run ends." in messages(
        error.value
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()


def test_enrolment_window_opening_after_it_closes_is_refused(course):
    run = build_run(
        course,
        enrolment_opens_on=today() + dt.timedelta(days=5),
        enrolment_closes_on=today() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "The enrolment window must open before it closes." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()


def test_capacity_below_seats_taken_is_refused_by_the_database(course):
    run = CourseRunFactory(course=course, capacity=10)
    CourseRun.objects.filter(pk=run.pk).update(seats_taken=8)
    run.refresh_from_db()
    run.capacity = 5
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "Capacity cannot be lower than the seats already taken." in messages(
        error.value
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        run.save()
    run.refresh_from_db()
    assert run.capacity == 10


def test_run_needs_a_place_or_a_link(course):
    run = build_run(course, location="", online_url="")
    with pytest.raises(ValidationError) as error:
        run.full_clean()
    assert "Give a venue address, an online meeting link, or both." in messages(
        error.value
    )
    build_run(course, location="", online_url="https://meet.example.rs/x").full_clean()


def test_a_valid_run_is_accepted_and_reports_seats_and_window(course):
    run = build_run(
        course,
        enrolment_opens_on=today() - dt.timedelta(days=1),
        enrolment_closes_on=today() + dt.timedelta(days=8),
    )
    run.full_clean()
    run.save()
    assert run.seats_left == 20
    assert run.is_open_for_enrolment()
    assert run.enrolment_state() == "open"
    assert not run.is_open_for_enrolment(today() + dt.timedelta(days=9))
    assert run.enrolment_state(today() + dt.timedelta(days=9)) == "closed"
    assert run.enrolment_state(today() - dt.timedelta(days=2)) == "not_yet_open"
    assert run.enrolment_state(today() + dt.timedelta(days=13)) == "ended"


def test_enrolment_closes_the_day_before_the_start_when_no_date_is_set(course):
    run = build_run(course)
    assert run.enrolment_closes == run.starts_on - dt.timedelta(days=1)


def test_meeting_outside_its_run_is_refused(course):
    run = CourseRunFactory(course=course)
    meeting = Meeting(
        run=run,
        date=run.ends_on + dt.timedelta(days=1),
        start_time=dt.time(9),
        duration_minutes=90,
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "Pick a date within the run" in messages(error.value)


@pytest.mark.parametrize("minutes", [0, 4, 721])
def test_meeting_duration_must_be_sensible(course, minutes):
    run = CourseRunFactory(course=course)
    meeting = Meeting(
        run=run, date=run.starts_on, start_time=dt.time(9), duration_minutes=minutes
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "A meeting lasts between 5 minutes and 12 hours." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_two_meetings_cannot_start_at_the_same_time(course):
    run = CourseRunFactory(course=course)
    MeetingFactory(run=run)
    duplicate = Meeting(
        run=run, date=run.starts_on, start_time=dt.time(9), duration_minutes=60
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This run already has a meeting at that time." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_meeting_times_are_in_the_academy_time_zone(course):
    run = CourseRunFactory(course=course)
    meeting = MeetingFactory(run=run, start_time=dt.time(17, 30), duration_minutes=90)
    assert meeting.starts_at.tzinfo is not None
    assert meeting.starts_at.strftime("%H:%M") == "17:30"
    assert (meeting.ends_at - meeting.starts_at) == dt.timedelta(minutes=90)


def test_run_in_progress_after_its_enrolment_closed_says_so(course):
    run = build_run(
        course,
        starts_on=today() - dt.timedelta(days=2),
        ends_on=today() + dt.timedelta(days=5),
    )
    assert run.enrolment_state() == "in_progress"


def test_saving_an_edited_run_keeps_seats_taken_by_enrolments_meanwhile(course):
    run = CourseRunFactory(course=course, capacity=10)
    stale = CourseRun.objects.get(pk=run.pk)  # the admin form's copy
    CourseRun.objects.filter(pk=run.pk).update(seats_taken=3)  # enrolments meanwhile
    stale.capacity = 12
    stale.save()
    run.refresh_from_db()
    assert (run.capacity, run.seats_taken) == (12, 3)


def test_the_run_editors_date_pickers_close_when_a_day_is_picked(admin_client, course):
    """Wagtail's picker stays open over the Save button without its own
    translations; the run's and its meetings' dates close on the pick."""
    import json
    import re

    from django.urls import reverse

    run = CourseRunFactory(course=course)
    MeetingFactory(run=run, date=run.starts_on)
    page = admin_client.get(
        reverse("wagtailsnippets_courses_courserun:edit", args=[run.pk])
    ).content.decode()

    configs = {}
    for name, config in re.findall(
        r'name="([\w-]*(?:starts_on|ends_on|opens_on|closes_on|date))"'
        r'.*?initDateChooser\("[^"]+", (\{.*?\})\)',
        page,
        flags=re.S,
    ):
        configs[name] = json.loads(config)
    assert {"starts_on", "ends_on", "meetings-0-date"} <= set(configs), configs
    assert all(config["closeOnDateSelect"] for config in configs.values())
