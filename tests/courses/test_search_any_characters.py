"""Whatever a visitor or an editor types into a search box, the answer is
results or none, never a server error: quotes, angle brackets and control
characters included (academy_site/search_backend.py makes queries safe for
SQLite's full-text search; PostgreSQL runs the same tests)."""

import pytest
from django.urls import reverse

from tests.factories import CoursePageFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ODD_QUERIES = ['"', '"Kubernetes', 'a"b', "it's", "<script>", "a\x00b", "\x07", "("]


@pytest.fixture
def kubernetes(catalogue):
    return CoursePageFactory(
        parent=catalogue, title="Kubernetes", summary="Run containers in production."
    )


def catalogue_titles(client, catalogue, q) -> list[str]:
    response = client.get(catalogue.url, {"q": q})
    assert response.status_code == 200, q
    return [course.title for course in response.context["courses"]]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_catalogue_search_with_any_characters_answers_results_or_none(
    client, catalogue, kubernetes, q
):
    assert catalogue_titles(client, catalogue, q) in ([], ["Kubernetes"])


def test_quoted_words_still_find_the_course(client, catalogue, kubernetes):
    assert catalogue_titles(client, catalogue, '"Kubernetes"') == ["Kubernetes"]
    assert catalogue_titles(client, catalogue, '"containers" production') == [
        "Kubernetes"
    ]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_admin_page_search_with_any_characters_answers(superuser_client, kubernetes, q):
    for url in (
        reverse("wagtailadmin_pages:search"),
        reverse("wagtailadmin_explore", args=[kubernetes.get_parent().pk]),
    ):
        assert superuser_client.get(url, {"q": q}).status_code == 200, (url, q)


def test_admin_organisation_search_finds_part_of_a_name_or_pib(superuser_client):
    OrganisationFactory(name="Vega IT d.o.o.", pib="100000024")
    OrganisationFactory(name="Panonija Soft")
    url = reverse("wagtailsnippets_enrolments_organisation:list")

    for q, expected in (("vega", ["Vega IT d.o.o."]), ("0000002", ["Vega IT d.o.o."])):
        response = superuser_client.get(url, {"q": q})
        assert response.status_code == 200
        assert [o.name for o in response.context["object_list"]] == expected
    assert superuser_client.get(url, {"q": '"<'}).status_code == 200


def test_admin_instructor_search_answers_for_any_word(superuser_client):
    url = reverse("wagtailsnippets_courses_instructor:list")
    for q in ("milica", '"', "<b>"):
        assert superuser_client.get(url, {"q": q}).status_code == 200
