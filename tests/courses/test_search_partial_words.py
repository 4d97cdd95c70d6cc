"""The catalogue search finds a course by the start of a word ("cyber"), by
part of a longer word ("secur" in "Cybersecurity"), and whatever script or
diacritics the visitor types: "sajber", "сајбер" and "SAJBER" are the same
search, as are "cacak", "čačak" and "чачак" (courses/search_text.py folds
both the courses and the query). Title matches come first. Runs on SQLite
and PostgreSQL alike (plain `contains` on a folded column)."""

import pytest

from tests.factories import CoursePageFactory, InstructorFactory, TopicFactory

pytestmark = pytest.mark.django_db

CATALOGUES = ("/en/courses/", "/sr-latn/courses/", "/sr/courses/")


@pytest.fixture
def courses(catalogue):
    networking = TopicFactory(name="Networking", slug="networking")
    djordje = InstructorFactory(full_name="Đorđe Perić")
    return {
        "cyber": CoursePageFactory(
            parent=catalogue,
            title="Cybersecurity basics",
            slug="cybersecurity",
            summary="Protect a small office.",
        ),
        "sajber": CoursePageFactory(
            parent=catalogue,
            title="Сајбер безбедност: основе",
            slug="sajber",
            summary="Заштита мале канцеларије.",
        ),
        "cacak": CoursePageFactory(
            parent=catalogue,
            title="Mreže u praksi",
            slug="mreze",
            summary="Radionica u Čačku i u Čačak centru.",
            topics=[networking],
            instructors=[djordje],
        ),
        "plain": CoursePageFactory(
            parent=catalogue,
            title="Writing documentation",
            slug="docs",
            summary="Clear docs for security teams, from the basics.",
        ),
    }


def found(client, url, q) -> list[int]:
    response = client.get(url, {"q": q})
    assert response.status_code == 200, (url, q)
    return [course.pk for course in response.context["courses"]]


@pytest.mark.parametrize("url", CATALOGUES)
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cyber", ["cyber"]),
        ("Cyber", ["cyber"]),
        ("secur", ["cyber", "plain"]),
        ("sajber", ["sajber"]),
        ("сајбер", ["sajber"]),
        ("SAJBER", ["sajber"]),
        ("osnove", ["sajber"]),
        ("основе", ["sajber"]),
        ("sajber osn", ["sajber"]),
        ("bezbednost", ["sajber"]),
        ("cacak", ["cacak"]),
        ("čačak", ["cacak"]),
        ("чачак", ["cacak"]),
        ("ČAČAK", ["cacak"]),
        ("mreze", ["cacak"]),
        ("мреже", ["cacak"]),
        ("netw", ["cacak"]),
        ("djordje", ["cacak"]),
        ("dorde peric", ["cacak"]),
        ("Ђорђе", ["cacak"]),
    ],
)
def test_partial_and_any_script_queries_find_the_course(
    client, courses, url, q, expected
):
    assert found(client, url, q) == [courses[name].pk for name in expected]


def test_every_word_must_match(client, courses):
    assert found(client, "/en/courses/", "cyber office") == [courses["cyber"].pk]
    assert found(client, "/en/courses/", "cyber kubernetes") == []


def test_short_words_match_only_at_a_words_start(client, courses):
    # "ur" is inside "Cybersecurity" but starts no word of any course.
    assert found(client, "/en/courses/", "ur") == []
    assert found(client, "/en/courses/", "cy") == [courses["cyber"].pk]


def test_title_matches_come_first(client, catalogue, courses):
    # "basics" is in the documentation course's summary and the title of
    # the cybersecurity course: the title match is listed first.
    assert found(client, "/en/courses/", "basics") == [
        courses["cyber"].pk,
        courses["plain"].pk,
    ]


def test_nothing_searchable_finds_nothing(client, courses):
    for q in ("(", "—", "!!"):
        assert found(client, "/en/courses/", q) == []


def test_a_renamed_topic_or_instructor_is_found_by_its_new_name(client, courses):
    topic = courses["cacak"].topics.get()
    topic.name = "Računarske mreže"
    topic.save()
    instructor = courses["cacak"].instructors.get()
    instructor.full_name = "Jelena Šarić"
    instructor.save()
    assert found(client, "/en/courses/", "racunar") == [courses["cacak"].pk]
    assert found(client, "/en/courses/", "saric") == [courses["cacak"].pk]
    assert found(client, "/en/courses/", "netw") == []


def test_a_republished_course_is_found_by_its_new_words(client, courses):
    course = courses["plain"]
    course.summary = "Дијаграми и примери."
    course.save_revision().publish()
    assert found(client, "/en/courses/", "dijagram") == [course.pk]
    assert found(client, "/en/courses/", "teams") == []
