"""The day before each meeting its trainees are reminded, once each, in
their language; not those who turned reminders off, said they cannot come,
cancelled or were erased. Beat's schedule is driven with a frozen clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from academy_site.outbox.models import OutboundEmail
from enrolments.services import enrolment_cancel, enrolment_create
from enrolments.services.attendance import apology_send
from enrolments.services.reminders import meeting_reminders_queue
from enrolments.tasks import send_meeting_reminders
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=BELGRADE)


@pytest.fixture
def academy(time_machine, catalogue):
    """A run with meetings on 10 and 11 December at 10:00; at 1 December."""
    time_machine.move_to(at(1, 9), tick=False)
    course = CoursePageFactory(parent=catalogue, title="Kubernetes u produkciji")
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 12, 10),
        ends_on=dt.date(2026, 12, 11),
        enrolment_opens_on=dt.date(2026, 11, 20),
        enrolment_closes_on=dt.date(2026, 12, 8),
        location="Bulevar oslobođenja 1, Novi Sad",
    )
    first = MeetingFactory(
        run=run, date=dt.date(2026, 12, 10), start_time=dt.time(10), room="Sala 2"
    )
    second = MeetingFactory(run=run, date=dt.date(2026, 12, 11), start_time=dt.time(10))

    def trainee(name, email, language="en", **profile):
        person = TraineeProfileFactory(
            full_name=name,
            preferred_language=language,
            user=UserFactory(username=email, email=email),
            **profile,
        )
        return enrolment_create(trainee=person, run=run)

    return {
        "run": run,
        "first": first,
        "second": second,
        "ana": trainee("Ana Kovač", "ana@firma.rs"),
        "jovana": trainee("Јована Јовановић", "jovana@firma.rs", language="sr"),
        "quiet": trainee("Milan Tihi", "milan@firma.rs", meeting_reminders=False),
        "away": trainee("Sara Daleko", "sara@firma.rs"),
        "gone": trainee("Goran Otkazao", "goran@firma.rs"),
    }


def reminders_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_a_day_of_beat_reminds_each_trainee_once_in_their_language(
    academy, time_machine, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    apology_send(
        enrolment_owner=academy["away"].trainee, meeting=academy["first"], reason="x"
    )
    enrolment_cancel(enrolment=academy["gone"])

    def beat_until(moment) -> int:
        """Beat's quarter-hourly runs, from the clock's time to `moment`."""
        queued = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True):
                queued += send_meeting_reminders()
            if timezone.now() >= moment:
                return queued
            time_machine.move_to(timezone.now() + dt.timedelta(minutes=15), tick=False)

    # Nothing is due until 10:00 the day before; then the first meeting's.
    time_machine.move_to(at(9, 8), tick=False)
    assert beat_until(at(9, 9, 45)) == 0
    assert beat_until(at(9, 12)) == 2  # Ana and Јована; not Milan, Sara, Goran
    (ana,) = reminders_to("ana@firma.rs")
    assert ana.subject == (
        "Reminder: Kubernetes u produkciji on 10 December 2026 at 10:00"
    )
    body = ana.body.replace("\n", " ")
    assert "Where: Sala 2" in body
    assert reverse("learning:apology", args=[academy["first"].pk]) in body
    (jovana,) = reminders_to("jovana@firma.rs")
    assert jovana.subject.startswith("Подсетник")
    assert "10. децембра 2026." in jovana.subject
    # The rest of the day and the next morning: the second meeting's, once.
    assert beat_until(at(10, 12)) == 3  # Ana, Јована and now Sara
    assert not reminders_to("milan@firma.rs") and not reminders_to("goran@firma.rs")
    assert len(reminders_to("sara@firma.rs")) == 1  # the second meeting's only
    assert len(reminders_to("ana@firma.rs")) == 2
    assert OutboundEmail.objects.filter(kind="enrolment.meeting_reminder").count() == 5


def test_a_second_run_of_the_queue_queues_nothing(academy, time_machine):
    time_machine.move_to(at(9, 11), tick=False)
    assert meeting_reminders_queue() == 4  # all but Milan, who turned them off
    assert meeting_reminders_queue() == 0
    assert OutboundEmail.objects.filter(kind="enrolment.meeting_reminder").count() == 4


def test_the_profile_turns_reminders_off_and_on(client, academy):
    ana = academy["ana"].trainee
    client.force_login(ana.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "E-mail me a reminder the day before each meeting" in page
    assert 'name="meeting_reminders"' in page and "checked" in page

    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": ana.full_name,
            "organisation": "",
            "preferred_language": "en",
        },
    )

    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.meeting_reminders is False


def moved_notices(address):
    return [m for m in mail.outbox if m.to == [address] and "moved" in m.subject]


def test_a_moved_meeting_is_announced_once_and_reminded_of_again(
    academy, time_machine, django_capture_on_commit_callbacks
):
    enrolment_cancel(enrolment=academy["gone"])
    meeting = academy["first"]
    time_machine.move_to(at(9, 11), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reminders_queue()
    assert len(reminders_to("ana@firma.rs")) == 1

    # The instructor moves it to the afternoon (the run's editor saves it so).
    meeting.start_time = dt.time(15, 30)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save()
        meeting.save()  # saved again unchanged: nothing more

    (notice,) = moved_notices("ana@firma.rs")
    assert notice.subject == (
        "Kubernetes u produkciji: a meeting moved to 10 December 2026 at 15:30"
    )
    body = notice.body.replace("\n", " ")
    assert "planned for 10 December 2026 at 10:00 has moved" in body
    # Everyone with a place is told, reminders or not; not who cancelled.
    assert len(moved_notices("milan@firma.rs")) == 1
    assert not moved_notices("goran@firma.rs")
    # The reminder for the new time goes too, a day before it (once).
    time_machine.move_to(at(9, 15, 45), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reminders_queue()
        meeting_reminders_queue()
    reminders = [m for m in reminders_to("ana@firma.rs") if "Reminder" in m.subject]
    assert [m.subject[-5:] for m in reminders] == ["10:00", "15:30"]


def test_a_meeting_moved_after_it_took_place_is_not_announced(
    academy, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(12, 9), tick=False)
    meeting = academy["first"]
    meeting.start_time = dt.time(11)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save()
    assert not [m for m in mail.outbox if "moved" in m.subject]


def test_those_who_ask_are_also_reminded_two_hours_before_never_twice_at_once(
    academy, time_machine, django_capture_on_commit_callbacks, client
):
    from django.utils import timezone

    run = academy["run"]
    both = TraineeProfileFactory(
        full_name="Vesna Oba",
        preferred_language="en",
        user=UserFactory(username="vesna@firma.rs", email="vesna@firma.rs"),
    )
    # Vesna asks for both reminders on her profile page.
    client.force_login(both.user)
    client.post(
        reverse("accounts:profile"),
        {
            "full_name": both.full_name,
            "organisation": "",
            "preferred_language": "en",
            "meeting_reminders": "on",
            "meeting_reminders_soon": "on",
        },
    )
    both.refresh_from_db()
    assert both.meeting_reminders and both.meeting_reminders_soon
    enrolment_create(trainee=both, run=run)
    only_soon = TraineeProfileFactory(
        full_name="Uroš Kasno",
        preferred_language="sr",
        user=UserFactory(username="uros@firma.rs", email="uros@firma.rs"),
        meeting_reminders=False,
        meeting_reminders_soon=True,
    )
    enrolment_create(trainee=only_soon, run=run)

    def beat(start, end) -> None:
        time_machine.move_to(start, tick=False)
        while timezone.now() <= end:
            with django_capture_on_commit_callbacks(execute=True):
                send_meeting_reminders()
            time_machine.move_to(timezone.now() + dt.timedelta(minutes=15), tick=False)

    # The day before and the morning of the first meeting (10:00).
    beat(at(9, 9), at(10, 9, 45))
    vesna = [m.subject for m in reminders_to("vesna@firma.rs")]
    assert vesna == [
        "Reminder: Kubernetes u produkciji on 10 December 2026 at 10:00",
        "Soon: Kubernetes u produkciji at 10:00",
        # The second meeting's day-before reminder, at 10:00 on the 10th, is
        # not due yet at 9:45.
    ]
    (uros,) = reminders_to("uros@firma.rs")
    assert uros.subject == "Ускоро: Kubernetes u produkciji у 10:00"
    assert "почиње ускоро" in uros.body

    # Someone who enrols an hour before the meeting gets only the two-hour one.
    late = TraineeProfileFactory(
        full_name="Lana Zadnja",
        preferred_language="en",
        user=UserFactory(username="lana@firma.rs", email="lana@firma.rs"),
        meeting_reminders_soon=True,
    )
    time_machine.move_to(at(11, 8, 50), tick=False)
    enrolment_create(trainee=late, run=run, on=dt.date(2026, 12, 8))
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_reminders()
        send_meeting_reminders()
    assert [m.subject for m in reminders_to("lana@firma.rs")] == [
        "Soon: Kubernetes u produkciji at 10:00"
    ]
