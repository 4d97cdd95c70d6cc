""" "I can't come": before a meeting starts a trainee with a place tells the
instructor; the register shows it and marks them excused unless the
instructor decided otherwise. The clock is fixed on a meeting day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from enrolments.models import AttendanceChange, AttendanceRecord, Enrolment
from enrolments.rules.attendance import attendance_summaries
from enrolments.services import enrolment_create
from enrolments.services.attendance import (
    ApologyRefused,
    apology_send,
    register_save,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")
Status = AttendanceRecord.Status


@pytest.fixture
def morning(time_machine):
    """08:30 on 3 December 2026; the meeting is at 10:00."""
    time_machine.move_to(dt.datetime(2026, 12, 3, 8, 30, tzinfo=BELGRADE), tick=False)


@pytest.fixture
def setup(morning, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Kubernetes u produkciji")
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 10),
        enrolment_opens_on=dt.date(2026, 11, 1),
        enrolment_closes_on=dt.date(2026, 12, 5),
    )
    meeting = MeetingFactory(
        run=run, date=dt.date(2026, 12, 3), start_time=dt.time(10, 0)
    )
    trainee = TraineeProfileFactory(full_name="Ana Kovač")
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    )
    instructor = UserFactory()
    run.instructors.add(InstructorFactory(user=instructor))
    run.save()
    return {"meeting": meeting, "trainee": trainee, "instructor": instructor}


def test_the_trainee_says_they_cannot_come_and_the_register_shows_it(client, setup):
    meeting, trainee = setup["meeting"], setup["trainee"]
    client.force_login(trainee.user)
    home = client.get(reverse("learning:home")).content.decode()
    url = reverse("learning:apology", args=[meeting.pk])
    assert f'href="{url}"' in home and "I can't come" in home

    response = client.post(url, {"reason": "A client visit in Subotica."})

    assert response.status_code == 302
    record = AttendanceRecord.objects.get(meeting=meeting)
    assert (record.status, record.source, record.apology) == (
        Status.EXCUSED,
        AttendanceRecord.Source.APOLOGY,
        "A client visit in Subotica.",
    )
    assert AttendanceChange.objects.filter(record=record, source="apology").exists()
    home = client.get(reverse("learning:home")).content.decode()
    assert "You told your instructor you cannot come." in home

    client.force_login(setup["instructor"])
    register = client.get(
        reverse("teaching:register", args=[meeting.pk]), follow=True
    ).content.decode()
    assert "A client visit in Subotica." in register
    assert "Can&#x27;t come (said on" in register or "Can't come (said on" in register


def test_the_instructors_mark_stands_and_the_course_decides_how_excused_counts(
    setup,
):
    meeting, trainee = setup["meeting"], setup["trainee"]
    enrolment = Enrolment.objects.get(trainee=trainee)
    apology_send(enrolment_owner=trainee, meeting=meeting, reason="Ill")
    # The instructor saves the register after the meeting: their mark stands,
    # the apology is kept beside it.
    register_save(
        meeting=meeting, marks={enrolment.pk: Status.ABSENT}, by=setup["instructor"]
    )
    record = AttendanceRecord.objects.get(meeting=meeting)
    assert (record.status, record.apology) == (Status.ABSENT, "Ill")


def test_an_apology_after_the_start_or_without_a_place_is_refused(
    client, setup, time_machine
):
    meeting, trainee = setup["meeting"], setup["trainee"]
    stranger = TraineeProfileFactory()
    with pytest.raises(ApologyRefused, match="confirmed place"):
        apology_send(enrolment_owner=stranger, meeting=meeting)
    client.force_login(stranger.user)
    url = reverse("learning:apology", args=[meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404

    with pytest.raises(ApologyRefused, match="under 500 characters"):
        apology_send(enrolment_owner=trainee, meeting=meeting, reason="x" * 501)

    time_machine.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=BELGRADE), tick=False)
    with pytest.raises(ApologyRefused, match="has started"):
        apology_send(enrolment_owner=trainee, meeting=meeting)
    client.force_login(trainee.user)
    page = client.get(url).content.decode()
    assert "This meeting has started" in page
    assert not AttendanceRecord.objects.exists()


def test_excused_counts_as_the_course_says(setup):
    meeting, trainee = setup["meeting"], setup["trainee"]
    apology_send(enrolment_owner=trainee, meeting=meeting)
    enrolment = Enrolment.objects.select_related("course").get(trainee=trainee)
    course = enrolment.course
    import time_machine as tm

    with tm.travel(dt.datetime(2026, 12, 3, 12, 0, tzinfo=BELGRADE), tick=False):
        assert attendance_summaries([enrolment])[enrolment.pk].attended == 0
        course.excused_counts_as_present = True
        course.save_revision().publish()
        enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
        assert attendance_summaries([enrolment])[enrolment.pk].attended == 1
