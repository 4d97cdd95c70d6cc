"""Certificates react to enrolments: a course set to issue automatically gets
the certificate requested as soon as the completion rules award it."""

import logging

from django.dispatch import receiver

from certificates.services import (
    KIND_FOR_OUTCOME,
    CertificateError,
    certificate_request,
)
from enrolments.models import Enrolment
from enrolments.signals import outcome_changed

logger = logging.getLogger(__name__)


@receiver(outcome_changed, dispatch_uid="certificates_auto_issue")
def issue_when_earned(sender, enrolment_id, old, new, **kwargs):
    kind = KIND_FOR_OUTCOME.get(new)
    if kind is None:
        return
    enrolment = (
        Enrolment.objects.select_related("course", "trainee")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not enrolment.course.auto_issue_certificates:
        return
    try:
        certificate_request(enrolment=enrolment, kind=kind)
    except CertificateError as error:
        # No template yet, say: the admin issues by hand later.
        logger.warning(
            "Certificate for enrolment %s not requested: %s", enrolment_id, error
        )
