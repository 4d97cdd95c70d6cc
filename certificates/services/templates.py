"""Saving a certificate template from its editor (Certificates > Templates).

"Active" means in use: certificates are printed on it. A template with an
uploaded background that a worker has not checked yet (or refused) is never
active; the admin's wish to make it active is kept in `activate_when_valid`,
and the worker's check (services/backgrounds.py) makes it active when the file
passes, or leaves it inactive with the reason when it fails.

Replacing the background of an active template makes it inactive until the
new file passes. Keeping the old design in service meanwhile would need a
second file per template and would print certificates in a design the admin
has just replaced; an admin who uploads a new design expects the next
certificates in it, or none in a design that may be broken. Meanwhile
`issuing.template_for` picks the other active template for the kind, audience
and language, or, when there is none, this one with the built-in design (its
wording, never the unchecked file), so no trainee waits for a certificate
because a check is running. The listing and the editor say so.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from academy_site.dispatch import task_on_commit
from certificates.models import CertificateTemplate
from certificates.services.dispatch import CHECK_TEMPLATE_BACKGROUND
from certificates.services.errors import CertificateError
from certificates.services.previews import template_preview_request

BackgroundStatus = CertificateTemplate.BackgroundStatus
REFUSED_CANNOT_BE_ACTIVE = _(
    "This template's background was refused, so it cannot be active: upload "
    "another file, or clear the background to use the built-in design."
)


def template_save(
    *, template: CertificateTemplate, wants_active: bool, background_changed: bool
) -> CertificateTemplate:
    """Save the template as edited. A new (or cleared) background is marked
    "checking" (or back to built-in) and its check is queued after commit; the
    template is active now only when its background is usable, else it becomes
    active when the check passes (if `wants_active`). A preview of the saved
    template is queued too. Raises CertificateError for a template asked to be
    active whose background was refused, without a new file."""
    with transaction.atomic():
        if template.pk and not background_changed:
            # The worker's verdict may have landed since the form read the
            # row: keep it rather than writing the form's older status back.
            locked = CertificateTemplate.objects.select_for_update().get(pk=template.pk)
            template.background_status = locked.background_status
            template.background_error = locked.background_error
        if background_changed:
            template.background_status = (
                BackgroundStatus.CHECKING
                if template.background
                else BackgroundStatus.BUILT_IN
            )
            template.background_error = ""
        if wants_active and template.background_status == BackgroundStatus.INVALID:
            raise CertificateError(str(REFUSED_CANNOT_BE_ACTIVE))
        checking = template.background_status == BackgroundStatus.CHECKING
        template.is_active = wants_active and not checking
        template.activate_when_valid = wants_active and checking
        template.save()
        if checking:
            # Also when saved again while checking: the check is a no-op once
            # decided, and re-queues one whose task the broker lost.
            task_on_commit(CHECK_TEMPLATE_BACKGROUND, template.pk)
        elif template.background_status != BackgroundStatus.INVALID:
            template_preview_request(template=template)
    return template
