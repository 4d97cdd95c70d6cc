"""The enrolment panels of the admin dashboard (/admin/): upcoming meetings,
pending approvals, waitlists, work to grade and this month's enrolments.
Templates in templates/enrolments/admin/dashboard/; the certificate panel is
in certificates/admin/dashboard.py.

Scope: a user who manages every run (academy admins, superusers; see
enrolments/access.py) sees the whole academy; anyone else sees
only the runs `runs_managed_by` gives them, so an instructor never sees
another instructor's runs or trainees. A panel the user has no permission for
is not shown at all. Each panel runs a fixed number of queries, however many
rows the academy has: counts are aggregated in the database and lists capped.
"""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from courses.models import Meeting
from enrolments.access import (
    enrolments_managed_by,
    has_teaching_role,
    manages_all_runs,
    runs_managed_by,
)
from enrolments.gradebook import GRADEBOOK_STATUSES
from enrolments.models import AssignmentSubmission, Enrolment
from enrolments.services.attendance import REGISTER_STATUSES

Status = Enrolment.Status
MEETING_DAYS = 14
# Rows listed per panel; the rest is counted and linked.
LISTED = 5
ENROLMENTS_LIST_URL = "wagtailsnippets_enrolments_enrolment:list"


def month_bounds(today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The starts of last month and of this month, in the academy's time zone."""
    today = today or timezone.localdate()
    this_month = dt.date(today.year, today.month, 1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    aware = timezone.get_current_timezone()
    return (
        dt.datetime.combine(last_month, dt.time.min, tzinfo=aware),
        dt.datetime.combine(this_month, dt.time.min, tzinfo=aware),
    )


def month_counts(field: str) -> dict[str, Count]:
    """Aggregates counting rows whose `field` (a moment) falls this month and
    last month, for the "this month" figures of the dashboard panels."""
    last_month, this_month = month_bounds()
    return {
        "this_month": Count("pk", filter=Q(**{f"{field}__gte": this_month})),
        "last_month": Count(
            "pk",
            filter=Q(**{f"{field}__gte": last_month, f"{field}__lt": this_month}),
        ),
    }


def enrolments_listing_url(**filters) -> str:
    """The Enrolments listing with its filters (enrolments/admin/filters.py)."""
    url = reverse(ENROLMENTS_LIST_URL)
    return f"{url}?{urlencode(filters)}" if filters else url


def teaches(request) -> bool:
    """Whether the user has a teaching role (enrolments/access.py). Asked by
    several panels, so kept on the request."""
    if not hasattr(request, "_academy_teaches"):
        request._academy_teaches = has_teaching_role(request.user)
    return request._academy_teaches


class DashboardPanel(Component):
    """A panel built for one request; `is_shown` decides whether it is added."""

    name = ""
    heading = ""
    order = 100

    def __init__(self, request):
        self.request = request
        self.user = request.user

    def is_shown(self) -> bool:
        return True

    def get_context_data(self, parent_context=None):
        return {"panel": self, "request": self.request, **self.get_panel_data()}

    def get_panel_data(self) -> dict:
        return {}


class UpcomingMeetingsPanel(DashboardPanel):
    """The next two weeks' meetings, each with its register and check-in
    display (/teaching/): an instructor's own, or the academy's for admins."""

    name = "academy_upcoming_meetings"
    template_name = "enrolments/admin/dashboard/upcoming_meetings.html"
    order = 60
    listed = 10

    def is_shown(self):
        return teaches(self.request)

    @property
    def heading(self):
        if manages_all_runs(self.user):
            return _("Next meetings")
        return _("My upcoming meetings")

    def get_panel_data(self):
        today = timezone.localdate()
        on_register = (
            Enrolment.objects.filter(run=OuterRef("run"), status__in=REGISTER_STATUSES)
            .order_by()
            .values("run")
            .annotate(n=Count("pk"))
            .values("n")
        )
        meetings = (
            Meeting.objects.filter(
                run__in=runs_managed_by(self.user),
                date__gte=today,
                date__lte=today + dt.timedelta(days=MEETING_DAYS),
            )
            .select_related("run__course")
            .annotate(trainee_count=Coalesce(Subquery(on_register), 0))
            .order_by("date", "start_time", "pk")
        )
        listed = list(meetings[: self.listed])
        total = len(listed) if len(listed) < self.listed else meetings.count()
        return {
            "meetings": listed,
            "more": total - len(listed),
            "days": MEETING_DAYS,
            "teaching_url": reverse("teaching:runs"),
        }


class PendingApprovalsPanel(DashboardPanel):
    """Requests waiting for a decision: how many, and the oldest few."""

    name = "academy_pending_approvals"
    template_name = "enrolments/admin/dashboard/pending_approvals.html"
    heading = _("Pending approvals")
    order = 70

    def is_shown(self):
        return self.user.has_perm("enrolments.change_enrolment")

    def get_panel_data(self):
        pending = enrolments_managed_by(self.user).filter(status=Status.PENDING)
        oldest = list(
            pending.select_related("trainee", "course", "run__course").order_by(
                "created_at", "pk"
            )[:LISTED]
        )
        total = len(oldest) if len(oldest) < LISTED else pending.count()
        return {
            "oldest": oldest,
            "total": total,
            "listing_url": enrolments_listing_url(status=Status.PENDING),
        }


class WaitlistsPanel(DashboardPanel):
    """Current and upcoming runs with trainees waiting for a seat."""

    name = "academy_waitlists"
    template_name = "enrolments/admin/dashboard/waitlists.html"
    heading = _("Waitlists")
    order = 80

    def is_shown(self):
        return self.user.has_perm("enrolments.view_enrolment")

    def get_panel_data(self):
        runs = (
            runs_managed_by(self.user)
            .filter(ends_on__gte=timezone.localdate())
            .annotate(
                waiting=Count(
                    "enrolments",
                    filter=Q(enrolments__status=Status.WAITLISTED),
                    distinct=True,
                )
            )
            .filter(waiting__gt=0)
            .select_related("course")
            .order_by("starts_on", "pk")
        )
        listed = list(runs[:LISTED])
        for run in listed:
            run.listing_url = enrolments_listing_url(
                run=run.pk, status=Status.WAITLISTED
            )
        total = len(listed) if len(listed) < LISTED else runs.count()
        return {"runs": listed, "more": total - len(listed)}


class GradingPanel(DashboardPanel):
    """Handed-in work nobody has graded yet, per run, linked to the run's
    gradebook (/teaching/runs/<id>/gradebook/)."""

    name = "academy_grading"
    template_name = "enrolments/admin/dashboard/grading.html"
    heading = _("Assignments waiting to be graded")
    order = 90

    def is_shown(self):
        return teaches(self.request)

    def get_panel_data(self):
        waiting = Q(
            enrolments__status__in=GRADEBOOK_STATUSES,
            enrolments__submissions__graded_at__isnull=True,
        )
        runs = (
            runs_managed_by(self.user)
            .annotate(to_grade=Count("enrolments__submissions", filter=waiting))
            .filter(to_grade__gt=0)
            .select_related("course")
            .order_by("starts_on", "pk")
        )
        listed = list(runs[:LISTED])
        total_work = AssignmentSubmission.objects.filter(
            enrolment__run__in=runs_managed_by(self.user),
            enrolment__status__in=GRADEBOOK_STATUSES,
            graded_at__isnull=True,
        ).count()
        total_runs = len(listed) if len(listed) < LISTED else runs.count()
        return {
            "runs": listed,
            "total_work": total_work,
            "more": total_runs - len(listed),
        }


class EnrolmentsThisMonthPanel(DashboardPanel):
    """Enrolments made this month against last month."""

    name = "academy_enrolments_this_month"
    template_name = "enrolments/admin/dashboard/this_month.html"
    heading = _("Enrolments this month")
    order = 100

    def is_shown(self):
        return self.user.has_perm("enrolments.view_enrolment")

    def get_panel_data(self):
        counts = enrolments_managed_by(self.user).aggregate(
            **month_counts("created_at")
        )
        return {**counts, "listing_url": enrolments_listing_url()}


PANELS = (
    UpcomingMeetingsPanel,
    PendingApprovalsPanel,
    WaitlistsPanel,
    GradingPanel,
    EnrolmentsThisMonthPanel,
)


@hooks.register("construct_homepage_panels")
def add_enrolment_panels(request, panels):
    for panel_class in PANELS:
        panel = panel_class(request)
        if panel.is_shown():
            panels.append(panel)
