"""Certificate services: choosing the template, numbering, requesting,
rendering into storage, the lifecycle (retry, revoke, reissue, expiry), bulk
issue with its progress, and issuing automatically when a course completes.

Tasks run eagerly when the transaction commits (captured with
django_capture_on_commit_callbacks), as the worker would run them.
"""

import datetime as dt
import hashlib
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.files.storage import FileSystemStorage
from pypdf import PdfReader

from certificates.models import Certificate, CertificateTemplate, Kind
from certificates.selectors import batch_progress, verification_url
from certificates.services.errors import CertificateError, StorageUnavailable
from certificates.services.issuing import (
    certificate_request,
    certificates_issue_for_run,
    serial_next,
    template_for,
)
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.rendering import (
    certificate_generate,
    certificate_mark_failed,
    certificate_retry,
)
from courses.models import CoursePage
from enrolments.models import Enrolment, TraineeProfile
from enrolments.services import enrolment_create
from enrolments.services.progress import module_mark_done
from tests.certificates.factories import (
    CertificateTemplateFactory,
    background_pdf,
    earned_enrolment,
    with_uploaded_background,
)
from tests.concurrency import together
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Audience = CertificateTemplate.Audience
Language = CertificateTemplate.Language
Status = Certificate.Status


@pytest.fixture
def template(db):
    """The academy's one completion template, for anyone, in English."""
    return CertificateTemplateFactory()


@pytest.fixture
def admin(db):
    return UserFactory(username="admin@academy.example", is_staff=True)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Request a certificate and let the render (and e-mail) tasks run as
    they would after the commit; returns the certificate as stored."""

    def issue(enrolment, kind=Kind.COMPLETION, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_request(enrolment=enrolment, kind=kind, **kwargs)
        certificate.refresh_from_db()
        return certificate

    return issue


def pdf_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()


def stored_files(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "certificates"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- Choosing the template ------------------------------------------------------


def test_template_follows_the_kind_and_the_member_snapshot(db):
    member = CertificateTemplateFactory(audience=Audience.MEMBER)
    non_member = CertificateTemplateFactory(audience=Audience.NON_MEMBER)
    attendance = CertificateTemplateFactory(kind=Kind.ATTENDANCE)

    assert template_for(kind=Kind.COMPLETION, is_member=True, language="en") == member
    assert (
        template_for(kind=Kind.COMPLETION, is_member=False, language="en") == non_member
    )
    assert (
        template_for(kind=Kind.ATTENDANCE, is_member=True, language="en") == attendance
    )


def test_an_exact_audience_wins_over_any_and_any_serves_the_rest(db):
    anyone = CertificateTemplateFactory(audience=Audience.ANY)
    member = CertificateTemplateFactory(audience=Audience.MEMBER)

    assert template_for(kind=Kind.COMPLETION, is_member=True, language="en") == member
    assert template_for(kind=Kind.COMPLETION, is_member=False, language="en") == anyone


def test_the_trainees_language_is_preferred_then_the_other_script(db):
    english = CertificateTemplateFactory(language=Language.ENGLISH)
    latin = CertificateTemplateFactory(language=Language.SERBIAN_LATIN)

    assert template_for(kind=Kind.COMPLETION, is_member=False, language="en") == english
    assert (
        template_for(kind=Kind.COMPLETION, is_member=False, language="sr-latn") == latin
    )
    # No Cyrillic template: the Latin one is closer than English.
    assert template_for(kind=Kind.COMPLETION, is_member=False, language="sr") == latin
    # A member template in another language loses to one the trainee can read.
    CertificateTemplateFactory(audience=Audience.MEMBER, language=Language.ENGLISH)
    assert (
        template_for(kind=Kind.COMPLETION, is_member=True, language="sr-latn") == latin
    )


def test_inactive_templates_and_refused_backgrounds_are_skipped(db):
    usable = CertificateTemplateFactory(language=Language.ENGLISH)
    CertificateTemplateFactory(language=Language.SERBIAN_LATIN, is_active=False)
    CertificateTemplateFactory(
        language=Language.SERBIAN_LATIN,
        background_status=CertificateTemplate.BackgroundStatus.INVALID,
        is_active=False,
    )

    chosen = template_for(kind=Kind.COMPLETION, is_member=False, language="sr-latn")

    assert chosen == usable


def test_no_usable_template_is_a_clear_error(db):
    CertificateTemplateFactory(audience=Audience.NON_MEMBER)
    CertificateTemplateFactory(audience=Audience.MEMBER, is_active=False)

    with pytest.raises(CertificateError) as error:
        template_for(kind=Kind.COMPLETION, is_member=True, language="en")

    assert error.value.message == (
        "No active completion certificate template for members; "
        "add one in Certificates > Templates."
    )


# --- Serials ------------------------------------------------------------------


def test_serials_count_up_within_a_year_and_restart_in_the_next(db):
    assert serial_next(year=2026) == "CA-2026-000001"
    assert serial_next(year=2026) == "CA-2026-000002"
    assert serial_next(year=2027) == "CA-2027-000001"
    assert serial_next(year=2026) == "CA-2026-000003"


def test_certificates_take_consecutive_serials_of_this_year(catalogue, template):
    first = certificate_request(
        enrolment=earned_enrolment(catalogue), kind="completion"
    )
    second = certificate_request(
        enrolment=earned_enrolment(catalogue), kind="completion"
    )

    year = first.created_at.year
    assert first.serial == f"CA-{year}-000001"
    assert second.serial == f"CA-{year}-000002"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_serials_stay_unique_when_issuing_concurrently(catalogue, template):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    enrolments = [EnrolmentFactory(run=run) for _ in range(12)]

    results = together(
        [
            lambda e=e: certificate_request(enrolment=e, kind=Kind.COMPLETION)
            for e in enrolments
        ]
        + [lambda: serial_next(year=2031) for _ in range(8)]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    serials = [c.serial for c in results[:12]]
    year = results[0].created_at.year
    assert sorted(serials) == [f"CA-{year}-{n:06d}" for n in range(1, 13)]
    assert sorted(results[12:]) == [f"CA-2031-{n:06d}" for n in range(1, 9)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_issue_makes_one_certificate(catalogue, template):
    enrolment = earned_enrolment(catalogue)

    results = together(
        [lambda: certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)] * 6
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({c.pk for c in results}) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


# --- Requesting -----------------------------------------------------------------


def test_requesting_again_returns_the_same_certificate(
    catalogue, template, django_capture_on_commit_callbacks
):
    enrolment = earned_enrolment(catalogue)

    with django_capture_on_commit_callbacks() as first_dispatch:
        first = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    with django_capture_on_commit_callbacks() as second_dispatch:
        second = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)

    assert second.pk == first.pk
    assert first.status == Status.PENDING
    assert len(first_dispatch) == 1 and len(second_dispatch) == 0
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_an_enrolment_without_the_outcome_is_refused(catalogue, template):
    none = earned_enrolment(catalogue, outcome="none")
    attendance_only = earned_enrolment(catalogue, outcome="attendance")

    with pytest.raises(CertificateError, match="has not earned the completion"):
        certificate_request(enrolment=none, kind=Kind.COMPLETION)
    with pytest.raises(CertificateError, match="has not earned the completion"):
        certificate_request(enrolment=attendance_only, kind=Kind.COMPLETION)
    assert not Certificate.objects.exists()


def test_completion_also_earns_the_attendance_certificate(catalogue):
    CertificateTemplateFactory(kind=Kind.ATTENDANCE)
    enrolment = earned_enrolment(catalogue, outcome="completion")

    certificate = certificate_request(enrolment=enrolment, kind=Kind.ATTENDANCE)

    assert certificate.kind == Kind.ATTENDANCE


def test_the_committed_outcome_decides_not_a_stale_copy(catalogue, template):
    enrolment = earned_enrolment(catalogue, outcome="completion")
    Enrolment.objects.filter(pk=enrolment.pk).update(outcome="none")

    with pytest.raises(CertificateError):
        certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)


def test_a_cancelled_enrolment_is_refused(catalogue, template):
    enrolment = earned_enrolment(catalogue, status=Enrolment.Status.CANCELLED)

    with pytest.raises(CertificateError):
        certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)


def test_the_request_snapshots_what_the_certificate_says(catalogue, template, admin):
    enrolment = earned_enrolment(catalogue, is_member=True)

    certificate = certificate_request(
        enrolment=enrolment, kind=Kind.COMPLETION, by=admin
    )

    run = enrolment.run
    assert certificate.full_name == "Đorđe Petrović"
    assert certificate.course_title == "Kubernetes in Production"
    assert certificate.hours == run.course.duration_hours
    assert (certificate.starts_on, certificate.ends_on) == (run.starts_on, run.ends_on)
    assert certificate.is_member is True
    assert certificate.template == template
    assert certificate.issued_by == admin
    assert len(certificate.verification_code) >= 32  # 192 random bits


# --- Rendering ------------------------------------------------------------------


def test_rendering_stores_one_pdf_whose_hash_and_text_match(
    catalogue, template, issue, settings
):
    certificate = issue(earned_enrolment(catalogue))

    assert certificate.status == Status.ISSUED
    assert certificate.issued_at is not None
    assert certificate.render_attempts == 1
    with certificate.pdf.open("rb") as handle:
        body = handle.read()
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == certificate.sha256
    text = pdf_text(certificate)
    assert "Đorđe Petrović" in text
    assert "Kubernetes in Production" in text
    assert certificate.serial in text
    assert verification_url(certificate) in text
    assert stored_files(settings) == [certificate.pdf.name.split("/")[-1]]


def test_the_trainee_is_emailed_once_when_it_is_issued(catalogue, template, issue):
    enrolment = earned_enrolment(catalogue)
    certificate = issue(enrolment)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [enrolment.trainee.user.email]
    assert certificate.verification_code in mail.outbox[0].body

    certificate_generate(certificate_id=certificate.pk)  # a duplicate task
    assert len(mail.outbox) == 1


def test_rendering_twice_is_a_no_op(catalogue, template, issue, settings):
    certificate = issue(earned_enrolment(catalogue))

    again = certificate_generate(certificate_id=certificate.pk)

    assert again.status == Status.ISSUED
    assert again.render_attempts == 1
    assert Certificate.objects.get(pk=certificate.pk).sha256 == certificate.sha256
    assert len(stored_files(settings)) == 1


def test_renaming_the_trainee_changes_nothing_until_reissue(
    catalogue, template, issue, admin
):
    enrolment = earned_enrolment(catalogue)
    certificate = issue(enrolment)
    TraineeProfile.objects.filter(pk=enrolment.trainee_id).update(
        full_name="Đorđe Petrović Jovanović"
    )

    certificate.refresh_from_db()
    assert certificate.full_name == "Đorđe Petrović"
    assert "Đorđe Petrović Jovanović" not in pdf_text(certificate)

    with_new_name = certificate_reissue(certificate=certificate, by=admin)
    assert with_new_name.full_name == "Đorđe Petrović Jovanović"


def test_reissue_with_a_corrected_name_supersedes_the_old_certificate(
    catalogue, template, issue, admin, django_capture_on_commit_callbacks, settings
):
    old = issue(earned_enrolment(catalogue))

    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=old, by=admin, full_name=" Ђорђе Петровић "
        )

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert old.superseded_by == new
    assert old.public_status == "superseded"
    assert new.status == Status.ISSUED
    assert new.full_name == "Ђорђе Петровић"
    assert "Ђорђе Петровић" in pdf_text(new)
    assert new.serial != old.serial
    assert new.verification_code != old.verification_code
    assert new.issued_by == admin
    # Nothing is deleted: the old file stays next to the new one.
    assert len(stored_files(settings)) == 2
    assert old.pdf.storage.exists(old.pdf.name)


def test_only_an_issued_certificate_can_be_reissued(catalogue, template, admin):
    pending = certificate_request(
        enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
    )

    with pytest.raises(CertificateError, match="Only an issued"):
        certificate_reissue(certificate=pending, by=admin, full_name="Someone Else")
    assert Certificate.objects.count() == 1


def test_revoking_needs_a_reason_and_an_issued_certificate(
    catalogue, template, issue, admin
):
    pending = certificate_request(
        enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
    )
    with pytest.raises(CertificateError, match="Only an issued"):
        certificate_revoke(certificate=pending, by=admin, reason="Fraud")

    certificate = issue(earned_enrolment(catalogue))
    with pytest.raises(CertificateError, match="Give a reason"):
        certificate_revoke(certificate=certificate, by=admin, reason="   ")

    revoked = certificate_revoke(
        certificate=certificate, by=admin, reason="Attendance sheet was forged."
    )
    revoked.refresh_from_db()
    assert revoked.status == Status.REVOKED
    assert revoked.public_status == "revoked"
    assert revoked.revocation_reason == "Attendance sheet was forged."
    assert revoked.revoked_by == admin and revoked.revoked_at is not None
    assert revoked.pdf.storage.exists(revoked.pdf.name)  # kept, not deleted
    with pytest.raises(CertificateError, match="Only an issued"):
        certificate_revoke(certificate=revoked, by=admin, reason="Twice")


def test_only_a_failed_certificate_can_be_retried(catalogue, template, issue, admin):
    certificate = issue(earned_enrolment(catalogue))

    with pytest.raises(CertificateError, match="Only a failed"):
        certificate_retry(certificate=certificate, by=admin)


def test_expiry_follows_the_courses_validity(catalogue, template, issue):
    lasting = CoursePageFactory(parent=catalogue, certificate_validity_months=24)
    forever = CoursePageFactory(parent=catalogue)

    expiring = issue(earned_enrolment(catalogue, course=lasting))
    permanent = issue(earned_enrolment(catalogue, course=forever))

    assert expiring.expires_at == expiring.issued_at + relativedelta(months=24)
    assert expiring.public_status == "valid"
    assert "valid until" in pdf_text(expiring)
    assert permanent.expires_at is None
    assert "valid until" not in pdf_text(permanent)


# --- Failures -------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch):
    """Every file save fails as on a full disk; returns the attempts made."""
    attempts = []

    def save(storage, name, content):
        attempts.append(name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return attempts


@pytest.fixture
def retries_in_place(monkeypatch):
    """Let an eager task retry at once, as a worker retries it after the
    backoff; with errors propagating, Celery would raise the first Retry."""
    from academy_site.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_a_storage_outage_raises_storage_unavailable_and_keeps_it_pending(
    catalogue, template, full_disk
):
    certificate = certificate_request(
        enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
    )

    with pytest.raises(StorageUnavailable, match="No space left"):
        certificate_generate(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert certificate.status == Status.PENDING
    assert certificate.sha256 == "" and not certificate.pdf


def test_the_task_retries_storage_and_then_marks_it_failed_with_the_reason(
    catalogue, template, full_disk, retries_in_place, django_capture_on_commit_callbacks
):
    from certificates.tasks import generate_certificate

    enrolment = earned_enrolment(catalogue)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)

    certificate.refresh_from_db()
    assert len(full_disk) == generate_certificate.max_retries + 1 == 7
    assert certificate.status == Status.FAILED
    assert certificate.failure_reason == (
        "Storage unavailable after 6 retries: [Errno 28] No space left on device"
    )
    assert certificate.issued_at is None
    assert mail.outbox == []


def test_retry_after_the_storage_is_back_issues_it(
    catalogue,
    template,
    full_disk,
    retries_in_place,
    monkeypatch,
    django_capture_on_commit_callbacks,
    admin,
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )
    certificate.refresh_from_db()
    assert certificate.status == Status.FAILED

    monkeypatch.undo()  # the disk has room again (and errors propagate)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_retry(certificate=certificate, by=admin)

    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
    assert certificate.failure_reason == ""
    assert certificate.sha256


def test_a_broken_background_marks_it_failed_and_retry_after_fixing_issues_it(
    catalogue, template, django_capture_on_commit_callbacks, admin, settings
):
    with_uploaded_background(template, b"%PDF-1.7\n1 0 obj << /Broken")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )

    certificate.refresh_from_db()
    assert certificate.status == Status.FAILED
    assert certificate.failure_reason.startswith("Rendering failed: ")
    assert certificate.render_attempts == 1
    assert stored_files(settings) == []

    with_uploaded_background(template, background_pdf())
    with django_capture_on_commit_callbacks(execute=True):
        certificate_retry(certificate=certificate, by=admin)

    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
    assert certificate.failure_reason == ""
    assert certificate.render_attempts == 2
    assert "Uploaded design" in pdf_text(certificate)


def test_retry_picks_a_replacement_template(
    catalogue, template, django_capture_on_commit_callbacks, admin
):
    with_uploaded_background(template, b"not a pdf at all")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )
    template.is_active = False
    template.save()
    replacement = CertificateTemplateFactory(name="Replacement")

    with django_capture_on_commit_callbacks(execute=True):
        certificate_retry(certificate=certificate, by=admin)

    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
    assert certificate.template == replacement


# --- Bulk issue -----------------------------------------------------------------


def test_issuing_for_a_run_requests_all_eligible_and_reports_problems(
    catalogue, admin, django_capture_on_commit_callbacks
):
    CertificateTemplateFactory(kind=Kind.COMPLETION, audience=Audience.NON_MEMBER)
    CertificateTemplateFactory(kind=Kind.ATTENDANCE, audience=Audience.ANY)
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))

    def enrol(name, **kwargs):
        return EnrolmentFactory(
            run=run, trainee=TraineeProfileFactory(full_name=name), **kwargs
        )

    completed = enrol("Ana Anić", outcome="completion")
    attended = enrol("Boris Borić", outcome="attendance")
    enrol("Cvijeta Cvijić", outcome="none")
    enrol("Dragan Dragić", outcome="completion", status=Enrolment.Status.CANCELLED)
    enrol("Jovana Jovanović", outcome="completion", is_member=True)

    with django_capture_on_commit_callbacks() as renders:
        batch, problems = certificates_issue_for_run(run=run, by=admin)

    assert problems == [
        "Jovana Jovanović: No active completion certificate template for members; "
        "add one in Certificates > Templates."
    ]
    issued = {c.enrolment_id: c.kind for c in batch.certificates.all()}
    assert issued == {completed.pk: Kind.COMPLETION, attended.pk: Kind.ATTENDANCE}
    assert batch_progress(batch=batch) == {
        "total": 2,
        "done": 0,
        "failed": 0,
        "pending": 2,
        "finished": False,
    }

    certificate_mark_failed(
        certificate_id=batch.certificates.get(enrolment=attended).pk,
        reason="Storage unavailable after 6 retries",
    )
    for render in renders:
        render()

    assert batch_progress(batch=batch) == {
        "total": 2,
        "done": 1,
        "failed": 1,
        "pending": 0,
        "finished": True,
    }


def test_a_batch_counts_what_it_makes_not_what_was_issued_before(
    catalogue, admin, template, django_capture_on_commit_callbacks
):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    earlier = EnrolmentFactory(run=run, outcome="completion")
    EnrolmentFactory(run=run, outcome="completion")
    with django_capture_on_commit_callbacks(execute=True):
        issued = certificate_request(enrolment=earlier, kind=Kind.COMPLETION)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.ISSUED

    with django_capture_on_commit_callbacks(execute=True):
        batch, problems = certificates_issue_for_run(run=run, by=admin)

    assert problems == []
    assert batch_progress(batch=batch) == {
        "total": 1,
        "done": 1,
        "failed": 0,
        "pending": 0,
        "finished": True,
    }
    issued.refresh_from_db()
    assert issued.batch_id != batch.pk


def test_issuing_picked_trainees_says_why_one_gets_nothing(catalogue, admin, template):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    picked = EnrolmentFactory(run=run)
    not_yet = EnrolmentFactory(
        run=run, outcome="none", trainee=TraineeProfileFactory(full_name="Ivan Ivić")
    )
    EnrolmentFactory(run=run)  # eligible, but not picked

    batch, problems = certificates_issue_for_run(
        run=run, by=admin, enrolment_ids=[picked.pk, not_yet.pk]
    )

    assert problems == ["Ivan Ivić has not earned the attendance certificate."]
    assert [c.enrolment_id for c in batch.certificates.all()] == [picked.pk]


def test_issuing_again_counts_earlier_certificates_in_the_new_batch(
    catalogue, admin, template
):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    first = EnrolmentFactory(run=run)
    earlier = certificate_request(enrolment=first, kind=Kind.COMPLETION)
    EnrolmentFactory(run=run)

    batch, problems = certificates_issue_for_run(run=run, by=admin)

    assert problems == []
    assert batch.certificates.count() == 2
    assert batch.certificates.filter(pk=earlier.pk).exists()
    assert Certificate.objects.count() == 2


# --- Automatic issue --------------------------------------------------------------


def self_paced_course(catalogue, **kwargs):
    course = CoursePageFactory(
        parent=catalogue, format=CoursePage.Format.SELF_PACED, **kwargs
    )
    return course, ModulePageFactory(parent=course)


def test_completing_a_course_that_issues_automatically_issues_it(
    catalogue, template, django_capture_on_commit_callbacks
):
    course, module = self_paced_course(catalogue, auto_issue_certificates=True)
    trainee = TraineeProfileFactory(preferred_language="sr")
    enrolment = enrolment_create(trainee=trainee, course=course)

    with django_capture_on_commit_callbacks(execute=True):
        module_mark_done(enrolment=enrolment, module=module)

    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.kind == Kind.COMPLETION
    assert certificate.status == Status.ISSUED
    assert certificate.issued_by is None
    # The e-mail in the trainee's language and script, links included.
    message = mail.outbox[-1]
    assert message.subject.startswith("Ваш сертификат")
    assert "/sr/verify/" in message.body


def test_a_course_without_automatic_issue_waits_for_the_admin(
    catalogue, template, django_capture_on_commit_callbacks
):
    course, module = self_paced_course(catalogue)
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)

    with django_capture_on_commit_callbacks(execute=True):
        module_mark_done(enrolment=enrolment, module=module)

    enrolment.refresh_from_db()
    assert enrolment.outcome == "completion"
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_a_certificate_is_issued_in_the_trainees_language_and_script(
    catalogue, template, issue, time_machine
):
    """Cyrillic reader, English course with a Serbian Latin translation only,
    a name typed in Latin: everything on the certificate in Cyrillic."""
    from wagtail.models import Locale

    time_machine.move_to(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False)

    CertificateTemplateFactory(
        language=Language.SERBIAN_CYRILLIC,
        heading="Сертификат о завршеном курсу",
        statement="је успешно завршио/ла курс",
    )
    course = CoursePageFactory(
        parent=catalogue, title="Kubernetes in Production", duration_hours=24
    )
    serbian = course.copy_for_translation(
        Locale.objects.get(language_code="sr-latn"), copy_parents=True
    )
    serbian.title = "Kubernetes u produkciji"
    serbian.save_revision().publish()
    trainee = TraineeProfileFactory(
        full_name="Ljubica Njegoš-Đurić", preferred_language="sr"
    )
    enrolment = earned_enrolment(catalogue, course=course, trainee=trainee)

    certificate = issue(enrolment)

    assert certificate.language == "sr"
    assert certificate.full_name == "Ljubica Njegoš-Đurić"  # the record: as typed
    assert certificate.course_title == "Kubernetes у продукцији"
    text = pdf_text(certificate)
    assert "Љубица Његош-Ђурић" in text
    assert "Kubernetes у продукцији" in text
    assert "24 сата ·" in text
    assert "Издат 2. децембра 2026." in text  # the month in the genitive
    assert "Проверите овај сертификат:" in text
    # The QR code's address carries no language: it opens in the reader's.
    assert f"/verify/{certificate.verification_code}/" in text
    assert "/sr/verify/" not in text and "/en/verify/" not in text


def test_an_english_certificate_prints_the_name_as_typed(catalogue, template, issue):
    trainee = TraineeProfileFactory(full_name="Ђорђе Петровић", preferred_language="en")
    certificate = issue(earned_enrolment(catalogue, trainee=trainee))
    text = pdf_text(certificate)
    assert "Ђорђе Петровић" in text and "hours" in text and "Issued" in text
