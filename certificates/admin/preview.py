"""A sample certificate rendered with a template, for the template's
"Preview" action in Certificates > Templates.

With the built-in background the sample is rendered in the web process (the
academy's own file). An uploaded background is only ever parsed by a worker:
the preview of such a template is rendered by a Celery task under a time
limit, and only once a worker has checked the upload (status "valid").
"""

import base64

from celery.exceptions import TimeoutError as CeleryTimeout
from django.utils.translation import gettext as _

from certificates.models import CertificateTemplate
from certificates.services.rendering import template_sample_pdf
from certificates.tasks import generate_template_preview

BackgroundStatus = CertificateTemplate.BackgroundStatus
PREVIEW_WAIT_SECONDS = 30


class PreviewUnavailable(Exception):
    """The template's upload is not checked yet, or was refused."""


def sample_pdf(template: CertificateTemplate) -> bytes:
    if template.background and template.background_status in (
        BackgroundStatus.CHECKING,
        BackgroundStatus.INVALID,
    ):
        raise PreviewUnavailable(_unavailable_reason(template))
    if template.uses_uploaded_background:
        try:
            encoded = generate_template_preview.delay(template.pk).get(
                timeout=PREVIEW_WAIT_SECONDS
            )
        except CeleryTimeout:
            raise PreviewUnavailable(
                _("No worker rendered the preview in time; try again in a moment.")
            ) from None
        except Exception as error:  # noqa: BLE001 - the worker's error, shown
            # A background checked before the check rendered a sample (or one
            # the worker's time limit stopped) must not turn into a 500 here.
            raise PreviewUnavailable(
                _("The preview of “%(template)s” could not be rendered: %(error)s")
                % {"template": template, "error": error}
            ) from None
        return base64.b64decode(encoded)
    return template_sample_pdf(template=template)


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
