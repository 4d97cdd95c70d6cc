"""Enrolments react to their own announcements and to the courses' changes:

- a self-paced course that the completion rules just finished is reported to
  its trainee, right after the change commits (the rules compute and store;
  they send no e-mail);
- a meeting moved to another day or time (courses.Meeting, edited on its run)
  is announced to the run's trainees (enrolments/services/reminders.py).
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from courses.models import Meeting
from enrolments.services.closing import self_paced_finish_notify
from enrolments.services.reminders import meeting_moved_notify
from enrolments.signals import outcome_changed


@receiver(outcome_changed, dispatch_uid="enrolments_self_paced_finished")
def tell_self_paced_trainee(sender, enrolment_id, old, new, **kwargs):
    if new == "completion":
        self_paced_finish_notify(enrolment_id=enrolment_id)


@receiver(pre_save, sender=Meeting, dispatch_uid="enrolments_meeting_before")
def remember_meeting_time(sender, instance, raw=False, **kwargs):
    """The time the meeting had before this save, if it had one."""
    if raw or instance.pk is None:
        instance._start_before_save = None
        return
    before = Meeting.objects.filter(pk=instance.pk).first()
    instance._start_before_save = before.starts_at if before else None


@receiver(post_save, sender=Meeting, dispatch_uid="enrolments_meeting_moved")
def announce_moved_meeting(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_start_before_save", None)
    if raw or created or before is None or before == instance.starts_at:
        return
    meeting_moved_notify(meeting=instance, was=before)
