"""Each user's calendar subscription: made on the calendar page, read by a
calendar app with no log-in, parsed here with the icalendar library as an
external client does, twice, to see that a moved meeting replaces its event
(same UID, higher SEQUENCE) and a removed one is marked cancelled."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from courses.models import Meeting
from enrolments.models import CalendarFeed
from enrolments.services import enrolment_cancel, enrolment_create
from enrolments.services.privacy import trainee_erase
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
LINK = "https://meet.example.com/room-7"


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=BELGRADE)


@pytest.fixture
def academy(time_machine, catalogue):
    """A trainee confirmed in an online run with two meetings (14 and 15
    December, 10:00), at 1 December."""
    time_machine.move_to(at(1, 9), tick=False)
    course = CoursePageFactory(parent=catalogue, title="Кубернетес у продукцији")
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 12, 14),
        ends_on=dt.date(2026, 12, 15),
        location="",
        online_url=LINK,
    )
    first = MeetingFactory(run=run, date=dt.date(2026, 12, 14), start_time=dt.time(10))
    second = MeetingFactory(
        run=run, date=dt.date(2026, 12, 15), start_time=dt.time(10), title="Završni rad"
    )
    trainee = TraineeProfileFactory()
    enrolment = enrolment_create(trainee=trainee, run=run)
    return {
        "run": run,
        "first": first,
        "second": second,
        "trainee": trainee,
        "enrolment": enrolment,
    }


def subscribe(client, user) -> str:
    """Create the address on the calendar page, as the user does; its path."""
    client.force_login(user)
    response = client.post(reverse("learning:calendar_page"), {"action": "renew"})
    assert response.status_code == 302
    page = client.get(reverse("learning:calendar_page")).content.decode()
    token = CalendarFeed.objects.get(user=user).token
    path = reverse("calendar_feed", args=[token])
    assert f"http://testserver{path}" in page
    assert f"webcal://testserver{path}" in page
    client.logout()
    return path


def events_of(client, path) -> dict:
    """What a calendar app reads: events by UID."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75, line
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_trainee_subscribes_and_their_calendar_app_reads_every_meeting(
    academy, client
):
    path = subscribe(client, academy["trainee"].user)
    events = events_of(client, path)  # no log-in, as a calendar app

    first, second = academy["first"], academy["second"]
    assert set(events) == {
        f"meeting-{first.pk}@testserver",
        f"meeting-{second.pk}@testserver",
    }
    event = events[f"meeting-{second.pk}@testserver"]
    assert str(event["SUMMARY"]) == "Кубернетес у продукцији: Završni rad"
    assert event.decoded("DTSTART") == at(15, 10)
    assert event.decoded("DTEND") == at(15, 13)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == LINK  # a confirmed place: the link
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=1)
    assert str(alarm["ACTION"]) == "DISPLAY"


def test_a_moved_meeting_replaces_its_event_and_a_removed_one_is_cancelled(
    academy, client
):
    path = subscribe(client, academy["trainee"].user)
    first, second = academy["first"], academy["second"]
    before = events_of(client, path)

    # The instructor moves the first meeting an hour later, then removes
    # the second, as the run's editor does (save and delete).
    first.start_time = dt.time(11)
    first.save()
    removed_uid = f"meeting-{second.pk}@testserver"
    second.delete()
    unchanged = Meeting.objects.get(pk=first.pk)
    unchanged.save()  # saved again with nothing changed

    after = events_of(client, path)
    uid = f"meeting-{first.pk}@testserver"
    assert after[uid].decoded("DTSTART") == at(14, 11)
    assert before[uid].decoded("DTSTART") == at(14, 10)
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1 == 1
    removed = after[removed_uid]
    assert str(removed["STATUS"]) == "CANCELLED"
    assert int(removed["SEQUENCE"]) == 1
    assert not removed.walk("VALARM")


def test_a_cancelled_place_leaves_its_meetings_cancelled_without_the_link(
    academy, client
):
    path = subscribe(client, academy["trainee"].user)
    enrolment_cancel(enrolment=academy["enrolment"])
    events = events_of(client, path)
    assert {str(event["STATUS"]) for event in events.values()} == {"CANCELLED"}
    assert all("LOCATION" not in event for event in events.values())


def test_the_waitlist_sees_its_meetings_but_not_the_link(academy, client, catalogue):
    run = academy["run"]
    run.capacity = 1
    run.save()
    waiting = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    assert waiting.status == "waitlisted"
    events = events_of(client, subscribe(client, waiting.trainee.user))
    assert len(events) == 2
    assert all("LOCATION" not in event for event in events.values())


def test_an_instructor_sees_the_meetings_of_the_runs_they_teach(academy, client):
    teacher = UserFactory()
    InstructorFactory(user=teacher)
    run = academy["run"]
    run.instructors.add(teacher.instructor)
    run.save()
    events = events_of(client, subscribe(client, teacher))
    assert len(events) == 2
    assert {str(event["LOCATION"]) for event in events.values()} == {LINK}


def test_a_new_address_replaces_the_old_and_turning_it_off_ends_it(academy, client):
    user = academy["trainee"].user
    old = subscribe(client, user)
    new = subscribe(client, user)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200

    client.force_login(user)
    response = client.post(
        reverse("learning:calendar_page"), {"action": "revoke"}, follow=True
    )
    assert "Your calendar address no longer works" in response.content.decode()
    assert "Create my calendar address" in response.content.decode()
    assert client.get(new).status_code == 404
    assert client.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404


def test_an_erased_trainee_s_address_stops_working(academy, client, admin_user):
    path = subscribe(client, academy["trainee"].user)
    trainee_erase(trainee=academy["trainee"], by=admin_user)
    assert client.get(path).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_calendar_page_needs_a_log_in_and_a_post_to_change(academy, client):
    page = reverse("learning:calendar_page")
    assert client.get(page).status_code == 302
    assert client.post(page, {"action": "renew"}).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(academy["trainee"].user)
    assert "Create my calendar address" in client.get(page).content.decode()
    assert not CalendarFeed.objects.exists()  # looking makes nothing


def test_the_feed_reads_in_the_same_number_of_queries_for_1_and_6_runs(
    academy, client, catalogue
):
    user = academy["trainee"].user
    path = subscribe(client, user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    one = queries()
    for number in range(5):
        run = CourseRunFactory(
            course=CoursePageFactory(parent=catalogue, title=f"Kurs {number}"),
            starts_on=dt.date(2026, 12, 20),
            ends_on=dt.date(2026, 12, 21),
        )
        MeetingFactory(run=run, date=dt.date(2026, 12, 20))
        MeetingFactory(run=run, date=dt.date(2026, 12, 21))
        enrolment_create(trainee=academy["trainee"], run=run)
    assert len(events_of(client, path)) == 12
    assert queries() == one
