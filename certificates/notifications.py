"""The e-mail that tells a trainee their certificate is ready, queued in the
academy's outbox (academy_site/outbox/) in the transaction that issues the
certificate: issued and announced together, or neither."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from academy_site.languages import in_language
from academy_site.outbox.services import email_queue, email_render
from certificates.models import Certificate


def certificate_email_queue(*, certificate: Certificate) -> bool:
    """Queue the e-mail in the trainee's language, once per certificate;
    nothing for an erased trainee. True when queued now."""
    trainee = certificate.enrolment.trainee
    if trainee.erased_at is not None:
        return False
    with in_language(trainee.preferred_language):
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        context = {
            "certificate": certificate,
            "trainee": trainee,
            "download_url": base
            + reverse("certificates:download", args=[certificate.pk]),
            "verify_url": base + certificate.get_absolute_url(),
        }
        subject = _("Your certificate: %(course)s") % {
            "course": certificate.course_title
        }
        text, html = email_render(template="certificates/email/issued", context=context)
    email = email_queue(
        kind="certificate.issued",
        to=trainee.user.email,
        user=trainee.user,
        language=trainee.preferred_language,
        subject=subject,
        body_text=text,
        body_html=html,
        dedupe_key=f"certificate:{certificate.pk}",
    )
    return email is not None
