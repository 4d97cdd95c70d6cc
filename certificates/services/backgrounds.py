"""Checking a certificate template's uploaded background.

An admin uploads the background in Certificates > Templates; the web request
only stores the file and marks the template "checking" (`template_save` in
services/templates.py). The PDF is parsed by `background_check` in a Celery
worker (certificates.tasks.check_template_background) under a time
limit, because a crafted PDF can make a parser spin or eat memory, and that
must never happen in a web process. A template being checked is not active;
when its file passes, it becomes active if the admin asked for that (its
`activate_when_valid`) and its preview is rendered; when it fails, it stays
inactive with the reason. Both are written in the template's history.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from certificates import audit, pdf
from certificates.models import CertificateTemplate
from certificates.services.previews import template_preview_request

BackgroundStatus = CertificateTemplate.BackgroundStatus

# Stored as the template's background_error, in the language of the worker
# that ran the check.
TOO_SLOW = _(
    "Checking the background took too long: the PDF may be damaged. "
    "Export it again from the design tool and upload it once more."
)
MISSING = _("The uploaded file could not be found; upload it again.")


def background_check(
    *, template_id: int, time_limit_errors: tuple[type[BaseException], ...] = ()
) -> str | None:
    """Read the template's background from storage and validate it (in the
    worker). Records "valid", or "invalid" with the reason, unless the file was
    replaced meanwhile: the check of the newer file decides then.
    `time_limit_errors` are the exceptions by which the worker says time ran
    out; they count as an invalid file. OSError other than a missing file
    propagates, for the task to retry."""
    template = CertificateTemplate.objects.filter(pk=template_id).first()
    if template is None or template.background_status != BackgroundStatus.CHECKING:
        return template and template.background_status
    name = template.background.name
    if not name:
        return _record(template_id, name, BackgroundStatus.BUILT_IN, "")
    try:
        with template.background.open("rb") as handle:
            # One byte over the limit is enough to refuse an oversized file.
            data = handle.read(pdf.MAX_BACKGROUND_BYTES + 1)
    except FileNotFoundError:
        return _record(template_id, name, BackgroundStatus.INVALID, MISSING)
    try:
        pdf.validate_background(data)
    except pdf.BackgroundInvalid as error:
        return _record(template_id, name, BackgroundStatus.INVALID, str(error))
    except time_limit_errors:
        return _record(template_id, name, BackgroundStatus.INVALID, TOO_SLOW)
    return _record(template_id, name, BackgroundStatus.VALID, "")


def background_check_failed(*, template_id: int, reason: str) -> None:
    """Give up on a check that could not read the file (retries exhausted)."""
    with transaction.atomic():
        template = (
            CertificateTemplate.objects.select_for_update()
            .filter(pk=template_id, background_status=BackgroundStatus.CHECKING)
            .first()
        )
        if template is not None:
            _refuse(template, str(reason))


def _record(template_id: int, name: str, status: str, error) -> str | None:
    """Write the check's verdict on the template, unless its file was replaced
    or its check decided meanwhile (then None)."""
    with transaction.atomic():
        template = (
            CertificateTemplate.objects.select_for_update()
            .filter(
                pk=template_id,
                background=name,
                background_status=BackgroundStatus.CHECKING,
            )
            .first()
        )
        if template is None:
            return None
        if status == BackgroundStatus.INVALID:
            _refuse(template, str(error))
            return status
        activate = template.activate_when_valid
        template.background_status, template.background_error = status, ""
        template.is_active = template.is_active or activate
        template.activate_when_valid = False
        template.save(
            update_fields=[
                "background_status",
                "background_error",
                "is_active",
                "activate_when_valid",
                "updated_at",
            ]
        )
        audit.log_template_background_checked(template=template, activated=activate)
        if status == BackgroundStatus.VALID:
            template_preview_request(template=template)
        return status


def _refuse(template: CertificateTemplate, reason: str) -> None:
    """A refused file is never used: the template stays inactive and the
    admin's wish to activate it ends with the reason shown."""
    template.background_status = BackgroundStatus.INVALID
    template.background_error = reason[:300]
    template.is_active = template.activate_when_valid = False
    template.save(
        update_fields=[
            "background_status",
            "background_error",
            "is_active",
            "activate_when_valid",
            "updated_at",
        ]
    )
    audit.log_template_background_refused(template=template, reason=reason)
