"""Course content in the visitor's language (courses/locales.py): the
catalogue shows each course translated when a translation is published and in
its original otherwise; an untranslated course is still found under a
translated catalogue; a translation shows the original's runs; search finds a
course by its translated words; and none of it costs a query per course."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from tests.factories import CoursePageFactory, CourseRunFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


def translate(page, language: str, **fields):
    """What an editor does with Translate in the page menu, then Publish."""
    locale = Locale.objects.get(language_code=language)
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


@pytest.fixture
def courses(catalogue):
    translated = CoursePageFactory(
        parent=catalogue,
        title="Secure coding",
        slug="secure-coding",
        summary="Write code that resists attacks.",
    )
    untranslated = CoursePageFactory(
        parent=catalogue, title="Kubernetes basics", slug="kubernetes"
    )
    serbian = translate(
        translated,
        "sr-latn",
        title="Bezbedno programiranje",
        slug="bezbedno-programiranje",
        summary="Pišite kod koji odoleva napadima.",
    )
    return {"translated": translated, "untranslated": untranslated, "serbian": serbian}


def test_the_catalogue_shows_translations_and_falls_back_to_the_original(
    client, catalogue, courses
):
    html = client.get("/sr-latn/courses/").content.decode()
    assert "Bezbedno programiranje" in html
    assert "Pišite kod koji odoleva napadima." in html
    assert "Secure coding" not in html
    # No Serbian translation: shown in English, linked in the visitor's language.
    assert "Kubernetes basics" in html
    assert 'href="/sr-latn/courses/kubernetes/"' in html
    assert 'href="/sr-latn/courses/bezbedno-programiranje/"' in html


def test_the_english_catalogue_is_unchanged(client, catalogue, courses):
    html = client.get("/en/courses/").content.decode()
    assert "Secure coding" in html and "Bezbedno programiranje" not in html
    assert 'href="/en/courses/secure-coding/"' in html


def test_an_untranslated_course_opens_under_a_translated_catalogue(
    client, catalogue, courses
):
    # The catalogue page itself was translated along with the course.
    response = client.get("/sr-latn/courses/kubernetes/")
    assert response.status_code == 200
    assert "Kubernetes basics" in response.content.decode()
    assert client.get("/sr-latn/courses/no-such-course/").status_code == 404


def test_a_translated_course_page_shows_the_original_runs(client, courses):
    run = CourseRunFactory(course=courses["translated"])
    response = client.get("/sr-latn/courses/bezbedno-programiranje/")
    assert response.status_code == 200
    assert response.context["course"] == courses["translated"]
    assert list(response.context["runs"]) == [run]
    assert "Bezbedno programiranje" in response.content.decode()


def test_modules_are_listed_in_the_visitors_language_in_the_original_order(
    client, courses
):
    first = ModulePageFactory(parent=courses["translated"], title="Threat models")
    second = ModulePageFactory(parent=courses["translated"], title="Input handling")
    translate(first, "sr-latn", title="Modeli pretnji")

    response = client.get("/sr-latn/courses/bezbedno-programiranje/")

    shown = [module.shown.title for module in response.context["modules"]]
    assert shown == ["Modeli pretnji", "Input handling"]
    assert [m.pk for m in response.context["modules"]] == [first.pk, second.pk]


def test_search_finds_a_course_by_its_translated_title(client, catalogue, courses):
    response = client.get("/sr-latn/courses/", {"q": "programiranje"})
    assert [c.pk for c in response.context["courses"]] == [courses["translated"].pk]
    # The English words still find it too.
    response = client.get("/sr-latn/courses/", {"q": "secure"})
    assert [c.pk for c in response.context["courses"]] == [courses["translated"].pk]


def test_translations_cost_no_query_per_course(client, catalogue, settings):
    settings.ACADEMY_PUBLIC_PAGE_CACHE_SECONDS = 0  # the rendering's cost

    def catalogue_queries() -> int:
        client.get("/sr-latn/courses/")  # warm the site and locale caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sr-latn/courses/").status_code == 200
        return len(queries)

    for n in range(3):
        translate(CoursePageFactory(parent=catalogue, title=f"A{n}"), "sr-latn")
    few = catalogue_queries()
    for n in range(12):
        translate(CoursePageFactory(parent=catalogue, title=f"B{n}"), "sr-latn")
        CoursePageFactory(parent=catalogue, title=f"C{n}")
    assert catalogue_queries() == few


def test_a_draft_translation_is_not_shown(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Docker", slug="docker")
    locale = Locale.objects.get(language_code="sr-latn")
    draft = course.copy_for_translation(locale, copy_parents=True)
    draft.title = "Doker (nacrt)"
    draft.save_revision()

    html = client.get("/sr-latn/courses/").content.decode()

    assert "Docker" in html and "Doker (nacrt)" not in html


def test_cyrillic_readers_see_a_latin_only_translation_in_cyrillic(
    client, catalogue, courses
):
    html = client.get("/sr/courses/").content.decode()
    # The catalogue and the course were translated into Serbian Latin only.
    assert "Безбедно програмирање" in html
    assert "Пишите код који одолева нападима." in html
    assert 'href="/sr/courses/bezbedno-programiranje/"' in html
    page = client.get("/sr/courses/bezbedno-programiranje/")
    assert page.status_code == 200
    assert "<h1>Безбедно програмирање</h1>" in page.content.decode()
