"""The site's language (academy_site/languages.py): URL prefixes, the
switcher, the choice remembered per visitor and per user, locale formats, and
language-neutral printed links."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from academy_site.languages import strip_language_prefix, url_in_language
from enrolments.models import TraineeProfile
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME
SWITCH = "/language/"


def test_every_language_has_its_prefix_and_its_content_locale(client, catalogue):
    for code in ("en", "sr-latn", "sr"):
        assert client.get(f"/{code}/courses/").status_code == 200
        assert Locale.objects.filter(language_code=code).exists()
    with translation.override("sr"):
        assert reverse("learning:home") == "/sr/learning/"


def test_an_address_without_prefix_opens_in_the_remembered_language(client, catalogue):
    assert client.get("/courses/")["Location"] == "/en/courses/"
    client.cookies[COOKIE] = "sr"
    assert client.get("/courses/")["Location"] == "/sr/courses/"


@pytest.mark.parametrize(
    "accept, prefix",
    [("sr-Latn-RS,sr;q=0.8", "sr-latn"), ("sr-RS", "sr"), ("de", "en")],
)
def test_a_first_visit_follows_the_browsers_languages(
    client, catalogue, accept, prefix
):
    response = client.get("/courses/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response["Location"] == f"/{prefix}/courses/"


def test_the_switcher_keeps_the_page_and_remembers_the_choice(client, catalogue):
    response = client.post(
        SWITCH, {"language": "sr", "next": "/en/courses/?topic=security"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/sr/courses/?topic=security"
    assert response.cookies[COOKIE].value == "sr"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE


def test_the_switcher_goes_to_the_translated_page_when_there_is_one(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Docker", slug="docker")
    serbian = course.copy_for_translation(
        Locale.objects.get(language_code="sr-latn"), copy_parents=True
    )
    serbian.slug = "doker"
    serbian.save_revision().publish()

    response = client.post(
        SWITCH, {"language": "sr-latn", "next": "/en/courses/docker/"}
    )
    assert response["Location"] == "/sr-latn/courses/doker/"
    back = client.post(SWITCH, {"language": "en", "next": "/sr-latn/courses/doker/"})
    assert back["Location"] == "/en/courses/docker/"


def test_the_switcher_refuses_what_it_does_not_know(client, catalogue):
    unknown = client.post(SWITCH, {"language": "de", "next": "/en/courses/"})
    assert unknown["Location"] == "/en/courses/" and COOKIE not in unknown.cookies
    offsite = client.post(SWITCH, {"language": "sr", "next": "https://evil.example/"})
    assert offsite["Location"] == "/sr/"
    assert client.get(SWITCH).status_code == 405


def test_the_switcher_needs_the_csrf_token(catalogue):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SWITCH, {"language": "sr", "next": "/"}).status_code == 403


def test_a_signed_in_trainee_keeps_the_choice_on_their_profile(client, catalogue):
    profile = TraineeProfileFactory(preferred_language="en")
    client.force_login(profile.user)

    client.post(SWITCH, {"language": "sr", "next": "/en/learning/"})

    profile.refresh_from_db()
    assert profile.preferred_language == TraineeProfile.Language.SERBIAN_CYRILLIC


def test_logging_in_on_a_new_browser_brings_the_saved_language(client, catalogue):
    profile = TraineeProfileFactory(preferred_language="sr")
    client.force_login(profile.user)

    response = client.get("/en/courses/")

    # The page asked for stays English; the next address without a prefix
    # (the home page, a QR code) opens in Cyrillic.
    assert response.cookies[COOKIE].value == "sr"
    assert client.get("/courses/")["Location"] == "/sr/courses/"


def test_staff_keep_their_choice_on_their_wagtail_profile(client, catalogue):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.post(SWITCH, {"language": "sr-latn", "next": "/en/"})
    assert response.status_code == 302, response
    staff.refresh_from_db()
    assert staff.wagtail_userprofile.preferred_language == "sr-latn"


def test_the_page_declares_its_language_and_offers_the_other_two(client, catalogue):
    html = client.get("/sr/courses/").content.decode()
    assert '<html lang="sr">' in html
    assert 'name="language" value="sr-latn"' in html
    assert 'value="sr" lang="sr"' in html and 'aria-current="true"' in html


def test_dates_and_prices_follow_the_locale(client, catalogue):
    course = CoursePageFactory(
        parent=catalogue, slug="go", price_non_member=Decimal("18000.50")
    )
    CourseRunFactory(course=course, starts_on=dt.date(2027, 3, 4))
    english = client.get("/en/courses/go/").content.decode()
    latin = client.get("/sr-latn/courses/go/").content.decode()
    cyrillic = client.get("/sr/courses/go/").content.decode()
    assert "Mar" in english
    assert "mar" in latin and "Mar" not in latin
    assert "мар" in cyrillic
    assert "18,000.50 RSD" in english
    assert "18.000,50 RSD" in latin and "18.000,50 RSD" in cyrillic


def test_printed_links_carry_no_language(rf):
    assert strip_language_prefix("/sr-latn/verify/abc/") == "/verify/abc/"
    assert strip_language_prefix("/verify/abc/") == "/verify/abc/"
    request = rf.get("/")
    assert url_in_language(request, "/en/learning/", "sr") == "/sr/learning/"
