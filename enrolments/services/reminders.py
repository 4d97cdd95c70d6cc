"""Meeting reminders: the day before each meeting, an e-mail to every
trainee with a confirmed place in its run who wants them
(TraineeProfile.meeting_reminders), and two hours before to those who also
asked for that (meeting_reminders_soon); in their language and script, with
the time, the room or the online link, the check-in and a link to say they
cannot come (enrolments/views/apology.py).

Beat runs meeting_reminders_queue every quarter of an hour; it queues the
reminders of the meetings starting within the next 24 hours through the
academy's one outbox, whose dedupe key (meeting, enrolment, which reminder)
makes each go once, however often beat runs or a worker restarts. A meeting
less than two hours away gets only the two-hour reminder from those who
want it, never both at once. Nobody who said they cannot come, has
cancelled or was erased is reminded.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

from academy_site.links import absolute_url
from courses.locales import title_in
from courses.models import Meeting
from enrolments.models import AttendanceRecord, Enrolment
from enrolments.notifications import trainee_email_queue

AHEAD = dt.timedelta(hours=24)
SOON = dt.timedelta(hours=2)


def meeting_reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the reminders due now; returns how many were queued now. Four
    queries, whatever the number of meetings and trainees."""
    now = now or timezone.now()
    until = now + AHEAD
    meetings = [
        meeting
        for meeting in Meeting.objects.filter(
            date__range=(timezone.localdate(now), timezone.localdate(until)),
            run__course__live=True,
        ).select_related("run")
        if now < meeting.starts_at <= until
    ]
    if not meetings:
        return 0
    by_run = defaultdict(list)
    for enrolment in Enrolment.objects.filter(
        Q(trainee__meeting_reminders=True) | Q(trainee__meeting_reminders_soon=True),
        run_id__in={meeting.run_id for meeting in meetings},
        status=Enrolment.Status.CONFIRMED,
        trainee__erased_at__isnull=True,
        trainee__user__is_active=True,
    ).select_related("trainee__user", "course"):
        by_run[enrolment.run_id].append(enrolment)
    apologised = set(
        AttendanceRecord.objects.filter(
            meeting__in=meetings, apologised_at__isnull=False
        ).values_list("meeting_id", "enrolment_id")
    )
    queued = 0
    for meeting in meetings:
        soon = meeting.starts_at <= now + SOON
        for enrolment in by_run[meeting.run_id]:
            if (meeting.pk, enrolment.pk) in apologised:
                continue
            trainee = enrolment.trainee
            if soon and trainee.meeting_reminders_soon:
                queued += _queue(meeting, enrolment, soon=True)
            elif trainee.meeting_reminders:
                queued += _queue(meeting, enrolment, soon=False)
    return queued


def _queue(meeting: Meeting, enrolment: Enrolment, *, soon: bool) -> bool:
    def compose():
        course_title = title_in(enrolment.course, translation.get_language())
        run = meeting.run
        context = {
            "trainee": enrolment.trainee,
            "course_title": course_title,
            "meeting": meeting,
            "starts_at": timezone.localtime(meeting.starts_at),
            "place": meeting.room or run.location,
            "online_url": meeting.online_url or run.online_url,
            "apology_url": absolute_url(reverse("learning:apology", args=[meeting.pk])),
            "profile_url": absolute_url(reverse("accounts:profile")),
            "soon": soon,
        }
        values = {
            "course": course_title,
            "date": date_format(context["starts_at"], "DATE_FORMAT"),
            "time": time_format(context["starts_at"], "H:i"),
        }
        if soon:
            subject = gettext("Soon: %(course)s at %(time)s") % values
        else:
            subject = gettext("Reminder: %(course)s on %(date)s at %(time)s") % values
        return subject, context

    return trainee_email_queue(
        trainee=enrolment.trainee,
        kind="enrolment.meeting_reminder",
        template="enrolments/email/meeting_reminder",
        compose=compose,
        # The time is in the key: a meeting moved is reminded of again.
        dedupe_key=(
            f"meeting-reminder{'-soon' if soon else ''}:{meeting.pk}:"
            f"{enrolment.pk}:{meeting.starts_at:%Y%m%d%H%M}"
        ),
    )


def meeting_moved_notify(*, meeting: Meeting, was: dt.datetime) -> int:
    """Tell every trainee with a place (or a request) in the meeting's run
    that it moved, whatever their reminder choice: it is a change to what they
    agreed to, not a reminder. Once per new time. Nothing for a meeting moved
    after it took place."""
    now = timezone.now()
    if meeting.starts_at <= now and was <= now:
        return 0
    queued = 0
    for enrolment in Enrolment.objects.filter(
        run_id=meeting.run_id,
        status__in=(Enrolment.Status.CONFIRMED, Enrolment.Status.PENDING),
        trainee__erased_at__isnull=True,
    ).select_related("trainee__user", "course"):

        def compose(enrolment=enrolment):
            course_title = title_in(enrolment.course, translation.get_language())
            starts_at = timezone.localtime(meeting.starts_at)
            before = timezone.localtime(was)
            context = {
                "trainee": enrolment.trainee,
                "course_title": course_title,
                "meeting": meeting,
                "starts_at": starts_at,
                "was": before,
                "place": meeting.room or meeting.run.location,
                "online_url": meeting.online_url or meeting.run.online_url,
                "apology_url": absolute_url(
                    reverse("learning:apology", args=[meeting.pk])
                ),
            }
            subject = gettext("%(course)s: a meeting moved to %(date)s at %(time)s") % {
                "course": course_title,
                "date": date_format(starts_at, "DATE_FORMAT"),
                "time": time_format(starts_at, "H:i"),
            }
            return subject, context

        queued += trainee_email_queue(
            trainee=enrolment.trainee,
            kind="enrolment.meeting_moved",
            template="enrolments/email/meeting_moved",
            compose=compose,
            dedupe_key=(
                f"meeting-moved:{meeting.pk}:{enrolment.pk}:"
                f"{meeting.starts_at:%Y%m%d%H%M}"
            ),
        )
    return queued
