"""Enrolments react to their own announcements: a self-paced course that the
completion rules just finished is reported to its trainee, right after the
change commits (the rules compute and store; they send no e-mail)."""

from django.dispatch import receiver

from enrolments.services.closing import self_paced_finish_notify
from enrolments.signals import outcome_changed


@receiver(outcome_changed, dispatch_uid="enrolments_self_paced_finished")
def tell_self_paced_trainee(sender, enrolment_id, old, new, **kwargs):
    if new == "completion":
        self_paced_finish_notify(enrolment_id=enrolment_id)
