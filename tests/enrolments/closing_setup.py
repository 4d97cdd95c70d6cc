"""A run to close, made the way the academy makes one, on a fixed calendar:
trainees enrol on 2 March 2026 (the clock frozen there), the run has four
meetings on 10-12 March, and the instructor marks the registers after them."""

import datetime as dt

from django.utils import timezone

from courses.models import Instructor
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

MEETING_TIMES = [(10, 9), (10, 14), (11, 9), (12, 9)]  # (day of March, hour)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    """A moment of 2026 in the academy's time zone."""
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute))


def teach(run, user=None):
    """Make `user` (a new one by default) an instructor of `run`."""
    user = user or UserFactory()
    instructor = Instructor.objects.filter(user=user).first()
    run.instructors.add(instructor or InstructorFactory(user=user))
    run.save()
    return user


def closing_run(catalogue, *, threshold=75, meetings=4, capacity=20, **course_fields):
    """A course with `threshold` % attendance and a run of `meetings`
    meetings in March 2026. Call with the clock before 10 March."""
    course = CoursePageFactory(
        parent=catalogue, attendance_threshold_percent=threshold, **course_fields
    )
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 3, 10),
        ends_on=dt.date(2026, 3, 13),
        capacity=capacity,
    )
    for day, hour in MEETING_TIMES[:meetings]:
        MeetingFactory(run=run, date=dt.date(2026, 3, day), start_time=dt.time(hour))
    return run


def enrol(run, **trainee_fields):
    return enrolment_create(trainee=TraineeProfileFactory(**trainee_fields), run=run)


def mark(run, attended: dict, *, by=None) -> None:
    """Save every meeting's register: enrolment -> number of meetings (from
    the first) attended; the rest absent. Call with the clock after them."""
    by = by or UserFactory()
    for index, meeting in enumerate(run.meetings.order_by("date", "start_time")):
        register_save(
            meeting=meeting,
            marks={
                enrolment.pk: "present" if index < count else "absent"
                for enrolment, count in attended.items()
            },
            by=by,
        )
