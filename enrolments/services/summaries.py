"""The monthly summary e-mail to organisations' coordinators: last month's
enrolments and results of their staff and the claims waiting for them.

Queued on the first day of each month by beat (enrolments.tasks), through the
academy's one outbox, once per coordinator and month (the outbox's dedupe
key), so a second run of the task, or a worker killed halfway through,
sends nobody a summary twice. Coordinators who turned it off on their page get
none; a month with nothing to say sends nothing.
"""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from academy_site.languages import in_language
from academy_site.links import absolute_url
from academy_site.outbox.services import email_queue, email_render
from enrolments.models import Coordinator, Enrolment, MembershipClaim

Status = Enrolment.Status


def month_before(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month before `day`'s, and the first of `day`'s."""
    this_month = day.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return last_month, this_month


def coordinator_summaries_queue(*, today: dt.date | None = None) -> int:
    """Queue last month's summary for every coordinator who wants one;
    returns how many were queued now."""
    start, end = month_before(today or timezone.localdate())
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    coordinators = list(
        Coordinator.objects.filter(monthly_summary=True, user__is_active=True)
        .select_related("user", "organisation", "user__trainee")
        .order_by("pk")
    )
    figures = _figures(
        organisation_ids={c.organisation_id for c in coordinators},
        since=since,
        until=until,
    )
    queued = 0
    for coordinator in coordinators:
        numbers = figures.get(coordinator.organisation_id, {})
        if not any(numbers.values()):
            continue
        queued += _queue(coordinator, numbers, start)
    return queued


def _figures(*, organisation_ids, since, until) -> dict[int, dict]:
    """Per organisation, in two queries whatever their number."""
    figures = {pk: {} for pk in organisation_ids}
    month = Q(created_at__gte=since, created_at__lt=until)
    finished = Q(finished_at__gte=since, finished_at__lt=until)
    for row in (
        Enrolment.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id")
        .annotate(
            enrolled=Count("pk", filter=month),
            completed=Count("pk", filter=finished & Q(status=Status.COMPLETED)),
            not_completed=Count("pk", filter=finished & Q(status=Status.NOT_COMPLETED)),
        )
    ):
        figures[row.pop("organisation_id")].update(row)
    for organisation_id, pending in (
        MembershipClaim.objects.filter(
            organisation_id__in=organisation_ids,
            status=MembershipClaim.Status.PENDING,
        )
        .values_list("organisation_id")
        .annotate(count=Count("pk"))
    ):
        figures[organisation_id]["pending"] = pending
    return figures


def _queue(coordinator: Coordinator, numbers: dict, start: dt.date) -> int:
    user = coordinator.user
    trainee = getattr(user, "trainee", None)
    language = trainee.preferred_language if trainee else "sr-latn"
    organisation = coordinator.organisation
    with in_language(language):
        context = {
            "organisation": organisation.name,
            "month": date_format(start, "F Y"),
            "enrolled": numbers.get("enrolled", 0),
            "completed": numbers.get("completed", 0),
            "not_completed": numbers.get("not_completed", 0),
            "pending": numbers.get("pending", 0),
            "page_url": absolute_url(
                reverse("coordination:organisation", args=[organisation.pk])
            ),
        }
        text, html = email_render(
            template="enrolments/email/coordinator_summary", context=context
        )
        subject = gettext("%(organisation)s at the Cluster Academy: %(month)s") % {
            "organisation": organisation.name,
            "month": context["month"],
        }
    email = email_queue(
        kind="organisation.monthly_summary",
        to=user.email,
        user=user,
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
        dedupe_key=f"coordinator-summary:{coordinator.pk}:{start:%Y-%m}",
    )
    return 1 if email is not None else 0
