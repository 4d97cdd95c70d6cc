"""A filter by id (?course=, ?run=, ?organisation=) answers any text with
the page and a clear message: words, negative numbers and numbers no
database integer holds (SQLite raised OverflowError on those)."""

import pytest
from django.urls import reverse

from academy_site.filters import ID_MAX, ID_MIN, IdChoiceField, is_storable_integer
from courses.models import CoursePage
from enrolments.models import Organisation
from tests.factories import CoursePageFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
BAD_IDS = [HUGE, f"-{HUGE}", "abc", "1.5", "'", "<b>"]


def test_storable_integers_are_whole_numbers_within_64_bits():
    assert is_storable_integer("12") and is_storable_integer(" 12 ")
    assert is_storable_integer(str(ID_MAX)) and is_storable_integer(str(ID_MIN))
    for text in (str(ID_MAX + 1), str(ID_MIN - 1), "abc", "1.5", "", None):
        assert not is_storable_integer(text), text


def test_id_choice_field_answers_a_huge_page_id_with_its_message(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Kubernetes")
    field = IdChoiceField(
        queryset=CoursePage.objects.all(),
        error_messages={"invalid_choice": "Choose a course from the list."},
    )

    assert field.clean(str(course.pk)) == course
    for value in BAD_IDS:
        with pytest.raises(Exception) as error:
            field.clean(value)
        assert error.value.messages == ["Choose a course from the list."], value


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "url_name, parameter, message",
    [
        ("academy_reports:revenue", "course", "Choose a course from the list."),
        ("academy_reports:members", "organisation", "Choose an organisation"),
        ("certificate_reports:organisation", "organisation", "Choose an organisation"),
        ("wagtailsnippets_enrolments_enrolment:list", "course", "Choose a course"),
        ("wagtailsnippets_enrolments_enrolment:list", "run", "Choose a run"),
        ("wagtailsnippets_courses_courserun:list", "course", "Choose a course"),
        ("certificates_admin:list", "course", "Choose a course from the list."),
        ("certificates_admin:list", "run", "Choose a run from the list."),
    ],
)
@pytest.mark.parametrize("value", BAD_IDS)
def test_bad_id_in_a_filter_shows_the_page_with_a_message(
    superuser_client, catalogue, url_name, parameter, message, value
):
    response = superuser_client.get(reverse(url_name), {parameter: value})

    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_id_list_leaves_out_ids_no_database_holds(catalogue):
    vega = OrganisationFactory(name="Vega IT")

    assert list(Organisation.objects.filter(pk__in=[HUGE, vega.pk, f"-{HUGE}"])) == [
        vega
    ]
    assert not Organisation.objects.filter(pk__in=[int(HUGE)]).exists()


@pytest.mark.parametrize("parameter", ["site", "content_type", "locale", "owner"])
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", "abc"])
def test_wagtail_page_listing_filters_answer_bad_ids(
    superuser_client, catalogue, parameter, value
):
    url = reverse("wagtailadmin_explore", args=[catalogue.pk])

    assert superuser_client.get(url, {parameter: value}).status_code == 200
