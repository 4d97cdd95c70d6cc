"""Visitors' pages served from the cache (academy_site/public_cache.py), and
every change they show reaching the next visitor: a published edit, an
unpublished course, the last seat taken or freed through the real pages, a
new day. Users who are logged in are never served a cached page, and each
visitor gets a CSRF token of their own."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolments.services import enrolment_cancel
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    ModulePageFactory,
    TraineeProfileFactory,
)

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")


@pytest.fixture
def course(time_machine, catalogue):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=BELGRADE), tick=False)
    course = CoursePageFactory(parent=catalogue, title="Kubernetes u produkciji")
    CourseRunFactory(
        course=course,
        capacity=2,
        starts_on=dt.date(2026, 12, 20),
        ends_on=dt.date(2026, 12, 21),
        enrolment_closes_on=dt.date(2026, 12, 18),
    )
    return course


def visit(path: str, client: Client | None = None):
    """A visitor's GET: a fresh browser unless `client` is given."""
    return (client or Client()).get(path)


def cached(response) -> str:
    return response.headers.get("X-Academy-Cache", "")


@pytest.mark.parametrize("page", ["home", "catalogue", "course"])
def test_the_second_visitor_is_served_from_the_cache_without_a_query(
    page, course, catalogue
):
    path = {"home": "/en/", "catalogue": catalogue.url, "course": course.url}[page]
    first = visit(path)
    assert first.status_code == 200 and cached(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = visit(path)
    assert cached(second) == "hit"
    assert len(queries) == 0
    assert second["Content-Type"] == first["Content-Type"]
    assert "Kubernetes u produkciji" in second.content.decode()


def test_each_visitor_gets_a_csrf_token_of_their_own(course):
    first = Client(enforce_csrf_checks=True)
    first.get(course.url)
    second = Client(enforce_csrf_checks=True)
    page = second.get(course.url)
    assert cached(page) == "hit"
    html = page.content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "__ACADEMY_CSRF_TOKEN__" not in html
    # The language switcher works with it, for this visitor.
    response = second.post(
        reverse("language_switch"),
        {"csrfmiddlewaretoken": token, "language": "sr-latn", "next": course.url},
    )
    assert response.status_code == 302


def test_logged_in_users_messages_and_other_parameters_are_never_cached(course):
    visit(course.url)
    trainee = TraineeProfileFactory(full_name="Ana Kovač")
    user_client = Client()
    user_client.force_login(trainee.user)
    page = user_client.get(course.url)
    assert cached(page) == ""
    assert "My learning" in page.content.decode()

    told = Client()
    told.cookies["messages"] = "something to say"
    assert cached(told.get(course.url)) == ""
    assert cached(visit(course.url + "?utm_source=newsletter")) == ""
    # Pages for the enrolled only are not cached either.
    module = ModulePageFactory(parent=course)
    assert cached(visit(module.url)) == ""


def test_a_published_change_reaches_the_next_visitor(course):
    assert cached(visit(course.url)) == "miss"
    course.title = "Kubernetes u produkciji, drugo izdanje"
    course.save_revision().publish()
    page = visit(course.url)
    assert cached(page) == "miss"
    assert "drugo izdanje" in page.content.decode()


def test_an_unpublished_course_leaves_the_catalogue_at_once(course, catalogue):
    assert "Kubernetes u produkciji" in visit(catalogue.url).content.decode()
    course.unpublish()
    assert "Kubernetes u produkciji" not in visit(catalogue.url).content.decode()


def test_the_last_seat_taken_through_the_page_shows_full_to_the_next_visitor(
    course, django_capture_on_commit_callbacks
):
    run = course.runs.get()
    assert "2 of 2 seats left" in visit(course.url).content.decode()
    assert cached(visit(course.url)) == "hit"
    enrolled = []
    for name in ("Ana", "Bojan"):
        trainee = TraineeProfileFactory(full_name=name)
        browser = Client()
        browser.force_login(trainee.user)
        with django_capture_on_commit_callbacks(execute=True):
            browser.post(reverse("learning:enrol_run", args=[run.pk]))
        enrolled.append(trainee)
    page = visit(course.url)
    assert cached(page) == "miss"
    assert "Full · waitlist" in page.content.decode()
    # A seat given back shows again.
    enrolment = run.enrolments.get(trainee=enrolled[0])
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=enrolment)
    assert "1 of 2 seats left" in visit(course.url).content.decode()


def test_a_run_edited_in_the_admin_reaches_the_next_visitor(course):
    visit(course.url)
    run = course.runs.get()
    run.location = "Narodnog fronta 12, Novi Sad"
    run.save()
    assert "Narodnog fronta 12" in visit(course.url).content.decode()


def test_a_new_day_and_the_time_limit_each_make_a_fresh_page(
    course, time_machine, settings
):
    visit(course.url)
    assert cached(visit(course.url)) == "hit"
    limit = dt.timedelta(seconds=settings.ACADEMY_PUBLIC_PAGE_CACHE_SECONDS + 1)
    time_machine.move_to(
        dt.datetime(2026, 12, 1, 9, tzinfo=BELGRADE) + limit, tick=False
    )
    assert cached(visit(course.url)) == "miss"
    time_machine.move_to(dt.datetime(2026, 12, 2, 0, 0, 1, tzinfo=BELGRADE), tick=False)
    assert cached(visit(course.url)) == "miss"


# The parts of every page kept as visitors' pages are (`site_wide`): the
# footer and the header's link to the catalogue, read by signed-in users too.


def signed_in() -> Client:
    browser = Client()
    browser.force_login(TraineeProfileFactory(full_name="Ana Kovač").user)
    return browser


def test_an_edited_footer_reaches_a_signed_in_user_at_once(course):
    from wagtail.models import Site

    from home.models import AcademySettings

    browser = signed_in()
    assert "Narodnog fronta 12" not in browser.get(reverse("learning:home")).text
    academy = AcademySettings.for_site(Site.objects.get(is_default_site=True))
    academy.address = "Narodnog fronta 12, Novi Sad"
    academy.save()
    assert "Narodnog fronta 12" in browser.get(reverse("learning:home")).text
    assert "Narodnog fronta 12" in browser.get(reverse("learning:home")).text


def test_the_header_links_to_the_catalogue_while_it_is_published(course, catalogue):
    browser = signed_in()
    link = f'<a href="{catalogue.url}"'
    assert link in browser.get(reverse("learning:home")).text
    with CaptureQueriesContext(connection) as queries:
        assert link in browser.get(reverse("learning:home")).text
    assert not [q for q in queries if "courses_courseindexpage" in q["sql"]]
    catalogue.unpublish()
    assert link not in browser.get(reverse("learning:home")).text
    catalogue.save_revision().publish()
    assert link in browser.get(reverse("learning:home")).text
