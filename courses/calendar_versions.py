"""Versions of meetings for the calendars that subscribed to them
(enrolments/ics.py, RFC 5545 section 3.8.7.4): each change of a meeting's
day, time, length, room, link or title raises its `sequence`, and a meeting
removed from its run leaves a CancelledMeeting behind, so a calendar app
replaces the event or marks it cancelled instead of keeping a stale copy.

Receivers, because meetings are edited inline on their run (Wagtail's
snippet form saves and deletes them); they only keep this bookkeeping.
"""

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from courses.models import CancelledMeeting, Meeting

CALENDAR_FIELDS = (
    "date",
    "start_time",
    "duration_minutes",
    "room",
    "online_url",
    "title",
)


@receiver(pre_save, sender=Meeting, dispatch_uid="courses_meeting_sequence")
def raise_sequence_on_change(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = Meeting.objects.filter(pk=instance.pk).values(*CALENDAR_FIELDS).first()
    if before is None:
        return
    if any(before[field] != getattr(instance, field) for field in CALENDAR_FIELDS):
        instance.sequence += 1


@receiver(pre_delete, sender=Meeting, dispatch_uid="courses_meeting_cancelled")
def keep_cancelled_meeting(sender, instance, **kwargs):
    CancelledMeeting.objects.update_or_create(
        meeting_id=instance.pk,
        defaults={
            "run_id": instance.run_id,
            "title": instance.title,
            "starts_at": instance.starts_at,
            "ends_at": instance.ends_at,
            "sequence": instance.sequence + 1,
        },
    )
