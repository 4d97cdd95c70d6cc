"""What a template's Preview page (certificates/admin/template_views.py) says
about its sample certificates, for the page and for its polling: the state,
a sentence for the admin, and the sample's URL once it is rendered.

States: "checking" (the uploaded background waits for the worker's check),
"refused" (the check refused it: no preview, the reason), "rendering",
"ready" and "failed" (the renderer's reason). Only "checking" and "rendering"
change without the admin doing anything, so only they are polled.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.admin import url_names
from certificates.models import CertificateTemplate, TemplatePreview

BackgroundStatus = CertificateTemplate.BackgroundStatus
Status = TemplatePreview.Status
WAITING_STATES = ("checking", "rendering")


def preview_of(template: CertificateTemplate) -> TemplatePreview | None:
    return TemplatePreview.objects.filter(template=template).first()


def preview_state(
    template: CertificateTemplate, preview: TemplatePreview | None
) -> dict:
    """The state of the template's preview, as the page and its JSON show it."""
    if template.background and template.background_status == BackgroundStatus.CHECKING:
        return _state(
            "checking",
            _(
                "The background is being checked; the preview is rendered "
                "once the check passes."
            ),
        )
    if template.background and template.background_status == BackgroundStatus.INVALID:
        return _state(
            "refused",
            _(
                "The background was refused: %(error)s No preview is rendered "
                "with a refused file; upload another one, or clear it to use "
                "the built-in design."
            )
            % {"error": template.background_error or _("it is not a usable PDF.")},
        )
    current = preview is not None and preview.template_updated_at == (
        template.updated_at
    )
    if not current or preview.status == Status.RENDERING:
        return _state("rendering", _("Rendering preview…"))
    if preview.status == Status.FAILED:
        return _state(
            "failed",
            _("The preview could not be rendered: %(error)s")
            % {"error": preview.error},
        )
    return _state(
        "ready",
        _("Sample certificates rendered with this template as it is now."),
        pdf_url=_pdf_url(template, preview),
    )


def _state(state: str, message: str, pdf_url: str = "") -> dict:
    return {
        "state": state,
        "message": message,
        "pdf_url": pdf_url,
        "waiting": state in WAITING_STATES,
    }


def _pdf_url(template: CertificateTemplate, preview: TemplatePreview) -> str:
    # The version in the query makes a browser fetch a re-rendered sample.
    version = int(preview.template_updated_at.timestamp())
    url = reverse(url_names.template_name("preview_pdf"), args=[template.pk])
    return f"{url}?v={version}"
