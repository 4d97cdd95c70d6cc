"""A Serbian reader's catalogue is in one script: on the Cyrillic site every
Serbian title is in Cyrillic (transliterated where the course has only a
Latin text, technology names kept in Latin), on the Latin site every one is
in Latin; English titles stay as written (courses.locales.in_serbian)."""

import pytest

from tests.courses.test_locales import translate
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(catalogue):
    python = CoursePageFactory(
        parent=catalogue,
        title="Python za analizu podataka",
        slug="python",
        summary="Učitajte i očistite podatke.",
        language="sr",
    )
    sajber = CoursePageFactory(
        parent=catalogue,
        title="Сајбер безбедност: основе",
        slug="sajber",
        summary="Заштита мале канцеларије.",
        language="sr",
    )
    kubernetes = CoursePageFactory(
        parent=catalogue,
        title="Kubernetes in production",
        slug="kubernetes",
        summary="Run containers.",
        language="en",
    )
    translate(kubernetes, "sr-latn", title="Kubernetes u produkciji")
    english = CoursePageFactory(
        parent=catalogue,
        title="Secure coding",
        slug="secure-coding",
        summary="Write code that resists attacks.",
        language="en",
    )
    return python, sajber, kubernetes, english


def card_titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return [
        chunk.split("</a>")[0].split(">")[-1]
        for chunk in html.split('<h3 class="card__title">')[1:]
    ]


def test_the_cyrillic_catalogue_shows_serbian_titles_in_cyrillic(client, courses):
    assert card_titles(client, "/sr/courses/") == [
        "Kubernetes у продукцији",
        "Python за анализу података",
        "Secure coding",
        "Сајбер безбедност: основе",
    ]
    html = client.get("/sr/courses/").content.decode()
    assert "Учитајте и очистите податке." in html
    assert "Učitajte" not in html


def test_the_latin_catalogue_shows_serbian_titles_in_latin(client, courses):
    assert card_titles(client, "/sr-latn/courses/") == [
        "Kubernetes u produkciji",
        "Python za analizu podataka",
        "Secure coding",
        "Sajber bezbednost: osnove",
    ]
    html = client.get("/sr-latn/courses/").content.decode()
    assert "Zaštita male kancelarije." in html
    assert "Заштита" not in html


def test_the_english_catalogue_shows_titles_as_written(client, courses):
    assert set(card_titles(client, "/en/courses/")) == {
        "Kubernetes in production",
        "Python za analizu podataka",
        "Secure coding",
        "Сајбер безбедност: основе",
    }


def test_a_course_page_read_in_the_other_script(client, courses):
    html = client.get("/sr/courses/python/").content.decode()
    assert "<h1>Python за анализу података</h1>" in html
    html = client.get("/sr-latn/courses/sajber/").content.decode()
    assert "<h1>Sajber bezbednost: osnove</h1>" in html
