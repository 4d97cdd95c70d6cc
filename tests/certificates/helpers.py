"""Issued certificates for tests, made the way the academy makes them: a
template, an enrolment that earned a completion certificate, and a request
whose render task runs (eagerly, CELERY_TASK_ALWAYS_EAGER) when the
transaction commits."""

from certificates.models import Certificate, CertificateTemplate, Kind
from certificates.services.issuing import certificate_request
from enrolments.models import Enrolment, TraineeProfile
from enrolments.services import enrolment_create
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory


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
