"""The calendar file a trainee downloads: every text an instructor wrote is
escaped and folded as RFC 5545 says, and only those with (or waiting for) a seat
get a file, the online meeting's link only those whose seat is confirmed."""

import datetime as dt

import pytest
from django.urls import reverse

from courses.models import CoursePage
from enrolments.services import (
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
)

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://meet.example.com/secret-room-4f7a"
PROPERTIES = {
    "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME",
    "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION",
    "SEQUENCE", "STATUS", "ACTION", "TRIGGER", "DESCRIPTION",
}  # fmt: skip


def content_lines(body: bytes) -> list[str]:
    """Unfold (section 3.1) and split into content lines, as a calendar app does."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
        # Any bare CR or LF left inside a line is a line break to a lenient
        # reader: an injected property would start after it.
        assert "\r" not in line and "\n" not in line, line
    lines: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def property_value(lines: list[str], name: str) -> list[str]:
    return [line.split(":", 1)[1] for line in lines if line.split(":")[0] == name]


@pytest.fixture
def trainee():
    return TraineeProfileFactory()


@pytest.fixture
def trainee_client(client, trainee):
    client.force_login(trainee.user)
    return client


@pytest.fixture
def run(catalogue):
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue, title="Kubernetes"),
        capacity=1,
        location="",
        online_url=SECRET_LINK,
    )
    MeetingFactory(run=run, start_time=dt.time(17, 30), room="")
    return run


def calendar(client, enrolment):
    return client.get(reverse("learning:calendar", args=[enrolment.pk]))


@pytest.mark.parametrize("line_break", ["\r", "\n", "\r\n", "\u2028", "\x85"])
def test_a_line_break_in_a_title_cannot_start_a_property(
    trainee_client, trainee, run, line_break
):
    MeetingFactory(
        run=run,
        date=run.ends_on,
        title=f"Wrap-up{line_break}DTSTART:19700101T000000Z",
        room="",
    )
    enrolment = enrolment_create(trainee=trainee, run=run)

    lines = content_lines(calendar(trainee_client, enrolment).content)

    assert {line.split(":")[0].split(";")[0] for line in lines} <= PROPERTIES
    assert "19700101T000000Z" not in property_value(lines, "DTSTART")
    assert "Kubernetes: Wrap-up\\nDTSTART:19700101T000000Z" in property_value(
        lines, "SUMMARY"
    )


def test_text_values_escape_backslash_semicolon_and_comma_and_drop_controls(
    trainee_client, trainee, run
):
    MeetingFactory(
        run=run,
        date=run.ends_on,
        title="Q&A; C:\\temp, then\x07 a\x1b break",
        room="Room 2; floor 3, left",
    )
    enrolment = enrolment_create(trainee=trainee, run=run)

    lines = content_lines(calendar(trainee_client, enrolment).content)

    assert "Kubernetes: Q&A\\; C:\\\\temp\\, then a break" in property_value(
        lines, "SUMMARY"
    )
    assert "Room 2\\; floor 3\\, left" in property_value(lines, "LOCATION")


def test_long_lines_fold_at_75_octets_without_splitting_a_letter(
    trainee_client, trainee, run
):
    # 144 letters (the field holds 150), 232 octets in UTF-8.
    title = "Đorđe i Ћирилица: " * 8
    MeetingFactory(run=run, date=run.ends_on, title=title, room="")
    enrolment = enrolment_create(trainee=trainee, run=run)

    body = calendar(trainee_client, enrolment).content
    lines = content_lines(body)  # asserts 75 octets and valid UTF-8

    assert body.count(b"\r\n ") >= 3  # 244 octets of SUMMARY need three folds
    assert f"Kubernetes: {title}".replace(",", "\\,") in property_value(
        lines, "SUMMARY"
    )


def test_a_confirmed_trainee_gets_the_online_link(trainee_client, trainee, run):
    enrolment = enrolment_create(trainee=trainee, run=run)
    lines = content_lines(calendar(trainee_client, enrolment).content)
    assert property_value(lines, "LOCATION") == [SECRET_LINK]


def test_a_waitlisted_trainee_gets_the_meetings_without_the_online_link(
    trainee_client, trainee, run
):
    enrolment_create(trainee=TraineeProfileFactory(), run=run)
    enrolment = enrolment_create(trainee=trainee, run=run)
    assert enrolment.status == "waitlisted"

    response = calendar(trainee_client, enrolment)

    assert response.status_code == 200
    assert SECRET_LINK.encode() not in response.content
    assert response.content.count(b"BEGIN:VEVENT") == 1


def test_a_cancelled_enrolment_has_no_calendar(trainee_client, trainee, run):
    enrolment = enrolment_create(trainee=trainee, run=run)
    enrolment_cancel(enrolment=enrolment)

    response = calendar(trainee_client, enrolment)

    assert response.status_code == 404
    assert SECRET_LINK.encode() not in response.content
    page = trainee_client.get(reverse("learning:home")).content.decode()
    assert reverse("learning:calendar", args=[enrolment.pk]) not in page


def test_a_rejected_enrolment_has_no_calendar(trainee_client, trainee, run, admin_user):
    run.course.enrolment_policy = CoursePage.EnrolmentPolicy.APPROVAL
    run.course.save()
    enrolment = enrolment_create(trainee=trainee, run=run)
    assert calendar(trainee_client, enrolment).status_code == 200
    assert SECRET_LINK.encode() not in calendar(trainee_client, enrolment).content

    enrolment_reject(enrolment=enrolment, by=admin_user, reason="Full this time")

    response = calendar(trainee_client, enrolment)
    assert response.status_code == 404
    assert SECRET_LINK.encode() not in response.content
