"""Certificates react to enrolments: a course set to issue automatically gets
the certificate requested as soon as the completion rules award it, and a
certificate whose basis changes after issue (the outcome falls, the name is
corrected) is flagged for review (certificates/services/review.py)."""

from django.dispatch import receiver

from certificates.services.issuing import certificate_auto_issue
from certificates.services.review import (
    certificates_review_name,
    certificates_review_outcome,
)
from enrolments.signals import outcome_changed, trainee_renamed


@receiver(outcome_changed, dispatch_uid="certificates_auto_issue")
def issue_when_earned(sender, enrolment_id, old, new, **kwargs):
    certificate_auto_issue(enrolment_id=enrolment_id, outcome=new)


@receiver(outcome_changed, dispatch_uid="certificates_review_outcome")
def review_when_outcome_changes(sender, enrolment_id, old, new, **kwargs):
    certificates_review_outcome(enrolment_id=enrolment_id, old=old, new=new)


@receiver(trainee_renamed, dispatch_uid="certificates_review_name")
def review_when_renamed(sender, trainee_id, old, new, **kwargs):
    certificates_review_name(trainee_id=trainee_id, old=old, new=new)
