"""The e-mail that tells a trainee their certificate is ready."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academy_site.languages import in_language
from certificates.models import Certificate


def certificate_email_send(*, certificate_id: int) -> bool:
    """Send once (the row lock and `notified_at` make a repeated task a no-op)."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__trainee__user")
            .filter(pk=certificate_id)
            .first()
        )
        if (
            certificate is None
            or certificate.status != Certificate.Status.ISSUED
            or certificate.notified_at is not None
            or certificate.enrolment.trainee.erased_at is not None
        ):
            return False
        with in_language(certificate.enrolment.trainee.preferred_language):
            message = _message(certificate)
        message.send()
        certificate.notified_at = timezone.now()
        certificate.save(update_fields=["notified_at"])
        return True


def _message(certificate: Certificate) -> EmailMultiAlternatives:
    """The e-mail in the trainee's language, links included."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "certificate": certificate,
        "trainee": certificate.enrolment.trainee,
        "download_url": base + reverse("certificates:download", args=[certificate.pk]),
        "verify_url": base + certificate.get_absolute_url(),
    }
    message = EmailMultiAlternatives(
        subject=_("Your certificate: %(course)s")
        % {"course": certificate.course_title},
        body=render_to_string("certificates/email/issued.txt", context),
        to=[certificate.enrolment.trainee.user.email],
    )
    message.attach_alternative(
        render_to_string("certificates/email/issued.html", context), "text/html"
    )
    return message
