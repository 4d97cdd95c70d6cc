"""Certificates react to enrolments: a course set to issue automatically gets
the certificate requested as soon as the completion rules award it, and every
run's closing requests the certificates its final outcomes grant (inside the
closing transaction, so both stand or fall together)."""

from django.dispatch import receiver

from certificates.services.issuing import (
    certificate_auto_issue,
    certificates_request_at_close,
)
from enrolments.signals import outcome_changed, run_closed


@receiver(outcome_changed, dispatch_uid="certificates_auto_issue")
def issue_when_earned(sender, enrolment_id, old, new, **kwargs):
    certificate_auto_issue(enrolment_id=enrolment_id, outcome=new)


@receiver(run_closed, dispatch_uid="certificates_issue_at_close")
def issue_at_close(sender, run_id, by, **kwargs):
    certificates_request_at_close(run_id=run_id, by=by)
