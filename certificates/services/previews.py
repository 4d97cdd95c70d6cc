"""A certificate template's preview: sample certificates (a Serbian Latin and
a Cyrillic name, a long course title) rendered by a worker with the template
as it is now, stored privately and shown on the template's Preview page in
the admin (certificates/admin/template_views.py), which polls until it is
ready.

A preview is requested when a template is saved, when its uploaded background
passes the check, and when its Preview page is opened; each request names the
template's version (`updated_at`), so an unchanged template is rendered once
however often it is asked for, and a changed one again. An uploaded
background is rendered only once its check passed: a refused or unchecked
file is never parsed for a preview.
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy_site.dispatch import task_on_commit
from certificates.models import CertificateTemplate, TemplatePreview
from certificates.services.dispatch import RENDER_TEMPLATE_PREVIEW
from certificates.services.errors import StorageUnavailable
from certificates.services.rendering import template_sample_pdf

logger = logging.getLogger(__name__)
Status = TemplatePreview.Status

# A preview still "rendering" this long after it was asked for lost its task
# (the broker was down): asking again queues it again. Rendering takes well
# under a second; the task's hard time limit is 30 s.
STALE_AFTER = dt.timedelta(minutes=2)
# Stored as the preview's error, in the language of the worker.
TOO_SLOW = _("Rendering the preview took too long; the background may be damaged.")


def template_preview_request(
    *, template: CertificateTemplate, again: bool = False
) -> TemplatePreview:
    """Make sure a preview of the template's current version is ready or on
    its way: queue its rendering after commit unless it is already rendered
    (or failed: `again` renders a failed one anew) or being rendered."""
    with transaction.atomic():
        preview, created = TemplatePreview.objects.select_for_update().get_or_create(
            template=template,
            defaults={"template_updated_at": template.updated_at},
        )
        current = preview.template_updated_at == template.updated_at
        stale = timezone.now() - preview.requested_at > STALE_AFTER
        if not created and current:
            if preview.status == Status.READY:
                return preview
            if preview.status == Status.FAILED and not again:
                return preview
            if preview.status == Status.RENDERING and not stale:
                return preview
        preview.template_updated_at = template.updated_at
        preview.status = Status.RENDERING
        preview.error = ""
        preview.requested_at = timezone.now()
        preview.save(
            update_fields=["template_updated_at", "status", "error", "requested_at"]
        )
        task_on_commit(RENDER_TEMPLATE_PREVIEW, template.pk)
    preview.template = template
    return preview


def template_preview_render(
    *, template_id: int, time_limit_errors: tuple[type[BaseException], ...] = ()
) -> str | None:
    """Render the template's samples and store them as its preview (in the
    worker). A no-op when the preview of this version is ready, and while an
    upload is unchecked (its check asks again when it passes). Raises
    StorageUnavailable for the task to retry; any other error is recorded
    with the preview, for the admin to read."""
    template = CertificateTemplate.objects.filter(pk=template_id).first()
    preview = TemplatePreview.objects.filter(template_id=template_id).first()
    if template is None or preview is None:
        return None
    version = template.updated_at
    if preview.status == Status.READY and preview.template_updated_at == version:
        return preview.status
    if not template.background_is_renderable:
        return None
    try:
        body = template_sample_pdf(template=template)
    except StorageUnavailable:
        raise
    except time_limit_errors:
        return _record_failure(preview, version, str(TOO_SLOW))
    except Exception as error:  # noqa: BLE001 - recorded for the admin
        logger.exception("The preview of template %s failed to render", template_id)
        return _record_failure(preview, version, str(error))
    old_name = preview.pdf.name
    try:
        preview.pdf.save("preview.pdf", ContentFile(body), save=False)
    except OSError as error:
        raise StorageUnavailable(str(error)) from error
    updated = TemplatePreview.objects.filter(
        pk=preview.pk, template_updated_at__lte=version
    ).update(
        status=Status.READY,
        pdf=preview.pdf.name,
        error="",
        template_updated_at=version,
    )
    # A newer version's render owns the row when the update found nothing.
    _delete_quietly(preview.pdf.storage, old_name if updated else preview.pdf.name)
    return Status.READY if updated else None


def _record_failure(preview: TemplatePreview, version, reason: str) -> str:
    TemplatePreview.objects.filter(
        pk=preview.pk, template_updated_at__lte=version
    ).update(status=Status.FAILED, error=reason[:300], template_updated_at=version)
    return Status.FAILED


def _delete_quietly(storage, name: str) -> None:
    if not name:
        return
    try:
        storage.delete(name)
    except OSError:
        # An orphaned sample file harms no one; the preview row points
        # at the new one.
        logger.warning("Old preview file %s could not be deleted", name)
