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


def raw_pdf(contents: bytes, resources: bytes = b"<< >>", extra: bytes = b"") -> bytes:
    """A one-page A4 PDF written by hand, so a test can make it broken in a
    way no PDF library would write: `contents` is object 4, the page's
    /Contents, given whole ("<< /Length ... >> stream ... endstream");
    `extra` is object 5, for resources that refer to it."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
        b"/Contents 4 0 R /Resources " + resources + b" >>",
        contents,
    ] + ([extra] if extra else [])
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return (
        b"<< /Length %d " % len(data)
        + dictionary
        + b" >>\nstream\n"
        + data
        + b"\nendstream"
    )


def flate_bomb_pdf(megabytes: int = 80) -> bytes:
    """A 80 kB upload whose drawing inflates to `megabytes` of blanks."""
    import zlib

    packed = zlib.compress(b" " * (megabytes * 2**20), 9)
    return raw_pdf(stream(packed, b"/Filter /FlateDecode"))


def self_length_pdf() -> bytes:
    """A content stream whose /Length is a reference to the stream itself."""
    return raw_pdf(b"<< /Length 4 0 R >>\nstream\n0 0 m 9 9 l S\nendstream")
