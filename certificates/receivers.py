"""Certificates react to enrolments: a course set to issue automatically gets
the certificate requested as soon as the completion rules award it."""

from django.dispatch import receiver

from certificates.services.issuing import certificate_auto_issue
from enrolments.signals import outcome_changed


@receiver(outcome_changed, dispatch_uid="certificates_auto_issue")
def issue_when_earned(sender, enrolment_id, old, new, **kwargs):
    certificate_auto_issue(enrolment_id=enrolment_id, outcome=new)
