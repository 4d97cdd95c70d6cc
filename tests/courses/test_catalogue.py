"""The public catalogue: cards with the next run and seats left, filters, search,
and a number of queries that does not grow with the number of courses."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CoursePage, CourseRun
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TopicFactory,
    make_image,
    today,
)

pytestmark = pytest.mark.django_db


def get_catalogue(client, catalogue, **params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses"]]


def test_catalogue_lists_published_courses_with_next_run_and_seats_left(
    client, catalogue
):
    course = CoursePageFactory(parent=catalogue, title="Python for data analysis")
    CourseRunFactory(  # finished: not the next run
        course=course,
        starts_on=today() - dt.timedelta(days=30),
        ends_on=today() - dt.timedelta(days=28),
    )
    next_run = CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=20),
        ends_on=today() + dt.timedelta(days=21),
        capacity=16,
    )
    CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=60),
        ends_on=today() + dt.timedelta(days=61),
    )
    CourseRun.objects.filter(pk=next_run.pk).update(seats_taken=4)
    CoursePageFactory(parent=catalogue, title="Draft course", publish=False)

    response = get_catalogue(client, catalogue)

    assert titles(response) == ["Python for data analysis"]
    assert response.context["courses"][0].next_run == next_run
    html = response.content.decode()
    assert "12 of 16 seats left" in html
    assert "Draft course" not in html


def test_full_run_is_shown_as_full_with_waitlist(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    run = CourseRunFactory(course=course, capacity=10)
    CourseRun.objects.filter(pk=run.pk).update(seats_taken=10)
    assert "Full · waitlist" in get_catalogue(client, catalogue).content.decode()


def test_self_paced_course_without_runs_can_start_any_time(client, catalogue):
    CoursePageFactory(parent=catalogue, format=CoursePage.Format.SELF_PACED)
    assert "Start any time" in get_catalogue(client, catalogue).content.decode()


def test_filters_by_topic_level_format_and_language(client, catalogue):
    cloud = TopicFactory(name="Cloud", slug="cloud")
    security = TopicFactory(name="Security", slug="security")
    CoursePageFactory(
        parent=catalogue,
        title="Kubernetes",
        topics=[cloud],
        level=CoursePage.Level.ADVANCED,
        format=CoursePage.Format.BLENDED,
        language=CoursePage.Language.ENGLISH,
    )
    CoursePageFactory(
        parent=catalogue,
        title="Secure coding",
        topics=[security],
        level=CoursePage.Level.INTERMEDIATE,
        format=CoursePage.Format.IN_PERSON,
        language=CoursePage.Language.SERBIAN,
    )
    CoursePageFactory(
        parent=catalogue,
        title="Cloud basics",
        topics=[cloud],
        level=CoursePage.Level.BEGINNER,
        format=CoursePage.Format.SELF_PACED,
        language=CoursePage.Language.SERBIAN,
    )

    assert titles(get_catalogue(client, catalogue, topic="cloud")) == [
        "Cloud basics",
        "Kubernetes",
    ]
    assert titles(get_catalogue(client, catalogue, level="advanced")) == ["Kubernetes"]
    assert titles(get_catalogue(client, catalogue, format="self_paced")) == [
        "Cloud basics"
    ]
    assert titles(get_catalogue(client, catalogue, language="sr")) == [
        "Cloud basics",
        "Secure coding",
    ]
    assert titles(get_catalogue(client, catalogue, topic="cloud", language="en")) == [
        "Kubernetes"
    ]


def test_unknown_filter_value_is_reported_and_ignored(client, catalogue):
    CoursePageFactory(parent=catalogue, title="Kubernetes")
    response = get_catalogue(client, catalogue, level="expert", topic="<script>")
    assert titles(response) == ["Kubernetes"]
    html = response.content.decode()
    assert "Some filters were not understood and were ignored" in html
    assert "<script>" not in html


def test_full_text_search_finds_courses_by_summary_and_topic(client, catalogue):
    devops = TopicFactory(name="DevOps", slug="devops")
    CoursePageFactory(
        parent=catalogue,
        title="Pipelines",
        summary="Continuous delivery with GitLab.",
        topics=[devops],
    )
    CoursePageFactory(
        parent=catalogue,
        title="Excel for managers",
        summary="Spreadsheets and pivot tables.",
    )

    assert titles(get_catalogue(client, catalogue, q="GitLab")) == ["Pipelines"]
    assert titles(get_catalogue(client, catalogue, q="pivot")) == ["Excel for managers"]
    response = get_catalogue(client, catalogue, q="astrophysics")
    assert titles(response) == []
    assert "No course matches these filters." in response.content.decode()


def test_search_combines_with_filters(client, catalogue):
    CoursePageFactory(
        parent=catalogue,
        title="Python basics",
        summary="Python from scratch.",
        level=CoursePage.Level.BEGINNER,
    )
    CoursePageFactory(
        parent=catalogue,
        title="Advanced Python",
        summary="Python internals.",
        level=CoursePage.Level.ADVANCED,
    )
    assert titles(get_catalogue(client, catalogue, q="python", level="advanced")) == [
        "Advanced Python"
    ]


def test_catalogue_pages_keep_the_filters(client, catalogue):
    catalogue.courses_per_page = 2
    catalogue.save_revision().publish()
    for n in range(5):
        CoursePageFactory(
            parent=catalogue, title=f"Course {n}", level=CoursePage.Level.ADVANCED
        )
    response = get_catalogue(client, catalogue, level="advanced", page=2)
    assert titles(response) == ["Course 2", "Course 3"]
    assert "level=advanced&amp;page=3" in response.content.decode()
    # A page number past the end shows the last page rather than an error.
    assert titles(get_catalogue(client, catalogue, page=99)) == ["Course 4"]


def make_courses(catalogue, count, topics):
    for n in range(count):
        course = CoursePageFactory(
            parent=catalogue, topics=topics, image=make_image(f"Course {n}")
        )
        run = CourseRunFactory(course=course)
        MeetingFactory(run=run)


def count_queries(client, url, params=None) -> int:
    client.get(url, params)  # warm caches: renditions, site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "practical"}, {"topic": "topic-a"}])
def test_catalogue_query_count_does_not_grow_with_courses(
    client, catalogue, params, settings
):
    settings.ACADEMY_PUBLIC_PAGE_CACHE_SECONDS = 0  # the rendering's cost
    topics = [
        TopicFactory(name="A", slug="topic-a"),
        TopicFactory(name="B", slug="topic-b"),
    ]
    catalogue.courses_per_page = 60
    catalogue.save_revision().publish()

    make_courses(catalogue, 5, topics)
    with_5 = count_queries(client, catalogue.url, params)
    make_courses(catalogue, 45, topics)
    with_50 = count_queries(client, catalogue.url, params)

    assert len(client.get(catalogue.url, params).context["courses"]) == 50
    assert with_5 == with_50


def test_next_run_prefers_one_that_still_takes_enrolments(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    CourseRunFactory(  # in progress, enrolment closed
        course=course,
        starts_on=today() - dt.timedelta(days=3),
        ends_on=today() + dt.timedelta(days=10),
    )
    later = CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=40),
        ends_on=today() + dt.timedelta(days=41),
        enrolment_opens_on=today() + dt.timedelta(days=5),
    )
    response = get_catalogue(client, catalogue)
    assert response.context["courses"][0].next_run == later
    assert "Enrolment opens" in response.content.decode()
