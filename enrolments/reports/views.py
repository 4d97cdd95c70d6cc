"""The enrolment reports, under Reports in the Wagtail admin (menu items and
URLs: enrolments/reports/hooks.py). Each is a Wagtail ReportView: the filter
menu in the header, a chart and a table (templates/enrolments/reports/), a
results-only URL the filter menu refreshes, and ?export=csv|xlsx giving the
table's rows (totals last) as a spreadsheet.

AcademyReportView is also the base of the certificate reports
(certificates/reports.py).
"""

from collections import namedtuple

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports import ReportView

from enrolments.access import may_view_reports
from enrolments.admin.exports import SpreadsheetConventionsMixin
from enrolments.models import Enrolment
from enrolments.reports import charts, selectors
from enrolments.reports.evaluations import evaluations_compared
from enrolments.reports.filters import (
    EvaluationFilterSet,
    ReportFilters,
    ReportFilterSet,
    RevenueFilterSet,
)

# kind: "text", "number", "percent", "money" or "date" (how the page shows it;
# the export keeps the raw value).
ReportColumn = namedtuple("ReportColumn", "key heading kind")


def display(value, kind: str) -> str:
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "percent":
        return f"{number_format(value, 1)} %"
    if kind == "money":
        return number_format(value, 2, force_grouping=True)
    if kind == "number":
        return number_format(value, force_grouping=True)
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class AcademyReportView(SpreadsheetConventionsMixin, ReportView):
    """A report made of aggregated rows (dicts). Subclasses set `report_columns`,
    `page_title`, the URL names and `get_rows()`; optionally `get_chart()`."""

    template_name = "enrolments/reports/report.html"
    results_template_name = "enrolments/reports/results.html"
    filterset_class = ReportFilterSet
    paginate_by = 100  # the chart, the totals and the exports cover all rows
    header_icon = "table"
    report_columns: list[ReportColumn] = []
    description = ""
    empty_message = gettext_lazy("No enrolments match these filters.")
    slug = ""

    def dispatch(self, request, *args, **kwargs):
        if not may_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # --- filters and rows --------------------------------------------------

    @cached_property
    def report_filters(self) -> ReportFilters | None:
        """The validated filters, or None when the filter form has errors."""
        if not self.filters:
            return ReportFilters()
        return self.filters.report_filters()

    totals: dict | None = None  # set by get_filtered_queryset()

    def get_rows(self, filters: ReportFilters):
        """Rows (dicts keyed by column) for the filters; may set self.totals."""
        raise NotImplementedError

    def get_filtered_queryset(self):
        if self.report_filters is None:
            return []
        result = self.get_rows(self.report_filters)
        if isinstance(result, tuple):
            result, self.totals = result
        return result

    # --- export ------------------------------------------------------------

    @property
    def list_export(self):
        return [column.key for column in self.report_columns]

    @property
    def export_headings(self):
        return {column.key: column.heading for column in self.report_columns}

    def get_filename(self):
        return f"{self.slug}-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item):
        return {key: item.get(key) for key in self.list_export}

    def export_rows(self, object_list):
        rows = list(object_list)
        if self.totals and rows:
            rows.append(self.totals)
        return rows

    def filter_errors(self) -> list[str]:
        """The filter form's errors, each as "Label: message"."""
        if not self.filters or self.report_filters is not None:
            return []
        form = self.filters.form
        lines = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                lines.append(f"{label}: {error}" if label else str(error))
        return lines

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            if self.report_filters is None:
                # Never a partial or empty file for a filter that was not
                # understood: say what is wrong instead.
                message = _("The report was not exported. Fix the filters:")
                return HttpResponse(
                    "\n".join([message, *self.filter_errors()]) + "\n",
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            return self.as_spreadsheet(
                self.export_rows(context["object_list"]),
                self.request.GET.get("export"),
            )
        return super(ReportView, self).render_to_response(context, **response_kwargs)

    # --- page --------------------------------------------------------------

    def get_chart(self, rows) -> charts.Chart | None:
        return None

    def table_rows(self, rows) -> list[list[tuple[str, bool]]]:
        """Each row as (text, is_numeric) cells, in column order."""
        return [
            [
                (display(row.get(column.key), column.kind), column.kind != "text")
                for column in self.report_columns
            ]
            for row in rows
        ]

    @staticmethod
    def row_html(cells) -> str:
        """One table row, escaped by format_html: built here rather than in a
        template loop, which costs more than the query on a large report."""
        (first, _numeric), *rest = cells
        return format_html(
            '<tr><th scope="row">{}</th>{}</tr>',
            first,
            format_html_join(
                "",
                '<td class="{}">{}</td>',
                (
                    ("report__number" if numeric else "report__text", text)
                    for text, numeric in rest
                ),
            ),
        )

    def period_text(self) -> str:
        filters = self.report_filters
        if not filters or not (filters.start or filters.end):
            return _("All time")
        start = date_format(filters.start) if filters.start else "…"
        end = date_format(filters.end) if filters.end else "…"
        return f"{start} – {end}"

    def display_rows(self, object_list) -> list[dict]:
        """The rows shown on this page, as dicts (paginated reports turn their
        page of objects into rows here)."""
        return object_list

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.is_export:
            return context
        rows = self.display_rows(context["object_list"])
        table_rows = self.table_rows(rows)
        totals = self.table_rows([self.totals])[0] if self.totals and rows else None
        context.update(
            report_description=self.description,
            report_columns=self.report_columns,
            report_rows=table_rows,
            report_rows_html=[self.row_html(row) for row in table_rows],
            report_totals=totals,
            # The chart shows every row, not only this page's.
            report_chart=self.get_chart(self.object_list) if rows else None,
            report_period=self.period_text(),
            report_filters=self.report_filters,
            filter_errors=self.filter_errors(),
            empty_message=self.empty_message,
            csv_url=self.csv_export_url,
            xlsx_url=self.xlsx_export_url,
        )
        return context


def course_columns(*columns) -> list[ReportColumn]:
    return [ReportColumn("course_title", _("Course"), "text"), *columns]


class EnrolmentsByCourseView(AcademyReportView):
    page_title = gettext_lazy("Enrolments by course")
    slug = "enrolments-by-course"
    index_url_name = "academy_reports:enrolments_by_course"
    index_results_url_name = "academy_reports:enrolments_by_course_results"
    description = gettext_lazy(
        "Enrolments in each status, per course. The period is when the "
        "enrolment was made."
    )

    @property
    def report_columns(self):
        labels = dict(Enrolment.Status.choices)
        return course_columns(
            *(
                ReportColumn(status.value, labels[status], "number")
                for status in selectors.STATUS_ORDER
            ),
            ReportColumn("total", _("Total"), "number"),
        )

    def get_rows(self, filters):
        return selectors.enrolments_by_course(filters)

    def get_chart(self, rows):
        labels = dict(Enrolment.Status.choices)
        return charts.bar_chart(
            title=_("Enrolments by course and status"),
            caption=_("Enrolments per course, stacked by status."),
            rows=rows,
            label_key="course_title",
            series=[(s.value, labels[s]) for s in selectors.STATUS_ORDER],
        )


class MembersReportView(AcademyReportView):
    page_title = gettext_lazy("Members and non-members")
    slug = "members-and-non-members"
    index_url_name = "academy_reports:members"
    index_results_url_name = "academy_reports:members_results"
    description = gettext_lazy(
        "Enrolments in any status, split by whether the trainee's organisation "
        "was a member when they enrolled (the enrolment's snapshot)."
    )

    @property
    def report_columns(self):
        return course_columns(
            ReportColumn("members", _("Members"), "number"),
            ReportColumn("non_members", _("Non-members"), "number"),
            ReportColumn("total", _("Total"), "number"),
            ReportColumn("members_percent", _("Members' share"), "percent"),
        )

    def get_rows(self, filters):
        return selectors.members_by_course(filters)

    def get_chart(self, rows):
        return charts.bar_chart(
            title=_("Members and non-members per course"),
            caption=_("Enrolments per course, members and non-members stacked."),
            rows=rows,
            label_key="course_title",
            series=[("members", _("Members")), ("non_members", _("Non-members"))],
        )


class CompletionReportView(AcademyReportView):
    page_title = gettext_lazy("Completion and attendance")
    slug = "completion-and-attendance"
    index_url_name = "academy_reports:completion"
    index_results_url_name = "academy_reports:completion_results"
    description = gettext_lazy(
        "Per course and run, among trainees who hold or held a seat (pending, "
        "confirmed, completed, not completed): how many finished (a run sets "
        "every result when it closes) and completed; the completion rate "
        "(completed out of finished; for a self-paced course, out of all with "
        "a seat; — until a run closes) and the attendance rate (meetings "
        "attended out of meetings held since each trainee got a seat, counted "
        "as in the register). The period is when the enrolment was made."
    )

    @property
    def report_columns(self):
        return course_columns(
            ReportColumn("run_label", _("Run"), "text"),
            ReportColumn("with_seat", _("Trainees with a seat"), "number"),
            ReportColumn("finished", _("Finished"), "number"),
            ReportColumn("completed", _("Completed"), "number"),
            ReportColumn("completion_percent", _("Completion rate"), "percent"),
            ReportColumn("attended", _("Meetings attended"), "number"),
            ReportColumn("held", _("Meetings held"), "number"),
            ReportColumn("attendance_percent", _("Attendance rate"), "percent"),
        )

    def get_rows(self, filters):
        return selectors.completion_and_attendance(filters)

    def get_chart(self, rows):
        # Runs with no result yet (not closed) have no rate to draw.
        chart_rows = [
            {
                "label": f"{row['course_title']} ({row['run_label']})",
                "percent": row["completion_percent"],
            }
            for row in rows
            if row["completion_percent"] is not None
        ]
        return charts.bar_chart(
            title=_("Completion rate per run"),
            caption=_("Completion rate (%) per course run."),
            rows=chart_rows,
            label_key="label",
            series=[("percent", _("Completion rate (%)"))],
            scale_max=100,
        )


class RevenueReportView(AcademyReportView):
    page_title = gettext_lazy("Revenue due")
    slug = "revenue-due"
    index_url_name = "academy_reports:revenue"
    index_results_url_name = "academy_reports:revenue_results"
    filterset_class = RevenueFilterSet
    description = gettext_lazy(
        "The price agreed at enrolment (RSD) of confirmed enrolments, and of "
        "those confirmed ones that have since completed or not completed, per "
        'course or (filter "Rows") per organisation. The period is when the '
        "enrolment was made."
    )

    @cached_property
    def group_by(self) -> str:
        form = self.filters.form
        by = form.cleaned_data.get("by") if form.is_valid() else None
        return by or "course"

    @property
    def report_columns(self):
        first = (
            ReportColumn("group_name", _("Organisation"), "text")
            if self.group_by == "organisation"
            else ReportColumn("group_name", _("Course"), "text")
        )
        return [
            first,
            ReportColumn("member_count", _("Member enrolments"), "number"),
            ReportColumn("member_revenue", _("Members (RSD)"), "money"),
            ReportColumn("non_member_count", _("Non-member enrolments"), "number"),
            ReportColumn("non_member_revenue", _("Non-members (RSD)"), "money"),
            ReportColumn("total_count", _("Enrolments"), "number"),
            ReportColumn("total_revenue", _("Total (RSD)"), "money"),
        ]

    def get_filename(self):
        return f"{self.slug}-by-{self.group_by}-{timezone.localdate():%Y-%m-%d}"

    def get_rows(self, filters):
        return selectors.revenue_due(filters, by=self.group_by)

    def get_chart(self, rows):
        return charts.bar_chart(
            title=_("Revenue due"),
            caption=_("Revenue due (RSD), members and non-members stacked."),
            rows=rows,
            label_key="group_name",
            series=[
                ("member_revenue", _("Members")),
                ("non_member_revenue", _("Non-members")),
            ],
        )


class ClaimsReportView(AcademyReportView):
    page_title = gettext_lazy("Organisation claims")
    slug = "organisation-claims"
    index_url_name = "academy_reports:claims"
    index_results_url_name = "academy_reports:claims_results"
    description = gettext_lazy(
        "Claims to work for an organisation made in the period, by where they "
        "stand now and how the confirmed ones were confirmed. Only confirmed "
        "staff pay member prices and count in an organisation's figures. The "
        "course filter does not apply."
    )
    empty_message = gettext_lazy("No claims match these filters.")

    @property
    def report_columns(self):
        return [
            ReportColumn("organisation_name", _("Organisation"), "text"),
            ReportColumn("pending", _("Waiting"), "number"),
            ReportColumn("confirmed", _("Confirmed"), "number"),
            ReportColumn("refused", _("Refused"), "number"),
            ReportColumn("ended", _("Ended"), "number"),
            ReportColumn("by_domain", _("By e-mail domain"), "number"),
            ReportColumn("by_invitation", _("By invitation"), "number"),
            ReportColumn("by_coordinator", _("By coordinator"), "number"),
            ReportColumn("by_academy", _("By the academy"), "number"),
            ReportColumn("total", _("Total"), "number"),
        ]

    def get_rows(self, filters):
        return selectors.claims_by_organisation(filters)

    def get_chart(self, rows):
        return charts.bar_chart(
            title=_("Claims per organisation"),
            caption=_("Claims made in the period, by where they stand now."),
            rows=rows,
            label_key="organisation_name",
            series=[
                ("pending", _("Waiting")),
                ("confirmed", _("Confirmed")),
                ("refused", _("Refused")),
                ("ended", _("Ended")),
            ],
        )


class EvaluationsReportView(AcademyReportView):
    page_title = gettext_lazy("Course evaluations")
    slug = "course-evaluations"
    index_url_name = "academy_reports:evaluations"
    index_results_url_name = "academy_reports:evaluations_results"
    filterset_class = EvaluationFilterSet
    description = gettext_lazy(
        'What trainees thought, per run, course or (filter "Rows") '
        "instructor: answers out of the trainees who took part, the mean of "
        "every 1-5 rating given and the net promoter score (percent of 9-10 "
        "minus percent of 0-6). A run's own page (Teaching > the run > "
        "Evaluation) has each question, the comments and the PDF summary. "
        "The period is when a run's evaluation opened."
    )

    @cached_property
    def group_by(self) -> str:
        form = self.filters.form
        by = form.cleaned_data.get("by") if form.is_valid() else None
        return by or "run"

    @property
    def report_columns(self):
        first = {
            "run": _("Run"),
            "course": _("Course"),
            "instructor": _("Instructor"),
        }[self.group_by]
        return [
            ReportColumn("group_name", first, "text"),
            ReportColumn("runs", _("Runs"), "number"),
            ReportColumn("took_part", _("Took part"), "number"),
            ReportColumn("responses", _("Answers"), "number"),
            ReportColumn("rate", _("Response rate"), "percent"),
            ReportColumn("mean_rating", _("Mean rating (1-5)"), "number"),
            ReportColumn("nps", _("Net promoter score"), "number"),
        ]

    def get_filename(self):
        return f"{self.slug}-by-{self.group_by}-{timezone.localdate():%Y-%m-%d}"

    def get_rows(self, filters):
        return evaluations_compared(filters, by=self.group_by)

    def get_chart(self, rows):
        return charts.bar_chart(
            title=_("Mean rating"),
            caption=_("Mean of every 1-5 rating given."),
            rows=[row for row in rows if row["mean_rating"] is not None],
            label_key="group_name",
            series=[("mean_rating", _("Mean rating (1-5)"))],
            scale_max=5,
        )
