"""The home page: hero, featured courses, upcoming runs, and its query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import HomeFeaturedCourse, HomePage
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    make_image,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get(depth=2)


def test_fresh_site_serves_the_academy_home_page(client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Learn with the Cluster Academy" in html
    assert "Courses are being prepared" in html
    assert "No runs are scheduled right now" in html


def test_home_shows_featured_courses_in_the_editors_order(client, home, catalogue):
    first = CoursePageFactory(parent=catalogue, title="Zero trust networks")
    second = CoursePageFactory(parent=catalogue, title="Agile leadership")
    CoursePageFactory(parent=catalogue, title="Not featured")
    HomeFeaturedCourse.objects.create(page=home, course=first, sort_order=1)
    HomeFeaturedCourse.objects.create(page=home, course=second, sort_order=0)

    featured = client.get("/en/").context["featured_courses"]

    assert [course.title for course in featured] == [
        "Agile leadership",
        "Zero trust networks",
    ]


def test_home_falls_back_to_newest_courses(client, catalogue):
    CoursePageFactory(parent=catalogue, title="Older")
    CoursePageFactory(parent=catalogue, title="Newer")
    featured = client.get("/en/").context["featured_courses"]
    assert [course.title for course in featured] == ["Newer", "Older"]


def test_home_lists_upcoming_runs_soonest_first_and_hides_past_ones(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Cloud security")
    later = CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=40),
        ends_on=today() + dt.timedelta(days=41),
    )
    sooner = CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=10),
        ends_on=today() + dt.timedelta(days=11),
    )
    CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=10),
        ends_on=today() - dt.timedelta(days=9),
    )
    draft = CoursePageFactory(parent=catalogue, title="Unpublished", publish=False)
    CourseRunFactory(course=draft)

    runs = list(client.get("/en/").context["upcoming_runs"])

    assert runs == [sooner, later]


def test_home_has_landmarks_a_skip_link_and_a_labelled_search(client, catalogue):
    html = client.get("/en/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<label for="hero-q"' in html
    assert '<footer class="site-footer">' in html
    assert 'lang="en"' in html


def test_every_asset_is_served_by_the_site_itself(client, catalogue):
    """No CDN: the site works without internet."""
    import re

    html = (
        client.get("/en/").content.decode() + client.get(catalogue.url).content.decode()
    )
    for url in re.findall(r'(?:src|href)="([^"]+\.(?:css|js|svg|png|woff2?))"', html):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url


def test_home_query_count_does_not_grow_with_courses(client, home, catalogue, settings):
    settings.ACADEMY_PUBLIC_PAGE_CACHE_SECONDS = 0  # the rendering's cost

    def add_courses(count):
        for n in range(count):
            course = CoursePageFactory(parent=catalogue, image=make_image(f"C{n}"))
            MeetingFactory(run=CourseRunFactory(course=course))

    def queries():
        client.get("/en/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/").status_code == 200
        return len(captured)

    add_courses(3)
    few = queries()
    add_courses(12)
    many = queries()
    assert few == many


@pytest.mark.parametrize(
    "language, label, path",
    [
        ("en", "Verify a certificate", "/en/verify/"),
        ("sr-latn", "Proverite sertifikat", "/sr-latn/verify/"),
        ("sr", "Проверите сертификат", "/sr/verify/"),
    ],
)
def test_every_page_footer_links_to_certificate_verification(
    client, catalogue, language, label, path
):
    html = client.get(f"/{language}/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a href="{path}">{label}</a>' in footer
    assert client.get(path).status_code == 200
