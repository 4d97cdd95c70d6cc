"""Course and module pages as a visitor sees them, and the page tree rules."""

import datetime as dt
from decimal import Decimal

import pytest

from courses.blocks import ContentStreamBlock, video_embed_url
from courses.models import CourseIndexPage, CoursePage, ModulePage
from home.models import HomePage
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    TopicFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db


def body(*blocks):
    """A StreamField value in its stored JSON form."""
    return [{"type": kind, "value": value} for kind, value in blocks]


def test_course_page_shows_details_outline_runs_and_instructors(client, catalogue):
    instructor = InstructorFactory(
        full_name="Јелена Марковић", job_title="Cloud architect"
    )
    course = CoursePageFactory(
        parent=catalogue,
        title="Kubernetes in practice",
        learning_outcomes="Deploy a service\nScale it safely\n",
        duration_hours=Decimal("24"),
        price_member=Decimal("18000"),
        price_non_member=Decimal("30000"),
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL,
        instructors=[instructor],
        topics=[TopicFactory(name="Cloud", slug="cloud")],
    )
    ModulePageFactory(parent=course, title="Containers")
    ModulePageFactory(parent=course, title="Optional extras", is_required=False)
    run = CourseRunFactory(course=course, label="Winter 2026", capacity=12)
    MeetingFactory(
        run=run, start_time=dt.time(17, 30), duration_minutes=120, room="Room 3"
    )

    html = client.get(course.url).content.decode()

    for text in [
        "Kubernetes in practice",
        "Deploy a service",
        "Scale it safely",
        "24 hours",
        "18,000 RSD",
        "30,000 RSD",
        "Needs approval by the academy",
        "Containers",
        "optional",
        "Winter 2026",
        "12 of 12 seats left",
        "17:30",
        "Room 3",
        "Јелена Марковић",
        "Cloud architect",
        "Cloud",
    ]:
        assert text in html, text


def test_free_course_says_free(client, catalogue):
    course = CoursePageFactory(parent=catalogue, price_member=0, price_non_member=0)
    assert "Free" in client.get(course.url).content.decode()


def test_past_runs_are_not_offered_on_the_course_page(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    CourseRunFactory(
        course=course,
        label="Last spring",
        starts_on=today() - dt.timedelta(days=90),
        ends_on=today() - dt.timedelta(days=88),
    )
    html = client.get(course.url).content.decode()
    assert "Last spring" not in html
    assert "No dates are scheduled yet." in html


def test_module_page_renders_blocks_and_navigation(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    first = ModulePageFactory(
        parent=course,
        title="Threat modelling",
        body=body(
            ("heading", {"text": "Why it matters", "level": "h2"}),
            ("paragraph", "<p>Think like an <b>attacker</b>.</p>"),
            ("callout", {"kind": "tip", "title": "", "text": "<p>Start small.</p>"}),
            (
                "video",
                {
                    "url": "https://youtu.be/dQw4w9WgXcQ",
                    "title": "Intro talk",
                    "caption": "",
                },
            ),
        ),
    )
    second = ModulePageFactory(parent=course, title="Input validation")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(first.url).content.decode()
    assert "Module 1 of 2" in html
    assert "<h2>Why it matters</h2>" in html
    assert "<b>attacker</b>" in html
    assert 'class="callout callout--tip"' in html
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="Intro talk"' in html
    assert second.url in html
    assert "Secure coding" in html


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ?t=10",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://vimeo.com/123456789",
            "https://player.vimeo.com/video/123456789?dnt=1",
        ),
        ("https://example.com/video.mp4", None),
        ("https://www.youtube.com/watch?v=<script>", None),
        ("javascript:alert(1)", None),
    ],
)
def test_video_links_become_privacy_friendly_embeds(url, expected):
    assert video_embed_url(url) == expected


def test_video_block_refuses_unknown_hosts():
    from wagtail.blocks.struct_block import StructBlockValidationError

    block = ContentStreamBlock().child_blocks["video"]
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python(
                {"url": "https://example.com/v.mp4", "title": "T", "caption": ""}
            )
        )


def test_page_tree_rules():
    assert CourseIndexPage.parent_page_types == ["home.HomePage"]
    assert CoursePage.parent_page_types == ["courses.CourseIndexPage"]
    assert CoursePage.subpage_types == ["courses.ModulePage"]
    assert ModulePage.parent_page_types == ["courses.CoursePage"]
    assert ModulePage.subpage_types == []
    assert not CoursePage.can_create_at(HomePage.objects.get(depth=2))


def test_next_module_follows_the_course_order_and_ends_after_the_last(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    first = ModulePageFactory(parent=course, title="Threat modelling")
    second = ModulePageFactory(parent=course, title="Input validation")
    elsewhere = ModulePageFactory(
        parent=CoursePageFactory(parent=catalogue, title="Scrum"), title="Roles"
    )
    modules = course.modules_shown()

    assert [m.pk for m in modules] == [first.pk, second.pk]
    assert first.next_in(modules) == second
    assert second.next_in(modules) is None
    assert elsewhere.next_in(modules) is None
