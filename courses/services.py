"""Writes for courses: the one path by which runs and their meetings are created.

The admin's snippet forms validate through the same model rules, so a run made
here (by the demo loader, an import or a later API) is held to exactly what an
editor would be. Every function validates with `full_clean()` before saving and
raises django.core.exceptions.ValidationError, whose messages can be shown to a
user as they are, instead of letting the database reject the row.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from courses.models import CoursePage, CourseRun, Instructor, Meeting


def course_run_create(
    *,
    course: CoursePage,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    enrolment_opens_on: dt.date | None = None,
    enrolment_closes_on: dt.date | None = None,
    location: str = "",
    online_url: str = "",
    label: str = "",
    instructors: Iterable[Instructor] = (),
) -> CourseRun:
    """Schedule a new run of `course` with its seats, place and instructors.

    Seats start empty: `seats_taken` belongs to the enrolment services. Raises
    ValidationError, saving nothing, when the dates, the enrolment window, the
    capacity or the place (a venue, an online link or both) do not make sense.
    """
    with transaction.atomic():
        run = CourseRun(
            course=course,
            label=label,
            starts_on=starts_on,
            ends_on=ends_on,
            enrolment_opens_on=enrolment_opens_on,
            enrolment_closes_on=enrolment_closes_on,
            capacity=capacity,
            location=location,
            online_url=online_url,
        )
        # A ParentalManyToManyField holds the choice in memory until save(), so
        # the run and its instructors are written together.
        run.instructors.set(list(instructors))
        run.full_clean()
        run.save()
        return run


def meeting_add(
    *,
    run: CourseRun,
    date: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    title: str = "",
    room: str = "",
    online_url: str = "",
) -> Meeting:
    """Add one session to `run`.

    Raises ValidationError, saving nothing, when the date falls outside the run,
    the duration is not between 5 minutes and 12 hours, or the run already has a
    meeting starting at that moment.
    """
    with transaction.atomic():
        meeting = Meeting(
            run=run,
            date=date,
            start_time=start_time,
            duration_minutes=duration_minutes,
            title=title,
            room=room,
            online_url=online_url,
        )
        meeting.full_clean()
        meeting.save()
        return meeting
