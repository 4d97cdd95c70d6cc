"""Privacy as trainees and admins meet it: "Your data" (page and JSON) shows
everything held about the trainee and nothing about anyone else; an admin's
erasure anonymises the person, keeps the statistics, frees seats, deletes
files, is logged without the erased data, and is refused without the
permission or on a GET."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import email_send
from courses.models import CoursePage, CourseRun
from enrolments.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
    TraineeProfile,
)
from enrolments.services import enrolment_create, trainee_erase
from enrolments.services.assignments import submission_grade, submission_submit
from enrolments.services.privacy import (
    ERASE_ACTION,
    EXPORT_ACTION,
    AlreadyErased,
    ErasureRefused,
    storage_files_delete,
)
from tests.enrolments.factories import (
    quiz_attempt_taken,
    quiz_block,
    true_false_question,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    ModulePageFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
NAME = "Đorđe Petrović"
EMAIL = "djordje.petrovic@example.rs"
OTHER_NAME = "Milena Jovanović"
OTHER_EMAIL = "milena.jovanovic@example.rs"
PDF = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
DATA_URL = "accounts:data"
JSON_URL = "accounts:data_json"


def assignment_block(block_id="a-1"):
    return {
        "type": "assignment",
        "id": block_id,
        "value": {
            "title": "Deployment plan",
            "instructions": "<p>Plan a rollout.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "both",
            "required": True,
        },
    }


def trainee_named(name: str, email: str, **kwargs) -> TraineeProfile:
    user = UserFactory(username=email, email=email, first_name=name.split()[0])
    return TraineeProfileFactory(user=user, full_name=name, **kwargs)


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Kubernetes in Production")


@pytest.fixture
def module(course):
    return ModulePageFactory(
        parent=course,
        title="Rolling updates",
        body=[
            assignment_block(),
            quiz_block(
                "q-1",
                title="Pods and probes",
                questions=[true_false_question("probe", points="8")],
            ),
        ],
    )


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=10)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Vega IT d.o.o.")


@pytest.fixture
def instructor():
    return UserFactory(first_name="Ana", last_name="Instruktor")


def study(trainee, run, module, instructor, *, text: str, feedback: str):
    """A confirmed enrolment with one of each kind of record."""
    enrolment = enrolment_create(trainee=trainee, run=run)
    meeting = run.meetings.first() or MeetingFactory(run=run)
    AttendanceRecord.objects.create(
        meeting=meeting,
        enrolment=enrolment,
        status=AttendanceRecord.Status.PRESENT,
        source=AttendanceRecord.Source.CHECK_IN,
        checked_in_at=timezone.now(),
    )
    ModuleProgress.objects.create(
        enrolment=enrolment, module=module, source=ModuleProgress.Source.MARKED
    )
    quiz_attempt_taken(enrolment=enrolment, module=module, quiz_id="q-1")
    submission = submission_submit(
        enrolment=enrolment,
        module=module,
        assignment_id="a-1",
        text_html=f"<p>{text}</p>",
        upload=SimpleUploadedFile(
            f"{trainee.full_name} plan.pdf", PDF, content_type="application/pdf"
        ),
    )
    submission_grade(
        submission=submission, by=instructor, score="75", feedback_html=feedback
    )
    return enrolment


@pytest.fixture
def trainee(organisation):
    return trainee_named(
        NAME, EMAIL, organisation=organisation, preferred_language="sr-latn"
    )


@pytest.fixture
def other(run, module, instructor):
    other = trainee_named(OTHER_NAME, OTHER_EMAIL)
    study(
        other,
        run,
        module,
        instructor,
        text="Milena's secret essay",
        feedback="Milena, well done",
    )
    return other


@pytest.fixture
def enrolment(trainee, run, module, instructor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return study(
            trainee,
            run,
            module,
            instructor,
            text="Canary first, then 25 percent",
            feedback=f"{NAME.split()[0]}, good plan",
        )


@pytest.fixture
def trainee_client(client, trainee):
    client.force_login(trainee.user)
    return client


def admin_user(*, can_erase: bool):
    user = UserFactory(is_staff=False)
    codenames = ["access_admin", "view_traineeprofile"]
    if can_erase:
        codenames.append("erase_traineeprofile")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def admin_client(*, can_erase: bool = True, enforce_csrf_checks=False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(admin_user(can_erase=can_erase))
    return client


def erase_url(trainee) -> str:
    return reverse("trainee_erase", args=[trainee.pk])


def erase(trainee, capture, by=None):
    with capture(execute=True):
        return trainee_erase(trainee=trainee, by=by or admin_user(can_erase=True))


# --- Your data ----------------------------------------------------------------


def test_data_page_shows_every_kind_of_data_held(trainee_client, enrolment):
    response = trainee_client.get(reverse(DATA_URL))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for expected in (
        EMAIL,
        NAME,
        "Vega IT d.o.o.",
        "Srpski (latinica)",
        "Kubernetes in Production",
        "Confirmed",
        "30000",  # the price snapshot
        "Present",
        "Checked in by the trainee",
        "Rolling updates",
        "Marked done by the trainee",
        "Pods and probes",
        "Deployment plan",
        "Canary first, then 25 percent",
        f"{NAME} plan.pdf",
        "good plan",
        "Vaše mesto je potvrđeno: Kubernetes in Production",  # an e-mail
    ):
        assert expected in html, expected
    for title in (
        "Account",
        "Enrolments",
        "Attendance",
        "Check-ins",
        "Modules finished",
        "Quiz attempts",
        "Assignment submissions",
        "E-mails the academy sent you",
        "Certificates",
    ):
        assert f">{title}</h2>" in html, title
    assert reverse(JSON_URL) in html


def test_json_download_is_a_complete_attachment(trainee_client, enrolment):
    response = trainee_client.get(reverse(JSON_URL))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["format"] == "cluster-academy-personal-data"
    sections = {s["title"]: s["data"] for s in document["sections"]}
    assert sections["Account"]["E-mail"] == EMAIL
    assert sections["Account"]["Full name (as printed on certificates)"] == NAME
    [row] = sections["Enrolments"]
    assert row["Status"] == "Confirmed"
    assert row["Price (RSD)"] == "30000.00"
    assert row["Member price"] is False
    assert sections["Attendance"][0]["Status"] == "Present"
    assert sections["Check-ins"][0]["Checked in"]
    assert sections["Modules finished"][0]["Module"] == "Rolling updates"
    [attempt] = sections["Quiz attempts"]
    assert (attempt["Score"], attempt["Passed"]) == ("8.00", True)
    assert attempt["Quiz"] == "Pods and probes"
    assert attempt["Answers"] == {"probe": True}
    [submission] = sections["Assignment submissions"]
    assert submission["Text"] == "Canary first, then 25 percent"
    assert submission["File name"] == f"{NAME} plan.pdf"
    assert submission["Score"] == "75.00"
    assert "good plan" in submission["Feedback"]
    assert {e["Subject"] for e in sections["E-mails the academy sent you"]} == {
        "Vaše mesto je potvrđeno: Kubernetes in Production",
        "Vaš rad je ocenjen: Deployment plan",
    }
    assert sections["Certificates"] == []


def test_export_never_shows_another_trainees_data(trainee_client, enrolment, other):
    page = trainee_client.get(reverse(DATA_URL)).content.decode()
    download = trainee_client.get(reverse(JSON_URL)).content.decode()

    for text in (page, download):
        assert NAME in text
        for secret in (OTHER_NAME, OTHER_EMAIL, "Milena's secret essay", "Milena,"):
            assert secret not in text


def test_each_export_is_logged_with_ids_only(trainee_client, trainee, enrolment):
    trainee_client.get(reverse(DATA_URL))
    trainee_client.get(reverse(JSON_URL))

    entries = ModelLogEntry.objects.filter(action=EXPORT_ACTION).order_by("pk")
    assert [e.data for e in entries] == [
        {"trainee_id": trainee.pk, "format": "html"},
        {"trainee_id": trainee.pk, "format": "json"},
    ]
    assert all(e.user_id == trainee.user_id for e in entries)
    assert all(NAME not in e.label for e in entries)


@pytest.mark.parametrize("url_name", [DATA_URL, JSON_URL])
def test_export_reads_in_a_fixed_number_of_queries(
    url_name, catalogue, module, instructor, client
):
    def queries_for(enrolments: int) -> int:
        trainee = TraineeProfileFactory(user=UserFactory())
        for n in range(enrolments):
            run = CourseRunFactory(
                course=module.get_parent().specific,
                starts_on=timezone.localdate() + dt.timedelta(days=20 + n * 5),
            )
            study(trainee, run, module, instructor, text=f"Essay {n}", feedback="Ok")
        client.force_login(trainee.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        client.logout()
        return len(queries)

    queries_for(1)  # warms the per-process caches (content types, log actions)
    assert queries_for(2) == queries_for(30)


def test_staff_without_a_trainee_profile_are_told_so(client):
    client.force_login(UserFactory(is_staff=True))

    page = client.get(reverse(DATA_URL))
    download = client.get(reverse(JSON_URL))

    assert "has no trainee profile" in page.content.decode()
    assert "has no trainee profile" in download.content.decode()
    assert "Content-Disposition" not in download


@pytest.mark.parametrize("url_name", [DATA_URL, JSON_URL])
def test_anonymous_visitors_are_sent_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("accounts:log_in") in response["Location"]


def test_data_page_refuses_a_post(trainee_client):
    assert trainee_client.post(reverse(DATA_URL)).status_code == 405


def test_profile_and_my_learning_link_to_your_data(trainee_client):
    url = reverse(DATA_URL)
    assert url in trainee_client.get(reverse("accounts:profile")).content.decode()
    assert url in trainee_client.get(reverse("learning:home")).content.decode()


# --- Erasure: what goes -----------------------------------------------------------


def test_erasure_anonymises_login_and_profile(
    trainee, enrolment, organisation, django_capture_on_commit_callbacks
):
    erase(trainee, django_capture_on_commit_callbacks)

    trainee.refresh_from_db()
    user = trainee.user
    user.refresh_from_db()
    assert trainee.full_name == f"Erased trainee #{trainee.pk}"
    assert trainee.erased_at is not None
    assert trainee.organisation == organisation  # kept: the employer's data
    assert user.email.endswith("@erased.invalid")
    assert user.username == user.email
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.is_active
    assert not user.has_usable_password()


def test_old_name_and_email_appear_nowhere_after_erasure(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    erase(trainee, django_capture_on_commit_callbacks)

    user = type(trainee.user).objects.get(pk=trainee.user_id)
    user_text = " ".join(
        str(getattr(user, f)) for f in ("username", "email", "first_name", "last_name")
    )
    trainee.refresh_from_db()
    submission = AssignmentSubmission.objects.get(enrolment=enrolment)
    submission_text = " ".join(
        [submission.text_html, submission.file_name, submission.feedback_html]
    )
    listing = admin_client().get(reverse("trainees:index")).content.decode()
    log_text = " ".join(
        f"{e.label} {json.dumps(e.data, ensure_ascii=False)}"
        for e in ModelLogEntry.objects.all()
    )
    for text in (user_text, trainee.full_name, submission_text, listing, log_text):
        for secret in (NAME, EMAIL, "Đorđe", "Canary first"):
            assert secret not in text
    assert f"Erased trainee #{trainee.pk}" in listing
    assert "Canary first" not in submission.text_html
    assert "erased" in submission.text_html


def test_erasure_is_logged_with_counts_not_personal_data(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    by = admin_user(can_erase=True)
    erase(trainee, django_capture_on_commit_callbacks, by=by)

    entry = ModelLogEntry.objects.get(action=ERASE_ACTION)
    assert entry.user == by
    assert entry.object_id == str(trainee.pk)
    assert entry.label == f"Erased trainee #{trainee.pk}"
    assert entry.data["trainee_id"] == trainee.pk
    assert entry.data["enrolments"] == 1
    assert entry.data["submissions"] == 1
    assert entry.data["files_deleted"] == 1
    assert all(isinstance(v, int) for v in entry.data.values())


def test_erasure_deletes_uploaded_files_after_commit(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    name = AssignmentSubmission.objects.get(enrolment=enrolment).file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        trainee_erase(trainee=trainee, by=admin_user(can_erase=True))
    assert default_storage.exists(name)  # nothing deleted before the commit
    for callback in callbacks:
        callback()

    assert not default_storage.exists(name)
    submission = AssignmentSubmission.objects.get(enrolment=enrolment)
    assert (submission.file.name, submission.file_name, submission.file_size) == (
        "",
        "",
        None,
    )
    storage_files_delete(names=[name])  # a repeat finds nothing and is fine


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        # As production stores sessions (a shared cache, CACHE_URL).
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_erasure_ends_the_trainees_sessions(
    engine, trainee, enrolment, django_capture_on_commit_callbacks, settings
):
    from django.core.cache import cache
    from django.utils.module_loading import import_string

    settings.SESSION_ENGINE = engine
    client = Client()
    client.force_login(trainee.user)
    assert client.get(reverse("learning:home")).status_code == 200
    other_session = Client()
    other_session.force_login(UserFactory())

    erase(trainee, django_capture_on_commit_callbacks)

    assert Session.objects.count() == 1  # only the other user's
    store = import_string(f"{engine}.SessionStore")
    if hasattr(store, "cache_key_prefix"):
        # Nothing left in the cache either.
        assert cache.get(store.cache_key_prefix + client.session.session_key) is None
        assert cache.get(store.cache_key_prefix + other_session.session.session_key)
    response = client.get(reverse("learning:home"))
    assert response.status_code == 302
    assert reverse("accounts:log_in") in response["Location"]


def test_erased_trainee_cannot_log_in(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    erase(trainee, django_capture_on_commit_callbacks)

    client = Client()
    assert not client.login(username=EMAIL, password="correct-horse-battery-2026")
    response = client.post(
        reverse("accounts:log_in"),
        {"username": EMAIL, "password": "correct-horse-battery-2026"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_enrolment_emails_are_not_sent_to_an_erased_trainee(
    trainee, run, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment = enrolment_create(trainee=trainee, run=run)  # e-mail not sent yet
    email = OutboundEmail.objects.get(dedupe_key=f"enrolment:{enrolment.pk}:confirmed")
    erase(trainee, django_capture_on_commit_callbacks)

    assert email_send(email_id=email.pk) is False
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.CANCELLED
    assert trainee.user.email not in (email.to, email.body_text)


# --- Erasure: what stays ------------------------------------------------------------


def test_erasure_keeps_the_statistics(
    trainee, enrolment, organisation, django_capture_on_commit_callbacks
):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Status.COMPLETED, outcome="completion", organisation=organisation
    )
    before = Enrolment.objects.get(pk=enrolment.pk)

    erase(trainee, django_capture_on_commit_callbacks)

    after = Enrolment.objects.get(pk=enrolment.pk)
    for field in ("status", "is_member", "organisation_id", "price", "outcome"):
        assert getattr(after, field) == getattr(before, field), field
    assert AttendanceRecord.objects.filter(enrolment=enrolment).count() == 1
    assert ModuleProgress.objects.filter(enrolment=enrolment).count() == 1
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    assert (attempt.score, attempt.passed) == (Decimal("8"), True)
    submission = AssignmentSubmission.objects.get(enrolment=enrolment)
    assert (submission.score, submission.passed) == (Decimal("75"), True)
    assert submission.graded_at is not None
    assert Enrolment.objects.filter(status=Status.COMPLETED).count() == 1


def test_reports_count_an_erased_trainees_enrolments_as_before(
    trainee, enrolment, organisation, django_capture_on_commit_callbacks
):
    from enrolments.reports.filters import ReportFilters
    from enrolments.reports.selectors import (
        attendance_counts,
        enrolments_by_course,
        members_by_course,
    )

    Enrolment.objects.filter(pk=enrolment.pk).update(organisation=organisation)
    everything = ReportFilters()
    by_organisation = ReportFilters(organisation=organisation)

    def figures():
        return (
            enrolments_by_course(everything),
            members_by_course(everything),
            enrolments_by_course(by_organisation),
            attendance_counts(everything),
        )

    before = figures()
    erase(trainee, django_capture_on_commit_callbacks)

    assert figures() == before
    assert before[2][1]["total"] == 1


def test_erasure_cancels_pending_and_waitlisted_enrolments_and_frees_seats(
    catalogue, trainee, django_capture_on_commit_callbacks
):
    approval = CoursePageFactory(
        parent=catalogue,
        title="Secure coding",
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL,
    )
    small = CourseRunFactory(course=approval, capacity=1)
    pending = enrolment_create(trainee=trainee, run=small)
    waiting = enrolment_create(trainee=TraineeProfileFactory(), run=small)
    full = CourseRunFactory(course=approval, capacity=1)
    enrolment_create(trainee=TraineeProfileFactory(), run=full)
    waitlisted = enrolment_create(trainee=trainee, run=full)
    assert (pending.status, waiting.status, waitlisted.status) == (
        Status.PENDING,
        Status.WAITLISTED,
        Status.WAITLISTED,
    )

    by = admin_user(can_erase=True)
    with django_capture_on_commit_callbacks(execute=True):
        counts = trainee_erase(trainee=trainee, by=by)

    assert counts["enrolments_cancelled"] == 2
    pending.refresh_from_db()
    waiting.refresh_from_db()
    waitlisted.refresh_from_db()
    assert pending.status == waitlisted.status == Status.CANCELLED
    assert waiting.status == Status.OFFERED  # offered the freed seat
    assert CourseRun.objects.get(pk=small.pk).seats_taken == 1
    assert CourseRun.objects.get(pk=full.pk).seats_taken == 1


def test_erasing_twice_changes_nothing(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    erase(trainee, django_capture_on_commit_callbacks)
    trainee.refresh_from_db()
    erased = (trainee.full_name, trainee.erased_at, trainee.user.email)

    with pytest.raises(AlreadyErased, match="erased already"):
        erase(trainee, django_capture_on_commit_callbacks)

    trainee.refresh_from_db()
    assert (trainee.full_name, trainee.erased_at, trainee.user.email) == erased
    assert ModelLogEntry.objects.filter(action=ERASE_ACTION).count() == 1


def test_a_staff_account_is_not_erased(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    type(trainee.user).objects.filter(pk=trainee.user_id).update(is_staff=True)
    trainee.refresh_from_db()

    with pytest.raises(ErasureRefused, match="admin access"):
        erase(trainee, django_capture_on_commit_callbacks)

    trainee.refresh_from_db()
    assert trainee.full_name == NAME
    assert trainee.erased_at is None


# --- Erasure in the admin -----------------------------------------------------------


def test_admin_confirms_with_what_is_erased_and_kept_and_get_erases_nothing(
    trainee, enrolment
):
    client = admin_client()
    inspect = client.get(reverse("trainees:inspect", args=[trainee.pk]))
    assert erase_url(trainee) in inspect.content.decode()

    response = client.get(erase_url(trainee))

    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html
    assert "1 enrolment with" in html
    assert "1 assignment submission" in html
    assert "Confirmed" in html
    assert "No certificates." in html
    trainee.refresh_from_db()
    assert trainee.erased_at is None


def test_admin_erases_with_a_post_and_sees_a_message(
    trainee, enrolment, django_capture_on_commit_callbacks
):
    client = admin_client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(erase_url(trainee), follow=True)

    assert "Personal data erased" in response.content.decode()
    trainee.refresh_from_db()
    assert trainee.erased_at is not None
    inspect = client.get(reverse("trainees:inspect", args=[trainee.pk]))
    assert erase_url(trainee) not in inspect.content.decode()  # nothing to erase

    again = client.post(erase_url(trainee), follow=True)
    assert "erased already" in again.content.decode()


def test_erasure_post_needs_the_csrf_token(trainee, enrolment):
    client = admin_client(enforce_csrf_checks=True)

    assert client.post(erase_url(trainee)).status_code == 403
    trainee.refresh_from_db()
    assert trainee.erased_at is None

    page = client.get(erase_url(trainee))
    token = page.context["csrf_token"]
    response = client.post(erase_url(trainee), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.erased_at is not None


def test_admin_without_the_permission_gets_403_and_no_button(trainee, enrolment):
    client = admin_client(can_erase=False)

    inspect = client.get(reverse("trainees:inspect", args=[trainee.pk]))
    assert inspect.status_code == 200
    assert erase_url(trainee) not in inspect.content.decode()
    assert client.get(erase_url(trainee)).status_code == 403
    assert client.post(erase_url(trainee)).status_code == 403
    trainee.refresh_from_db()
    assert trainee.erased_at is None


def test_trainee_cannot_open_the_erasure_page(trainee_client, trainee):
    response = trainee_client.post(erase_url(trainee))
    assert response.status_code in (302, 403)
    trainee.refresh_from_db()
    assert trainee.erased_at is None


def test_erasing_an_unknown_trainee_is_404():
    assert admin_client().get(reverse("trainee_erase", args=[999999])).status_code == (
        404
    )


def test_a_grade_given_after_erasure_is_not_emailed(
    trainee, enrolment, instructor, mailoutbox, django_capture_on_commit_callbacks
):
    from enrolments.models import AssignmentSubmission

    submission = AssignmentSubmission.objects.get(enrolment=enrolment)
    erase(trainee, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    emails = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(
            submission=submission, by=instructor, score="90", feedback_html=""
        )

    assert mailoutbox == []
    assert OutboundEmail.objects.count() == emails
