"""Certificates react to enrolments: a course set to issue automatically gets
the certificate requested as soon as the completion rules award it; every
run's closing requests the certificates its final outcomes grant (inside the
closing transaction, so both stand or fall together); a course that asks for
its evaluation first issues when the trainee answers it; and a certificate whose
basis changes after issue (the outcome falls, the name is corrected, the run
is reopened) is flagged for review (certificates/services/review.py)."""

from django.dispatch import receiver

from certificates.services.issuing import (
    certificate_after_evaluation,
    certificate_auto_issue,
    certificates_request_at_close,
)
from certificates.services.review import (
    certificates_flag_run_reopened,
    certificates_review_name,
    certificates_review_outcome,
)
from enrolments.signals import (
    evaluation_answered,
    outcome_changed,
    run_closed,
    run_reopened,
    trainee_renamed,
)


@receiver(outcome_changed, dispatch_uid="certificates_auto_issue")
def issue_when_earned(sender, enrolment_id, old, new, **kwargs):
    certificate_auto_issue(enrolment_id=enrolment_id, outcome=new)


@receiver(evaluation_answered, dispatch_uid="certificates_after_evaluation")
def issue_after_evaluation(sender, enrolment_id, **kwargs):
    certificate_after_evaluation(enrolment_id=enrolment_id)


@receiver(run_closed, dispatch_uid="certificates_issue_at_close")
def issue_at_close(sender, run_id, by, **kwargs):
    certificates_request_at_close(run_id=run_id, by=by)


@receiver(outcome_changed, dispatch_uid="certificates_review_outcome")
def review_when_outcome_changes(sender, enrolment_id, old, new, **kwargs):
    certificates_review_outcome(enrolment_id=enrolment_id, old=old, new=new)


@receiver(trainee_renamed, dispatch_uid="certificates_review_name")
def review_when_renamed(sender, trainee_id, old, new, **kwargs):
    certificates_review_name(trainee_id=trainee_id, old=old, new=new)


@receiver(run_reopened, dispatch_uid="certificates_review_run_reopened")
def review_when_run_reopened(sender, run_id, by, reason, **kwargs):
    certificates_flag_run_reopened(run_id=run_id, reason=reason)
