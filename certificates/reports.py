"""The certificate reports, in Wagtail's Reports menu next to the enrolment
reports (enrolments/reports/, whose filters, charts and base view they reuse):

- Certificates issued: issued, revoked and superseded certificates per month,
  course and kind; the period is the date the certificate was issued.
- Organisation: one organisation's trainees, their enrolments (course, run,
  status, attendance, outcome) and certificates: what a member company asks
  for. The period is the date the enrolment was made.

Menu items and URLs (/admin/certificate-reports/...) are registered here;
certificates/wagtail_hooks.py imports this module.
"""

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import Certificate, Kind
from enrolments.models import Enrolment
from enrolments.reports import charts
from enrolments.reports.filters import (
    OrganisationReportFilterSet,
    ReportFilters,
    ReportFilterSet,
)
from enrolments.reports.hooks import register_reports
from enrolments.reports.selectors import attendance_counts, percent, scope_q
from enrolments.reports.views import AcademyReportView, ReportColumn

CertificateStatus = Certificate.Status

# --- Selectors ----------------------------------------------------------------


def certificates_in_scope(filters: ReportFilters):
    """Certificates that were issued (whatever became of them since), in the
    period by their issue date, of the course and organisation filtered on."""
    queryset = Certificate.objects.filter(issued_at__isnull=False)
    queryset = filters.filter_period(queryset, "issued_at")
    if filters.course:
        queryset = queryset.filter(enrolment__course=filters.course)
    if filters.organisation:
        queryset = queryset.filter(enrolment__organisation=filters.organisation)
    return queryset.order_by()


def local_months(first: dt.datetime, last: dt.datetime) -> list[tuple]:
    """The academy's calendar months from `first`'s to `last`'s, each as
    ("YYYY-MM", start, end) with aware local-midnight bounds."""
    month = timezone.localtime(first).date().replace(day=1)
    until = timezone.localtime(last).date()
    months = []
    while month <= until:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        months.append(
            (
                f"{month:%Y-%m}",
                timezone.make_aware(dt.datetime.combine(month, dt.time.min)),
                timezone.make_aware(dt.datetime.combine(following, dt.time.min)),
            )
        )
        month = following
    return months


def certificates_issued(filters: ReportFilters) -> tuple[list[dict], dict]:
    """Per month (local time), course and kind: certificates still issued,
    revoked, superseded and all of them. Returns (rows, totals).

    The month is a CASE over the months' local bounds rather than TruncMonth,
    which SQLite runs as a Python function for every certificate."""
    statuses = {
        "issued": CertificateStatus.ISSUED,
        "revoked": CertificateStatus.REVOKED,
        "superseded": CertificateStatus.SUPERSEDED,
    }
    keys = [*statuses, "total"]
    empty_totals = {"month": _("Total"), "course": "", "kind_label": ""}
    scope = certificates_in_scope(filters)
    bounds = scope.aggregate(first=Min("issued_at"), last=Max("issued_at"))
    if bounds["first"] is None:
        return [], {**empty_totals, **dict.fromkeys(keys, 0)}
    month = Case(
        *(
            When(issued_at__gte=start, issued_at__lt=end, then=Value(label))
            for label, start, end in local_months(bounds["first"], bounds["last"])
        ),
        output_field=CharField(),
    )
    rows = list(
        scope.values(
            "kind",
            month=month,
            course_id=F("enrolment__course_id"),
            course=F("enrolment__course__title"),
        )
        .annotate(
            **{
                key: Count("pk", filter=Q(status=value))
                for key, value in statuses.items()
            },
            total=Count("pk"),
        )
        .order_by("month", "course", "course_id", "kind")
    )
    kinds = dict(Kind.choices)
    for row in rows:
        # str(): the labels are lazy, and spreadsheet exports want plain text.
        row["kind_label"] = str(kinds.get(row["kind"], row["kind"]))
    totals = {key: sum(row[key] for row in rows) for key in keys}
    return rows, {**empty_totals, **totals}


def certificates_by_month(rows: list[dict]) -> list[dict]:
    """The report's rows summed per month, for the chart (rows are already
    aggregated: one per month, course and kind)."""
    months: dict[str, dict] = {}
    for row in rows:
        month = months.setdefault(
            row["month"],
            {"month": row["month"], "issued": 0, "revoked": 0, "superseded": 0},
        )
        for key in ("issued", "revoked", "superseded"):
            month[key] += row[key]
    return list(months.values())


def organisation_enrolments(filters: ReportFilters):
    """The organisation's enrolments (the organisation recorded on the
    enrolment) with trainee, course, run and certificates loaded: a fixed
    number of queries for any number of rows."""
    return (
        Enrolment.objects.filter(scope_q(filters))
        .select_related("trainee__user", "course", "run")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.order_by("issued_at", "pk").only(
                    "enrolment_id", "serial", "kind", "status", "issued_at"
                ),
            )
        )
        .order_by("trainee__full_name", "trainee_id", "created_at", "pk")
    )


def organisation_rows(enrolments, filters: ReportFilters) -> list[dict]:
    """Table rows for a page (or all) of organisation_enrolments(): attendance
    from the same aggregate as the completion report, in two queries."""
    enrolments = list(enrolments)
    if not enrolments:
        return []
    attendance = attendance_counts(
        filters, group_by="id", enrolment_ids=[e.pk for e in enrolments]
    )
    statuses = dict(CertificateStatus.choices)
    kinds = dict(Kind.choices)
    rows = []
    for enrolment in enrolments:
        run = enrolment.run
        attended, held = attendance.get(enrolment.pk, (0, 0))
        certificates = list(enrolment.certificates.all())
        rows.append(
            {
                "trainee": enrolment.trainee.full_name,
                "email": enrolment.trainee.user.email,
                "course": enrolment.course.title,
                "run": (
                    f"{run.starts_on:%Y-%m-%d} – {run.ends_on:%Y-%m-%d}"
                    if run
                    else _("Self-paced")
                ),
                "status": enrolment.get_status_display(),
                "attendance_percent": percent(attended, held) if run else None,
                "outcome": enrolment.get_outcome_display(),
                "certificates": "; ".join(
                    f"{c.serial} ({kinds.get(c.kind, c.kind)}, "
                    f"{statuses.get(c.status, c.status)}"
                    + (
                        f", {timezone.localdate(c.issued_at):%Y-%m-%d})"
                        if c.issued_at
                        else ")"
                    )
                    for c in certificates
                ),
            }
        )
    return rows


# --- Views --------------------------------------------------------------------


class CertificateReportFilterSet(ReportFilterSet):
    period_help = gettext_lazy("Applies to the date the certificate was issued.")


class CertificatesIssuedView(AcademyReportView):
    page_title = gettext_lazy("Certificates issued")
    slug = "certificates-issued"
    filterset_class = CertificateReportFilterSet
    index_url_name = "certificate_reports:issued"
    index_results_url_name = "certificate_reports:issued_results"
    empty_message = gettext_lazy("No certificates match these filters.")
    description = gettext_lazy(
        "Certificates issued per month, course and kind, and what has become "
        "of them: still issued, revoked, or superseded by a reissue. The "
        "period is when the certificate was issued."
    )

    @property
    def report_columns(self):
        return [
            ReportColumn("month", _("Month"), "text"),
            ReportColumn("course", _("Course"), "text"),
            ReportColumn("kind_label", _("Kind"), "text"),
            ReportColumn("issued", _("Issued"), "number"),
            ReportColumn("revoked", _("Revoked"), "number"),
            ReportColumn("superseded", _("Superseded"), "number"),
            ReportColumn("total", _("Total"), "number"),
        ]

    def get_rows(self, filters):
        return certificates_issued(filters)

    def get_chart(self, rows):
        chart = charts.bar_chart(
            title=_("Certificates issued per month"),
            caption=_(
                "Certificates per month: issued, revoked and superseded stacked."
            ),
            rows=certificates_by_month(rows),
            label_key="month",
            series=[
                ("issued", _("Issued")),
                ("revoked", _("Revoked")),
                ("superseded", _("Superseded")),
            ],
            limit=24,
        )
        return chart


class OrganisationReportView(AcademyReportView):
    page_title = gettext_lazy("Organisation: trainees and certificates")
    slug = "organisation-trainees"
    filterset_class = OrganisationReportFilterSet
    index_url_name = "certificate_reports:organisation"
    index_results_url_name = "certificate_reports:organisation_results"
    paginate_by = 50
    description = gettext_lazy(
        "Everyone who enrolled on behalf of the chosen organisation: their "
        "enrolments, attendance, outcome and certificates. The period is when "
        "the enrolment was made."
    )
    report_columns = [
        ReportColumn("trainee", gettext_lazy("Trainee"), "text"),
        ReportColumn("email", gettext_lazy("E-mail"), "text"),
        ReportColumn("course", gettext_lazy("Course"), "text"),
        ReportColumn("run", gettext_lazy("Run dates"), "text"),
        ReportColumn("status", gettext_lazy("Status"), "text"),
        ReportColumn("attendance_percent", gettext_lazy("Attendance"), "percent"),
        ReportColumn("outcome", gettext_lazy("Outcome"), "text"),
        ReportColumn("certificates", gettext_lazy("Certificates"), "text"),
    ]

    def get_rows(self, filters):
        return organisation_enrolments(filters)

    @property
    def nothing_chosen(self) -> bool:
        """The first visit: no organisation asked for yet, which is a prompt,
        not an error."""
        return not self.request.GET.get("organisation")

    def filter_errors(self) -> list[str]:
        # An export still says what is missing: it cannot prompt.
        if self.nothing_chosen and not self.is_export:
            return []
        return super().filter_errors()

    @property
    def empty_message(self):
        if self.nothing_chosen:
            return gettext_lazy(
                "Choose an organisation in the filter menu to list its trainees "
                "and their certificates."
            )
        return gettext_lazy("Nobody enrolled on behalf of this organisation then.")

    def get_page_subtitle(self):
        filters = self.report_filters
        return filters.organisation.name if filters and filters.organisation else ""

    def get_filename(self):
        filters = self.report_filters
        name = f"organisation-{filters.organisation.pk}" if filters else self.slug
        return f"{name}-trainees-{timezone.localdate():%Y-%m-%d}"

    def export_rows(self, object_list):
        return organisation_rows(object_list, self.report_filters)

    def display_rows(self, object_list):
        return organisation_rows(object_list, self.report_filters)


# --- Menu and URLs ------------------------------------------------------------

REPORTS = [
    ("issued", gettext_lazy("Certificates issued"), CertificatesIssuedView, "doc-full"),
    (
        "organisation",
        gettext_lazy("Organisation: trainees and certificates"),
        OrganisationReportView,
        "group",
    ),
]

register_reports(
    reports=REPORTS,
    prefix="certificate-reports",
    namespace="certificate_reports",
    first_order=2100,
)
