"""A sample certificate rendered with a template, for the template's
"Preview" action in Certificates > Templates.

With the built-in background the sample is rendered in the web process (the
academy's own file). An uploaded background is only ever parsed by a worker:
the preview of such a template is rendered by a Celery task under a time
limit, and only once a worker has checked the upload (status "valid").
"""

import base64
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import pdf, services
from certificates.models import Certificate, CertificateTemplate

SAMPLE_NAMES = {"sr": "Ђорђе Петровић"}
SAMPLE_NAME = "Đorđe Petrović"
SAMPLE_COURSE = "Secure Web Development (sample course)"
BackgroundStatus = CertificateTemplate.BackgroundStatus


class PreviewUnavailable(Exception):
    """The template's upload is not checked yet, or was refused."""


def sample_certificate(template: CertificateTemplate) -> Certificate:
    """An unsaved certificate with made-up snapshots, never stored."""
    today = timezone.localdate()
    return Certificate(
        template=template,
        kind=template.kind,
        serial=f"CA-{today.year}-000000",
        verification_code="sample-certificate",
        full_name=SAMPLE_NAMES.get(template.language, SAMPLE_NAME),
        course_title=SAMPLE_COURSE,
        hours=Decimal("24"),
        starts_on=today - dt.timedelta(days=14),
        ends_on=today - dt.timedelta(days=12),
        is_member=template.audience == CertificateTemplate.Audience.MEMBER,
        language=template.language,
        issued_at=timezone.now(),
    )


def sample_pdf(template: CertificateTemplate) -> bytes:
    if template.background and template.background_status in (
        BackgroundStatus.CHECKING,
        BackgroundStatus.INVALID,
    ):
        raise PreviewUnavailable(_unavailable_reason(template))
    if template.uses_uploaded_background:
        from celery.exceptions import TimeoutError as CeleryTimeout

        from certificates.tasks import render_template_preview

        try:
            encoded = render_template_preview.delay(template.pk).get(
                timeout=PREVIEW_WAIT_SECONDS
            )
        except CeleryTimeout:
            raise PreviewUnavailable(
                _("No worker rendered the preview in time; try again in a moment.")
            ) from None
        return base64.b64decode(encoded)
    return render_sample(template)


PREVIEW_WAIT_SECONDS = 30


def render_sample(template: CertificateTemplate) -> bytes:
    certificate = sample_certificate(template)
    return pdf.render_certificate(
        services.certificate_data(certificate), services.background_for(template)
    )


def _unavailable_reason(template: CertificateTemplate) -> str:
    if template.background_status == BackgroundStatus.CHECKING:
        return _(
            "The background of “%(template)s” is still being checked; "
            "preview it once the listing says it is ready."
        ) % {"template": template}
    return _(
        "The background of “%(template)s” was refused: %(error)s "
        "Upload another one, or clear it to use the built-in design."
    ) % {
        "template": template,
        "error": template.background_error or _("it is not a usable PDF."),
    }
