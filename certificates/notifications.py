"""The e-mail that tells a trainee their certificate is ready, queued in the
academy's outbox (academy_site/outbox/) in the transaction that issues the
certificate: issued and announced together, or neither."""

from django.urls import reverse
from django.utils.translation import gettext as _

from academy_site.links import absolute_url
from certificates.models import Certificate
from enrolments.notifications import trainee_email_queue


def certificate_email_queue(*, certificate: Certificate) -> bool:
    """Queue the e-mail, once per certificate; True when queued now."""

    def compose():
        context = {
            "certificate": certificate,
            "trainee": certificate.enrolment.trainee,
            "download_url": absolute_url(
                reverse("certificates:download", args=[certificate.pk])
            ),
            "verify_url": absolute_url(certificate.get_absolute_url()),
        }
        return (
            _("Your certificate: %(course)s") % {"course": certificate.course_title},
            context,
        )

    return trainee_email_queue(
        trainee=certificate.enrolment.trainee,
        kind="certificate.issued",
        template="certificates/email/issued",
        compose=compose,
        dedupe_key=f"certificate:{certificate.pk}",
    )
