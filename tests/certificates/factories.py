"""Factories for certificate tests: templates, and enrolments that have earned
a certificate (made directly, so a test need not play a whole course through
the completion rules unless that is what it tests)."""

import io
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from certificates.models import CertificateTemplate, Kind
from enrolments.models import Enrolment
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory


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


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A confirmed enrolment with an outcome; pass `run` (its course follows)
    or `course` for a self-paced one."""

    class Meta:
        model = Enrolment

    trainee = factory.SubFactory(TraineeProfileFactory)
    run = None
    course = factory.LazyAttribute(lambda o: o.run.course)
    status = Enrolment.Status.CONFIRMED
    is_member = False
    price = Decimal("30000")
    outcome = "completion"


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
