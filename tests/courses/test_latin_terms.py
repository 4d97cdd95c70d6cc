"""Terms kept in Latin (Snippets > Scheduling > Terms kept in Latin): an
author adds one in the admin, and Cyrillic pages keep it in Latin at once."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from academy_site.roles import INSTRUCTOR, grant_role, roles_sync
from courses.locales import latin_terms, title_in
from courses.models import LatinTerm
from tests.factories import CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client):
    roles_sync()
    user = UserFactory(username="ana@academy.local", is_staff=True)
    grant_role(user=user, role=INSTRUCTOR)
    client.force_login(user)
    return user


@pytest.fixture
def odoo_course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Odoo ERP", slug="odoo")
    serbian = course.copy_for_translation(
        Locale.objects.get(language_code="sr-latn"), copy_parents=True
    )
    serbian.title = "Rad u Odoo sistemu"
    serbian.slug = "rad-u-odoo-sistemu"
    serbian.save_revision().publish()
    return course


def add_url() -> str:
    return reverse("wagtailsnippets_courses_latinterm:add")


def test_an_author_adds_a_term_and_cyrillic_pages_keep_it(client, author, odoo_course):
    page = "/sr/courses/rad-u-odoo-sistemu/"
    assert "<h1>Рад у Одоо систему</h1>" in client.get(page).content.decode()
    assert title_in(odoo_course, "sr") == "Рад у Одоо систему"

    response = client.post(add_url(), {"term": "Odoo"})

    assert response.status_code == 302
    assert LatinTerm.objects.filter(term="Odoo").exists()
    assert "<h1>Рад у Odoo систему</h1>" in client.get(page).content.decode()
    assert title_in(odoo_course, "sr") == "Рад у Odoo систему"  # e-mails too


def test_a_deleted_term_is_transliterated_again(client, author, odoo_course):
    term = LatinTerm.objects.create(term="Odoo")
    assert latin_terms() == ("Odoo",)
    term.delete()
    assert latin_terms() == ()
    assert title_in(odoo_course, "sr") == "Рад у Одоо систему"


@pytest.mark.parametrize(
    "term, message",
    [
        ("", "This field is required."),
        ("--", "with a letter and no space around it"),
        ("2026", "with a letter and no space around it"),
        ("Одоо", "Type the term in Latin letters"),
    ],
)
def test_a_bad_term_is_refused_with_the_reason(client, author, term, message):
    response = client.post(add_url(), {"term": term})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LatinTerm.objects.exists()


def test_a_term_is_listed_once(client, author):
    LatinTerm.objects.create(term="Odoo")
    response = client.post(add_url(), {"term": "Odoo"})
    assert response.status_code == 200
    assert LatinTerm.objects.count() == 1
