"""Scheduling runs and meetings in the Wagtail admin, as an academy admin does."""

import datetime as dt

import pytest
from django.urls import reverse

from courses.models import CoursePage, CourseRun
from tests.factories import CoursePageFactory, UserFactory, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def run_form(course, meetings=(), **overrides):
    start = today() + dt.timedelta(days=30)
    data = {
        "course": course.pk,
        "label": "Spring",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=2)).isoformat(),
        "enrolment_opens_on": "",
        "enrolment_closes_on": (start - dt.timedelta(days=3)).isoformat(),
        "capacity": "18",
        "location": "Novi Sad",
        "online_url": "",
        "meetings-TOTAL_FORMS": str(len(meetings)),
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    for i, meeting in enumerate(meetings):
        for key, value in meeting.items():
            data[f"meetings-{i}-{key}"] = value
        data[f"meetings-{i}-ORDER"] = str(i + 1)
        data[f"meetings-{i}-DELETE"] = ""
        data[f"meetings-{i}-id"] = ""
    data.update(overrides)
    return data


def meeting(day: dt.date, time="09:00", minutes="120"):
    return {
        "title": "",
        "date": day.isoformat(),
        "start_time": time,
        "duration_minutes": minutes,
        "room": "Room 1",
        "online_url": "",
    }


ADD_URL = "wagtailsnippets_courses_courserun:add"


def test_admin_schedules_a_run_with_meetings(admin_client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    start = today() + dt.timedelta(days=30)
    response = admin_client.post(
        reverse(ADD_URL),
        run_form(
            course, [meeting(start), meeting(start + dt.timedelta(days=1), "17:30")]
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    run = CourseRun.objects.get()
    assert run.course_id == course.pk
    assert [str(m.start_time) for m in run.meetings.all()] == ["09:00:00", "17:30:00"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"ends_on": (today() + dt.timedelta(days=29)).isoformat()},
            "A run cannot end before it starts.",
        ),
        ({"capacity": "-1"}, "Capacity must be at least one seat."),
        (
            {"enrolment_closes_on": (today() + dt.timedelta(days=40)).isoformat()},
            "The enrolment window must close on or before the run ends.",
        ),
        ({"location": ""}, "Give a venue address, an online meeting link, or both."),
    ],
)
def test_admin_refuses_impossible_runs_with_a_clear_message(
    admin_client, catalogue, overrides, message
):
    course = CoursePageFactory(parent=catalogue)
    response = admin_client.post(reverse(ADD_URL), run_form(course, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CourseRun.objects.exists()


def test_admin_refuses_a_meeting_outside_the_run(admin_client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    response = admin_client.post(
        reverse(ADD_URL), run_form(course, [meeting(today() + dt.timedelta(days=90))])
    )
    assert response.status_code == 200
    assert "Pick a date within the run" in response.content.decode()
    assert not CourseRun.objects.exists()


def test_run_listing_shows_seats_left(admin_client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    admin_client.post(reverse(ADD_URL), run_form(course))
    response = admin_client.get(reverse("wagtailsnippets_courses_courserun:list"))
    assert response.status_code == 200
    assert "Secure coding" in response.content.decode()


def test_editors_can_open_the_course_and_module_editors(admin_client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    for model, parent in (("coursepage", catalogue), ("modulepage", course)):
        url = reverse("wagtailadmin_pages:add", args=("courses", model, parent.pk))
        response = admin_client.get(url)
        assert response.status_code == 200, model
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Course details", "Prices and enrolment", "Certificate rules"):
        assert label in html


def test_a_course_cannot_be_added_outside_the_catalogue(admin_client, catalogue):
    home = catalogue.get_parent()
    url = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", home.pk))
    response = admin_client.get(url)
    # Wagtail refuses the page type there and sends the editor back.
    assert response.status_code == 302
    assert not CoursePage.objects.child_of(home).exists()
