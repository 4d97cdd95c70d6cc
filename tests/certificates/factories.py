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
