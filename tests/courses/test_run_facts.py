"""A run keeps the facts its certificates print (hours, titles in every
language, instructors) from the day it starts: editing the course later
changes the certificates of new runs, never those of a past one."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from academy_site.dispatch import task_named
from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role
from certificates.models import Kind
from certificates.services.issuing import certificate_request
from courses.locales import title_in
from courses.models import CoursePage, CourseRun
from courses.selectors import run_facts
from courses.services import (
    RUN_FACTS_RECORDED_AGAIN,
    course_run_create,
    run_facts_record,
)
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.certificates.factories import CertificateTemplateFactory, pdf_bytes
from tests.courses.test_locales import translate
from tests.factories import (
    CoursePageFactory,
    InstructorFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RECORD_TASK = "courses.tasks.record_run_facts"
# Mid-morning in Belgrade, so "today" is the same date in UTC and local time.
MONDAY = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
RUN_STARTS = dt.date(2027, 3, 8)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue, title="Secure coding", duration_hours=Decimal("24")
    )


def schedule(course, starts_on=RUN_STARTS, **kwargs) -> CourseRun:
    return course_run_create(
        course=course,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=2),
        capacity=10,
        location="Bulevar oslobođenja 1, Novi Sad",
        **kwargs,
    )


def edit_course(course, **fields) -> CoursePage:
    """What an editor does: change fields, then Publish."""
    course = CoursePage.objects.get(pk=course.pk)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def completed(run) -> Enrolment:
    """A trainee enrolled in `run` whose completion rules granted a
    completion certificate (the outcome as the certificates tests set it)."""
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(outcome="completion")
    enrolment.refresh_from_db()
    return enrolment


def printed_text(capture_on_commit, enrolment) -> str:
    with capture_on_commit(execute=True):
        certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    certificate.refresh_from_db()
    return PdfReader(io.BytesIO(pdf_bytes(certificate))).pages[0].extract_text()


def printed_hours(text: str) -> str:
    return re.search(r"(\d+(?:\.\d)?) hours", text).group(1)


def test_a_recorded_run_prints_its_hours_after_the_course_changed(
    course, django_capture_on_commit_callbacks
):
    CertificateTemplateFactory(kind=Kind.COMPLETION, language="en")
    with time_machine.travel(MONDAY, tick=False):
        past_run = schedule(course)
        past_enrolment = completed(past_run)
    with time_machine.travel(at(RUN_STARTS), tick=False):
        assert task_named(RECORD_TASK).apply().get() == 1
        course = edit_course(course, duration_hours=Decimal("26"))
        next_run = schedule(course, starts_on=RUN_STARTS + dt.timedelta(days=30))
        next_enrolment = completed(next_run)

        past_text = printed_text(django_capture_on_commit_callbacks, past_enrolment)
        next_text = printed_text(django_capture_on_commit_callbacks, next_enrolment)

    assert printed_hours(past_text) == "24"
    assert printed_hours(next_text) == "26"
    assert "Secure coding" in past_text and "Secure coding" in next_text


def test_a_run_not_yet_recorded_reads_the_course_as_it_is(course):
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
        edit_course(course, duration_hours=Decimal("30"), title="Secure coding II")
        run.refresh_from_db()

        facts = run_facts(run)

    assert facts.recorded_at is None
    assert (facts.hours, facts.title) == (Decimal("30"), "Secure coding II")


def test_every_translations_title_is_kept_for_certificates_in_that_language(
    course, django_capture_on_commit_callbacks
):
    serbian = translate(course, "sr-latn", title="Bezbedno programiranje")
    CertificateTemplateFactory(kind=Kind.COMPLETION, language="sr-latn")
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
        enrolment = completed(run)
        run_facts_record(run=run)

        edit_course(course, title="Secure software")
        translate_edit = CoursePage.objects.get(pk=serbian.pk)
        translate_edit.title = "Bezbedan softver"
        translate_edit.save_revision().publish()
        run.refresh_from_db()
        facts = run_facts(run)
        text = printed_text(django_capture_on_commit_callbacks, enrolment)

    assert facts.title_in("en") == "Secure coding"
    assert facts.title_in("sr-latn") == "Bezbedno programiranje"
    # Cyrillic has no translation of its own: the Latin one, transliterated,
    # as the live rule does.
    assert facts.title_in("sr") == "Безбедно програмирање"
    assert title_in(course, "sr-latn") == "Bezbedan softver"  # the live one moved on
    assert "Bezbedno programiranje" in text


def test_the_runs_instructors_are_recorded_by_name(course):
    first = InstructorFactory(full_name="Milica Đorđević")
    second = InstructorFactory(full_name="Ana Babić")
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course, instructors=[first, second])
        run_facts_record(run=run)
        first.full_name = "Milica Jovanović"
        first.save()
        run.refresh_from_db()

    assert run_facts(run).instructors == ("Ana Babić", "Milica Đorđević")


def test_the_daily_task_records_started_runs_only_and_twice_is_a_no_op(course):
    with time_machine.travel(MONDAY, tick=False):
        started = schedule(course, starts_on=MONDAY.date())
        ended = schedule(course, starts_on=MONDAY.date() - dt.timedelta(days=3))
        upcoming = schedule(course, starts_on=MONDAY.date() + dt.timedelta(days=1))

        assert task_named(RECORD_TASK).apply().get() == 2
        recorded_at = CourseRun.objects.get(pk=started.pk).facts_recorded_at
        edit_course(course, duration_hours=Decimal("26"))
        assert task_named(RECORD_TASK).apply().get() == 0

    runs = {run.pk: run for run in CourseRun.objects.all()}
    assert runs[started.pk].facts_recorded_at == recorded_at == MONDAY
    assert runs[started.pk].facts_hours == runs[ended.pk].facts_hours == Decimal("24")
    assert runs[upcoming.pk].facts_recorded_at is None
    assert run_facts(runs[upcoming.pk]).hours == Decimal("26")


def test_recording_again_keeps_the_first_record(course):
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
        run_facts_record(run=run)
    edit_course(course, duration_hours=Decimal("26"), title="Secure coding II")
    with time_machine.travel(MONDAY + dt.timedelta(days=9), tick=False):
        again = run_facts_record(run=run)

    assert again.facts_recorded_at == MONDAY
    assert (again.facts_hours, again.facts_title) == (Decimal("24"), "Secure coding")


def test_saving_a_run_edited_before_its_facts_were_recorded_keeps_them(course):
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
        stale = CourseRun.objects.get(pk=run.pk)  # the admin form's copy
        run_facts_record(run=run)
        stale.label = "Spring"
        stale.save()

    run.refresh_from_db()
    assert run.label == "Spring"
    assert (run.facts_recorded_at, run.facts_hours) == (MONDAY, Decimal("24"))


def test_the_database_refuses_facts_recorded_without_hours(course):
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
    with pytest.raises(IntegrityError):
        CourseRun.objects.filter(pk=run.pk).update(
            facts_recorded_at=MONDAY, facts_title="Secure coding"
        )


def test_the_run_editor_shows_the_recorded_facts_read_only(client, course):
    instructor = InstructorFactory(full_name="Milica Đorđević")
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course, instructors=[instructor])
        run_facts_record(run=run)
    edit_course(course, duration_hours=Decimal("26"))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(
        reverse("wagtailsnippets_courses_courserun:edit", args=[run.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "What certificates print" in content
    assert "24 hours" in content and "26 hours" not in content
    assert "Milica Đorđević" in content
    assert 'name="facts_hours"' not in content


def test_the_run_editor_says_when_facts_are_not_recorded_yet(client, course):
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(
        reverse("wagtailsnippets_courses_courserun:edit", args=[run.pk])
    )

    assert "Recorded when the run starts" in response.content.decode()


# --- Recording again (academy admins) ------------------------------------------


def record_again_url(run) -> str:
    return reverse("run_facts_record_again", args=[run.pk])


def staff(role: str):
    user = UserFactory(is_staff=True)
    grant_role(user=user, role=role)
    return user


@pytest.fixture
def recorded_run(course):
    """A run recorded at 24 hours, whose course now says 26."""
    with time_machine.travel(MONDAY, tick=False):
        run = schedule(course)
        run_facts_record(run=run)
    edit_course(course, duration_hours=Decimal("26"), title="Secure coding II")
    return run


def test_an_academy_admin_sees_the_recorded_facts_beside_the_course_now(
    client, recorded_run
):
    client.force_login(staff(ACADEMY_ADMIN))

    editor = client.get(
        reverse("wagtailsnippets_courses_courserun:edit", args=[recorded_run.pk])
    )
    page = client.get(record_again_url(recorded_run))

    assert record_again_url(recorded_run) in editor.content.decode()
    content = page.content.decode()
    assert page.status_code == 200
    assert "24 hours" in content and "26 hours" in content
    assert "Secure coding II" in content


def test_an_academy_admin_records_the_facts_again_and_the_history_says_so(
    client, recorded_run
):
    admin = staff(ACADEMY_ADMIN)
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        client.force_login(admin)
        response = client.post(record_again_url(recorded_run), follow=True)

    assert "were recorded again from the course" in response.content.decode()
    recorded_run.refresh_from_db()
    facts = run_facts(recorded_run)
    assert (facts.hours, facts.title) == (Decimal("26"), "Secure coding II")
    assert facts.recorded_at == MONDAY + dt.timedelta(days=2)
    entry = ModelLogEntry.objects.get(action=RUN_FACTS_RECORDED_AGAIN)
    assert (entry.object_id, entry.user) == (str(recorded_run.pk), admin)
    assert entry.data["before"]["hours"] == "24.0"
    assert entry.data["after"]["title"] == "Secure coding II"
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        history = client.get(
            reverse("wagtailsnippets_courses_courserun:history", args=[recorded_run.pk])
        )
    assert "Facts that certificates print recorded again" in history.content.decode()


def test_an_instructor_may_not_record_the_facts_again(client, recorded_run):
    client.force_login(staff(INSTRUCTOR))

    response = client.post(record_again_url(recorded_run))

    # The admin's "Sorry, you do not have permission to access this area."
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    recorded_run.refresh_from_db()
    assert recorded_run.facts_hours == Decimal("24")
    assert not ModelLogEntry.objects.filter(action=RUN_FACTS_RECORDED_AGAIN).exists()


def test_recording_again_needs_a_post(client, recorded_run):
    client.force_login(staff(ACADEMY_ADMIN))

    client.get(record_again_url(recorded_run))

    recorded_run.refresh_from_db()
    assert recorded_run.facts_hours == Decimal("24")
