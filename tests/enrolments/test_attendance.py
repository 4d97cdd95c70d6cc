"""Attendance: the register, self check-in, how the rate is counted and the
low-attendance warning."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolments import checkin_codes
from enrolments.errors import EnrolmentError
from enrolments.models import AttendanceChange, AttendanceRecord, Enrolment
from enrolments.rules.attendance import attendance_summaries
from enrolments.services import enrolment_create
from enrolments.services.attendance import check_in, register_save
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db
Status = AttendanceRecord.Status


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, attendance_threshold_percent=75)


def make_run(course, *, meetings_days=(-3, -2, -1, 1), capacity=70):
    """A run around today with meetings on the given day offsets, all at 09:00."""
    run = CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=5),
        enrolment_closes_on=today() + dt.timedelta(days=5),
        capacity=capacity,
    )
    meetings = [
        MeetingFactory(
            run=run, date=today() + dt.timedelta(days=d), start_time=dt.time(9)
        )
        for d in meetings_days
    ]
    return run, meetings


def enrol_before_meetings(trainee, run):
    enrolment = enrolment_create(trainee=trainee, run=run)
    earlier = timezone.now() - dt.timedelta(days=10)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=earlier, seat_since=earlier
    )
    enrolment.refresh_from_db()
    return enrolment


def test_register_saves_everyone_and_records_who_changed_what(course):
    run, meetings = make_run(course)
    instructor = UserFactory()
    a, b = (enrol_before_meetings(TraineeProfileFactory(), run) for _ in range(2))

    changed = register_save(
        meeting=meetings[0],
        marks={a.pk: Status.PRESENT, b.pk: Status.ABSENT},
        by=instructor,
    )
    assert changed == 2
    changed = register_save(
        meeting=meetings[0],
        marks={a.pk: Status.PRESENT, b.pk: Status.EXCUSED},
        by=instructor,
    )
    assert changed == 1
    record = AttendanceRecord.objects.get(meeting=meetings[0], enrolment=b)
    assert record.status == Status.EXCUSED and record.updated_by == instructor
    history = list(record.changes.values_list("old_status", "new_status"))
    assert history == [("absent", "excused"), ("", "absent")]


@pytest.mark.parametrize("bad", ["maybe", "PRESENT", ""])
def test_register_refuses_an_unknown_status_and_saves_nothing(course, bad):
    run, meetings = make_run(course)
    a = enrol_before_meetings(TraineeProfileFactory(), run)
    with pytest.raises(EnrolmentError, match="Unknown attendance status"):
        register_save(meeting=meetings[0], marks={a.pk: bad}, by=UserFactory())
    assert not AttendanceRecord.objects.exists()


def test_register_refuses_a_trainee_of_another_run(course):
    run, meetings = make_run(course)
    other_run, _ = make_run(course)
    ours = enrol_before_meetings(TraineeProfileFactory(), run)
    theirs = enrol_before_meetings(TraineeProfileFactory(), other_run)
    with pytest.raises(EnrolmentError, match="not on this meeting's register"):
        register_save(
            meeting=meetings[0],
            marks={ours.pk: Status.PRESENT, theirs.pk: Status.PRESENT},
            by=UserFactory(),
        )
    assert not AttendanceRecord.objects.exists()


def test_register_of_60_trainees_uses_a_constant_number_of_queries(course):
    run, meetings = make_run(course)
    enrolments = [
        enrol_before_meetings(TraineeProfileFactory(), run) for _ in range(60)
    ]
    by = UserFactory()

    def save(meeting, count, status):
        marks = {e.pk: status for e in enrolments[:count]}
        with CaptureQueriesContext(connection) as queries:
            register_save(meeting=meeting, marks=marks, by=by)
        return len(queries)

    assert save(meetings[0], 6, Status.PRESENT) == save(meetings[1], 60, Status.PRESENT)
    # Updating marks is constant too.
    assert save(meetings[0], 6, Status.LATE) == save(meetings[1], 60, Status.LATE)


def test_rate_counts_late_as_present_and_skips_meetings_before_enrolment(course):
    run, meetings = make_run(course, meetings_days=(-3, -2, -1, 1))
    early = enrol_before_meetings(TraineeProfileFactory(), run)
    late_joiner = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    Enrolment.objects.filter(pk=late_joiner.pk).update(
        seat_since=meetings[1].starts_at + dt.timedelta(hours=1)
    )
    late_joiner.refresh_from_db()
    by = UserFactory()
    register_save(meeting=meetings[0], marks={early.pk: Status.PRESENT}, by=by)
    register_save(meeting=meetings[1], marks={early.pk: Status.LATE}, by=by)
    register_save(
        meeting=meetings[2],
        marks={early.pk: Status.ABSENT, late_joiner.pk: Status.PRESENT},
        by=by,
    )

    summaries = attendance_summaries([early, late_joiner])

    assert (summaries[early.pk].attended, summaries[early.pk].held) == (2, 3)
    assert summaries[early.pk].percent == Decimal("66.7")
    assert summaries[early.pk].remaining == 1
    assert (summaries[late_joiner.pk].attended, summaries[late_joiner.pk].held) == (
        1,
        1,
    )
    assert summaries[late_joiner.pk].percent == 100


def test_excused_counts_only_when_the_course_says_so(course):
    run, meetings = make_run(course, meetings_days=(-2, -1))
    enrolment = enrol_before_meetings(TraineeProfileFactory(), run)
    by = UserFactory()
    register_save(meeting=meetings[0], marks={enrolment.pk: Status.PRESENT}, by=by)
    register_save(meeting=meetings[1], marks={enrolment.pk: Status.EXCUSED}, by=by)
    enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
    assert attendance_summaries([enrolment])[enrolment.pk].percent == 50

    course.excused_counts_as_present = True
    course.save_revision().publish()
    enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
    assert attendance_summaries([enrolment])[enrolment.pk].percent == 100


def test_low_attendance_warning_is_sent_once_per_run(
    course, mailoutbox, django_capture_on_commit_callbacks
):
    run, meetings = make_run(course, meetings_days=(-3, -2, -1, 1))
    enrolment = enrol_before_meetings(
        TraineeProfileFactory(full_name="Đorđe Petrović"), run
    )
    fine = enrol_before_meetings(TraineeProfileFactory(), run)
    by = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for meeting in meetings[:3]:
            register_save(
                meeting=meeting,
                marks={enrolment.pk: Status.ABSENT, fine.pk: Status.PRESENT},
                by=by,
            )
    warnings = [m for m in mailoutbox if m.subject.startswith("Your attendance in")]
    assert len(warnings) == 1
    assert warnings[0].to == [enrolment.trainee.user.email]
    assert "Đorđe Petrović" in warnings[0].body
    assert "will not reach it" in warnings[0].body


def test_absent_twice_in_a_row_the_trainee_is_told_once_and_the_overview_says_so(
    course, mailoutbox, django_capture_on_commit_callbacks, client
):
    """The course's default: two absences in a row. One e-mail per streak,
    however many registers are saved; a meeting attended ends the streak."""
    from django.urls import reverse

    run, meetings = make_run(course, meetings_days=(-4, -3, -2, -1))
    away = enrol_before_meetings(TraineeProfileFactory(full_name="Ana Kovač"), run)
    here = enrol_before_meetings(TraineeProfileFactory(), run)
    instructor = UserFactory()
    run.instructors.add(InstructorFactory(user=instructor))
    run.save()

    def save(meeting, mark):
        with django_capture_on_commit_callbacks(execute=True):
            register_save(
                meeting=meeting,
                marks={away.pk: mark, here.pk: Status.PRESENT},
                by=instructor,
            )

    def alerts():
        return [m for m in mailoutbox if m.subject.startswith("We missed you")]

    save(meetings[0], Status.ABSENT)
    assert not alerts()
    save(meetings[1], Status.ABSENT)
    (alert,) = alerts()
    assert alert.to == [away.trainee.user.email]
    assert "absent from the last 2 meetings of" in alert.body.replace("\n", " ")
    save(meetings[2], Status.ABSENT)  # the same streak: no second e-mail
    save(meetings[1], Status.ABSENT)  # a register saved again: none either
    assert len(alerts()) == 1

    client.force_login(instructor)
    overview = reverse("teaching:run_overview", args=[run.pk])
    page = client.get(overview, follow=True).content.decode()
    assert "absent 3 times in a row" in page
    save(meetings[3], Status.PRESENT)
    page = client.get(overview, follow=True).content.decode()
    assert "in a row" not in page
    assert len(alerts()) == 1


def test_no_absence_alert_when_the_course_turns_it_off(
    course, mailoutbox, django_capture_on_commit_callbacks
):
    course.absence_alert_after = 0
    course.save_revision().publish()
    run, meetings = make_run(course, meetings_days=(-3, -2, -1))
    away = enrol_before_meetings(TraineeProfileFactory(), run)
    with django_capture_on_commit_callbacks(execute=True):
        for meeting in meetings:
            register_save(
                meeting=meeting, marks={away.pk: Status.ABSENT}, by=UserFactory()
            )
    assert not [m for m in mailoutbox if m.subject.startswith("We missed you")]
    summary = attendance_summaries([away])[away.pk]
    assert (summary.absent_in_a_row, summary.absent_since) == (3, meetings[0].pk)


def checkin_setup(course, *, minutes_from_start=5):
    """A meeting that started `minutes_from_start` ago, and a confirmed trainee."""
    run, _ = make_run(course, meetings_days=())
    start = timezone.localtime() - dt.timedelta(minutes=minutes_from_start)
    meeting = MeetingFactory(
        run=run,
        date=start.date(),
        start_time=start.time().replace(microsecond=0),
        duration_minutes=120,
    )
    trainee = TraineeProfileFactory()
    enrol_before_meetings(trainee, run)
    return meeting, trainee


def current_code(meeting):
    return checkin_codes.code_for(meeting.pk, checkin_codes.current_step())


def test_trainee_checks_in_with_the_code_shown(course):
    meeting, trainee = checkin_setup(course)
    record = check_in(
        enrolment_owner=trainee, meeting=meeting, code=current_code(meeting).lower()
    )
    assert record.status == Status.PRESENT and record.source == "check_in"
    assert AttendanceChange.objects.get(record=record).changed_by == trainee.user


def test_checking_in_after_15_minutes_is_late(course):
    meeting, trainee = checkin_setup(course, minutes_from_start=30)
    assert (
        check_in(
            enrolment_owner=trainee, meeting=meeting, code=current_code(meeting)
        ).status
        == Status.LATE
    )


def test_check_in_refusals_say_why_and_change_nothing(course):
    meeting, trainee = checkin_setup(course)
    other_meeting, _ = checkin_setup(course)
    expired = checkin_codes.code_for(meeting.pk, checkin_codes.current_step() - 5)
    cases = [
        (trainee, meeting, expired, "This code has expired"),
        (trainee, meeting, current_code(other_meeting), "not the code of this meeting"),
        (
            TraineeProfileFactory(),
            meeting,
            current_code(meeting),
            "do not have a confirmed place",
        ),
    ]
    for who, where, code, message in cases:
        with pytest.raises(EnrolmentError, match=message):
            check_in(enrolment_owner=who, meeting=where, code=code)
    assert not AttendanceRecord.objects.exists()

    check_in(enrolment_owner=trainee, meeting=meeting, code=current_code(meeting))
    with pytest.raises(EnrolmentError, match="already checked in"):
        check_in(enrolment_owner=trainee, meeting=meeting, code=current_code(meeting))
    assert AttendanceRecord.objects.count() == 1


def test_check_in_outside_the_window_is_refused(course):
    run, meetings = make_run(course, meetings_days=(2,))
    trainee = TraineeProfileFactory()
    enrol_before_meetings(trainee, run)
    with pytest.raises(EnrolmentError, match="Check-in for this meeting is open from"):
        check_in(
            enrolment_owner=trainee, meeting=meetings[0], code=current_code(meetings[0])
        )


def test_codes_rotate_and_differ_between_meetings():
    step = checkin_codes.current_step()
    assert checkin_codes.code_for(1, step) != checkin_codes.code_for(1, step + 1)
    assert checkin_codes.code_for(1, step) != checkin_codes.code_for(2, step)
    assert len(checkin_codes.code_for(1, step)) == 6
    assert 30 <= checkin_codes.STEP_SECONDS <= 60
