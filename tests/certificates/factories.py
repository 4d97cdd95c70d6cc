"""Factories for certificate tests: templates, enrolments that have earned a
certificate (made directly, so a test need not play a whole course through
the completion rules unless that is what it tests), and certificates issued
through the services."""

import io

import factory
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from certificates.models import Certificate, CertificateTemplate, Kind
from certificates.services.issuing import certificate_request
from enrolments.models import Enrolment, TraineeProfile
from enrolments.services import enrolment_create
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    TraineeProfileFactory,
)


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    kind = Kind.COMPLETION
    audience = CertificateTemplate.Audience.ANY
    language = CertificateTemplate.Language.ENGLISH
    heading = "Certificate of completion"
    statement = "has successfully completed the course"
    signatory_1_name = "Milica Đorđević"
    signatory_1_title = "Director of the Academy"


def earned_enrolment(catalogue, *, run=None, course=None, **kwargs) -> Enrolment:
    """An enrolment in a fresh in-person course and run (unless given) that has
    earned a completion certificate; kwargs go to the enrolment."""
    if run is None:
        course = course or CoursePageFactory(
            parent=catalogue, title="Kubernetes in Production"
        )
        run = CourseRunFactory(course=course)
    return EnrolmentFactory(run=run, course=run.course, **kwargs)


LANDSCAPE_A4 = landscape(A4)


def background_pdf(pagesize=LANDSCAPE_A4) -> bytes:
    """A one-page PDF an admin might upload as a template's background."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize)
    canvas.rect(20, 20, pagesize[0] - 40, pagesize[1] - 40)
    canvas.drawString(40, 40, "Uploaded design")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def with_uploaded_background(template: CertificateTemplate, body: bytes) -> None:
    """Attach `body` as the template's background, marked valid as the
    worker's check would mark it (the check itself is tested with pdf.py)."""
    template.background.save("design.pdf", ContentFile(body), save=False)
    template.background_status = CertificateTemplate.BackgroundStatus.VALID
    template.save()


# Issued certificates, made the way the academy makes them: a template, an
# enrolment that earned a completion certificate, and a request whose render
# task runs (eagerly, CELERY_TASK_ALWAYS_EAGER) when the transaction commits.


def certificate_template(kind: str = Kind.COMPLETION) -> CertificateTemplate:
    template, _ = CertificateTemplate.objects.get_or_create(
        kind=kind,
        audience=CertificateTemplate.Audience.ANY,
        defaults={"name": f"{Kind(kind).label} (any)", "language": "sr-latn"},
    )
    return template


def completed_enrolment(
    catalogue, *, trainee: TraineeProfile | None = None, **course_fields
) -> Enrolment:
    """An enrolment in a run of a new course whose completion rules awarded a
    completion certificate."""
    course_fields.setdefault("title", "Kubernetes u produkciji")
    course = CoursePageFactory(parent=catalogue, **course_fields)
    run = CourseRunFactory(course=course)
    enrolment = enrolment_create(trainee=trainee or TraineeProfileFactory(), run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(outcome="completion")
    enrolment.refresh_from_db()
    return enrolment


def issue_certificate(capture_on_commit, *, enrolment: Enrolment) -> Certificate:
    """Request the completion certificate and let its render (and e-mail) tasks
    run on commit; `capture_on_commit` is pytest-django's
    django_capture_on_commit_callbacks fixture."""
    certificate_template(Kind.COMPLETION)
    with capture_on_commit(execute=True):
        certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    certificate.refresh_from_db()
    return certificate


def issued_certificate(
    capture_on_commit, catalogue, *, trainee: TraineeProfile | None = None
) -> Certificate:
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    return issue_certificate(capture_on_commit, enrolment=enrolment)


def pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        return handle.read()
