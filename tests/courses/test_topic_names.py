"""Topic names and the footer's tagline are content in three languages: an
editor types the English and Serbian Latin ones (and a Cyrillic one if
wanted); the Cyrillic site transliterates the Latin one otherwise, and a
topic or tagline with no Serbian text shows the English one."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from home.models import AcademySettings
from tests.factories import CoursePageFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    networking = TopicFactory(
        name="Networking", name_sr_latn="Računarske mreže", slug="networking"
    )
    design = TopicFactory(name="Design & UX", slug="design-ux")
    return CoursePageFactory(
        parent=catalogue, title="Mreže", slug="mreze", topics=[networking, design]
    )


@pytest.mark.parametrize(
    ("url", "shown", "not_shown"),
    [
        ("/en/courses/", "Networking", "Računarske mreže"),
        ("/sr-latn/courses/", "Računarske mreže", "Networking"),
        ("/sr/courses/", "Рачунарске мреже", "Networking"),
    ],
)
def test_the_catalogue_shows_topics_in_the_visitors_language(
    client, course, url, shown, not_shown
):
    html = client.get(url).content.decode()
    assert f'<option value="networking">{shown}</option>' in html
    assert f"<li>{shown}</li>" in html
    assert not_shown not in html
    # No Serbian name: the English one, everywhere.
    assert '<option value="design-ux">Design &amp; UX</option>' in html


def test_a_cyrillic_name_wins_over_the_transliteration(client, course):
    topic = course.topics.get(slug="networking")
    topic.name_sr = "Мреже и протоколи"
    topic.save()
    html = client.get("/sr/courses/mreze/").content.decode()
    assert "Мреже и протоколи" in html
    assert "Рачунарске мреже" not in html


def test_filtering_by_a_topic_works_in_every_language(client, course):
    for url in ("/en/courses/", "/sr-latn/courses/", "/sr/courses/"):
        courses = client.get(url, {"topic": "networking"}).context["courses"]
        assert [c.pk for c in courses] == [course.pk]


def test_search_finds_a_course_by_a_topics_name_in_any_language(client, course):
    for q in ("racunarske", "рачунарске", "networking"):
        courses = client.get("/en/courses/", {"q": q}).context["courses"]
        assert [c.pk for c in courses] == [course.pk], q


def test_the_latin_name_must_be_in_latin_letters(course):
    topic = course.topics.get(slug="networking")
    topic.name_sr_latn = "Мреже"
    with pytest.raises(ValidationError) as error:
        topic.full_clean()
    assert "name_sr_latn" in error.value.message_dict


@pytest.mark.parametrize(
    ("url", "tagline"),
    [
        ("/en/courses/", "The training academy of the ICT cluster."),
        ("/sr-latn/courses/", "Akademija za obuku IKT klastera."),
        ("/sr/courses/", "Академија за обуку ИКТ кластера."),
    ],
)
def test_the_footer_tagline_is_in_the_visitors_language(
    client, catalogue, url, tagline
):
    academy = AcademySettings.for_site(Site.objects.get(is_default_site=True))
    academy.footer_text_sr_latn = "Akademija za obuku IKT klastera."
    academy.full_clean()
    academy.save()
    html = client.get(url).content.decode()
    assert f"<p>{tagline}</p>" in html


def test_the_footer_tagline_falls_back_to_english(client, catalogue):
    html = client.get("/sr/courses/").content.decode()
    assert "<p>The training academy of the ICT cluster.</p>" in html
