"""Bulk issue with a choice: the admin picks the template of each kind (or
leaves each trainee's own), reads what will be issued and who does not
qualify and why, and only then starts the batch, printed on the templates
chosen."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate, CertificateBatch, CertificateTemplate
from enrolments.models import Enrolment
from enrolments.rules.completion import outcomes_recompute
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from tests.certificates.factories import CertificateTemplateFactory
from tests.enrolments.factories import quiz_attempt_taken, quiz_block
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
QUIZ = quiz_block(title="Check")


def issue_url(run) -> str:
    return reverse("certificates_admin:issue", args=[run.pk])


@pytest.fixture
def staff():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def course_run(catalogue, time_machine):
    """An in-person run with four meetings held, a 75 % attendance threshold
    and one required module with a required quiz."""
    time_machine.move_to(NOW, tick=False)
    course = CoursePageFactory(
        parent=catalogue, title="Secure coding", attendance_threshold_percent=75
    )
    module = ModulePageFactory(parent=course, body=[QUIZ])
    run = CourseRunFactory(
        course=course,
        capacity=40,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=5),
        enrolment_closes_on=today() + dt.timedelta(days=5),
    )
    meetings = [
        MeetingFactory(run=run, date=today() - dt.timedelta(days=4 - i))
        for i in range(4)
    ]
    return run, module, meetings


def trainee_in(course_run, name, *, present, passed_quiz=False, language="en"):
    """A trainee who attended `present` of the four meetings, and passed the
    quiz and finished the module when `passed_quiz`."""
    run, module, meetings = course_run
    enrolment = enrolment_create(
        trainee=TraineeProfileFactory(full_name=name, preferred_language=language),
        run=run,
    )
    # Meetings count from the seat: the seat was taken before the first one.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=timezone.now() - dt.timedelta(days=10)
    )
    staff = UserFactory(is_staff=True)
    for number, meeting in enumerate(meetings):
        status = "present" if number < present else "absent"
        register_save(meeting=meeting, marks={enrolment.pk: status}, by=staff)
    if passed_quiz:
        # Through the quiz service, which also counts the module as done.
        assert quiz_attempt_taken(enrolment=enrolment, module=module).passed
    outcomes_recompute(enrolment_ids=[enrolment.pk])
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def templates():
    return {
        "completion": CertificateTemplateFactory(name="Completion (EN)"),
        "completion_b": CertificateTemplateFactory(
            name="Diploma", heading="Diploma of Excellence"
        ),
        "attendance": CertificateTemplateFactory(
            name="Attendance (EN)",
            kind="attendance",
            heading="Certificate of attendance",
        ),
    }


def test_the_summary_counts_each_kind_and_says_why_others_do_not_qualify(
    admin_client, course_run, templates
):
    ana = trainee_in(course_run, "Ana Anić", present=4, passed_quiz=True)
    bojan = trainee_in(course_run, "Bojan Bojić", present=3)
    trainee_in(course_run, "Ceca Cecić", present=2)
    assert (ana.outcome, bojan.outcome) == ("completion", "attendance")

    response = admin_client.post(issue_url(course_run[0]), {"scope": "all"})

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "1 completion certificate, 1 attendance certificate; "
        "1 trainee does not qualify:"
    ) in html
    assert (
        "Ceca Cecić: attendance 50 % of 75 %; 0 of 1 required module done; "
        "0 of 1 assessment passed"
    ) in html
    # Each trainee's own template, named with how many it prints.
    assert "1 on “Completion (EN)”" in html
    assert "1 on “Attendance (EN)”" in html
    assert "Start issuing" in html
    assert not CertificateBatch.objects.exists()  # nothing issued yet


def test_the_page_offers_the_active_templates_of_each_kind(
    admin_client, course_run, templates
):
    CertificateTemplateFactory(name="Retired", is_active=False)
    trainee_in(course_run, "Ana Anić", present=4, passed_quiz=True)

    html = admin_client.get(issue_url(course_run[0])).content.decode()

    assert "Each trainee’s: the active template" in html or (
        "Each trainee&#x27;s: the active template" in html
    )
    assert "Diploma (English, anyone)" in html
    assert "Retired" not in html


def test_the_chosen_template_is_the_one_printed(
    admin_client, course_run, templates, django_capture_on_commit_callbacks
):
    trainee_in(course_run, "Ana Anić", present=4, passed_quiz=True)
    choice = {"scope": "all", "template_completion": templates["completion_b"].pk}
    review = admin_client.post(issue_url(course_run[0]), choice).content.decode()
    assert "1 on “Diploma”" in review
    assert f'name="template_completion" value="{templates["completion_b"].pk}"' in (
        review
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            issue_url(course_run[0]), {**choice, "confirm": "True"}
        )

    certificate = Certificate.objects.get()
    assert response["Location"] == reverse(
        "certificates_admin:batch", args=[certificate.batch_id]
    )
    assert certificate.template == templates["completion_b"]
    with certificate.pdf.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert "Diploma of Excellence" in text
    assert "Ana Anić" in text


def test_a_template_made_inactive_before_confirming_issues_nothing(
    admin_client, course_run, templates
):
    trainee_in(course_run, "Ana Anić", present=4, passed_quiz=True)
    chosen = templates["completion_b"]
    CertificateTemplate.objects.filter(pk=chosen.pk).update(is_active=False)

    response = admin_client.post(
        issue_url(course_run[0]),
        {"scope": "all", "template_completion": chosen.pk, "confirm": "True"},
    )

    assert response.status_code == 200
    assert "That template is no longer active" in response.content.decode()
    assert not Certificate.objects.exists()


def test_without_an_active_template_the_summary_says_who_cannot_get_one(
    admin_client, course_run, templates
):
    CertificateTemplate.objects.filter(kind="attendance").update(is_active=False)
    trainee_in(course_run, "Bojan Bojić", present=3)

    html = admin_client.post(
        issue_url(course_run[0]), {"scope": "all"}
    ).content.decode()

    assert "No new certificates." in html
    assert "1 trainee earned a certificate but cannot get it now" in html
    assert "No active attendance certificate template" in html


def review_queries(client, run) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(issue_url(run), {"scope": "all"})
    assert response.status_code == 200
    return len(queries)


def test_the_summary_reads_the_same_number_of_queries_for_more_trainees(
    admin_client, course_run, templates
):
    run = course_run[0]
    trainee_in(course_run, "Ana Anić", present=4, passed_quiz=True)
    trainee_in(course_run, "Ceca Cecić", present=2)
    few = review_queries(admin_client, run)
    for number in range(3):
        trainee_in(course_run, f"Dejan {number}", present=4, passed_quiz=True)
        trainee_in(course_run, f"Ema {number}", present=3, language="sr-latn")
        trainee_in(course_run, f"Filip {number}", present=1)

    assert review_queries(admin_client, run) == few
