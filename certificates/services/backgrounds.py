"""Checking a certificate template's uploaded background.

An admin uploads the background in Certificates > Templates; the web request
only stores the file and marks the template "checking"
(`background_check_request`). The PDF is parsed by `background_check` in a
Celery worker (certificates.tasks.check_template_background) under a time
limit, because a crafted PDF can make a parser spin or eat memory, and that
must never happen in a web process. Until the check says "valid", certificates
of the template use the built-in design.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy_site.dispatch import task_on_commit
from certificates import pdf
from certificates.models import CertificateTemplate
from certificates.services.dispatch import CHECK_TEMPLATE_BACKGROUND

BackgroundStatus = CertificateTemplate.BackgroundStatus

# Stored as the template's background_error, in the language of the worker
# that ran the check.
TOO_SLOW = _(
    "Checking the background took too long: the PDF may be damaged. "
    "Export it again from the design tool and upload it once more."
)
MISSING = _("The uploaded file could not be found; upload it again.")


def background_check_request(*, template: CertificateTemplate) -> str:
    """Called when a template is saved with a new (or cleared) background: an
    uploaded file waits for the worker's check, no file means the built-in
    design. Returns the new status."""
    status = (
        BackgroundStatus.CHECKING if template.background else BackgroundStatus.BUILT_IN
    )
    with transaction.atomic():
        CertificateTemplate.objects.filter(pk=template.pk).update(
            background_status=status, background_error="", updated_at=timezone.now()
        )
        if status == BackgroundStatus.CHECKING:
            _dispatch_on_commit(template_id=template.pk)
    template.background_status, template.background_error = status, ""
    return status


def _dispatch_on_commit(*, template_id: int) -> None:
    task_on_commit(CHECK_TEMPLATE_BACKGROUND, template_id)


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
    CertificateTemplate.objects.filter(
        pk=template_id, background_status=BackgroundStatus.CHECKING
    ).update(
        background_status=BackgroundStatus.INVALID,
        background_error=reason[:300],
        updated_at=timezone.now(),
    )


def _record(template_id: int, name: str, status: str, error: str) -> str | None:
    updated = CertificateTemplate.objects.filter(
        pk=template_id, background=name, background_status=BackgroundStatus.CHECKING
    ).update(
        background_status=status,
        background_error=error[:300],
        updated_at=timezone.now(),
    )
    return status if updated else None
