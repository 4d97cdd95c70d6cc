"""The filter form every report shares: a period (a named one, or from/to
dates), a course and an organisation. Shown in the filter menu of each report's
header; read by the views, which hand the validated ReportFilters to the
selectors (the selectors know which date and which relations a report filters
on, so the FilterSet itself never filters a queryset).

URL parameters: ?period=this_month | ?from=2026-01-01&to=2026-03-31,
&course=<page id>, &organisation=<organisation id>.
"""

import datetime as dt
from dataclasses import dataclass

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from academy_site.filters import CHOOSE_COURSE, CHOOSE_ORGANISATION, IdChoiceFilter
from courses.models import CoursePage
from enrolments.models import Enrolment, Organisation


class Period:
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"

    CHOICES = [
        (THIS_MONTH, _("This month")),
        (LAST_MONTH, _("Last month")),
        (THIS_YEAR, _("This year")),
        (LAST_YEAR, _("Last year")),
    ]


def period_bounds(name: str, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) of a named period."""
    first_of_month = today.replace(day=1)
    if name == Period.THIS_MONTH:
        next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
        return first_of_month, next_month - dt.timedelta(days=1)
    if name == Period.LAST_MONTH:
        last_day = first_of_month - dt.timedelta(days=1)
        return last_day.replace(day=1), last_day
    if name == Period.THIS_YEAR:
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if name == Period.LAST_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    raise ValueError(f"Unknown period: {name}")


@dataclass(frozen=True)
class ReportFilters:
    """What a report is narrowed to; every part is optional."""

    start: dt.date | None = None  # inclusive, academy local date
    end: dt.date | None = None  # inclusive
    course: CoursePage | None = None
    organisation: Organisation | None = None

    def moment_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[from, until) as aware datetimes: local midnight of `start` and of
        the day after `end`, so a whole last day is included."""
        start = end = None
        if self.start:
            start = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        if self.end:
            day_after = self.end + dt.timedelta(days=1)
            end = timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))
        return start, end

    def filter_period(self, queryset, field: str):
        """`queryset` narrowed to rows whose datetime `field` is in the period."""
        start, end = self.moment_range()
        if start:
            queryset = queryset.filter(**{f"{field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{field}__lt": end})
        return queryset


class ReportFilterForm(forms.Form):
    """Checks that the period makes sense as a whole."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if cleaned.get("period") and (start or end):
            raise forms.ValidationError(
                _("Choose a named period or from/to dates, not both."),
                code="period_and_dates",
            )
        if start and end and start > end:
            self.add_error("to", _("The end date must be on or after the start date."))
        return cleaned

    def report_filters(self) -> ReportFilters:
        """The validated filters; call only after is_valid()."""
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        if data.get("period"):
            start, end = period_bounds(data["period"], today=timezone.localdate())
        return ReportFilters(
            start=start,
            end=end,
            course=data.get("course"),
            organisation=data.get("organisation"),
        )


class QuickSelect(forms.Select):
    """A select whose options are written here rather than through Django's
    per-option template, which costs about 0.2 ms an option: with 300 courses
    and 200 organisations that was a third of a report's render. Same HTML;
    every value and label is escaped by format_html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option["value"] is None else option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


DATE_ERRORS = {"invalid": _("Enter a real date as YYYY-MM-DD, e.g. 2026-03-31.")}


class ReportFilterSet(django_filters.FilterSet):
    """The shared filters. `period_help` says which date the period applies to
    (enrolment reports: when the enrolment was made)."""

    period_help = _("Applies to the date the enrolment was made.")

    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=Period.CHOICES, empty_label=_("Any time")
    )
    # "from" is a Python keyword, so the two date filters are added by name
    # below; the URL parameters stay the short ?from= and ?to=.
    locals()["from"] = django_filters.DateFilter(
        label=_("From"), widget=AdminDateInput, error_messages=DATE_ERRORS
    )
    locals()["to"] = django_filters.DateFilter(
        label=_("To"), widget=AdminDateInput, error_messages=DATE_ERRORS
    )
    course = IdChoiceFilter(
        label=_("Course"),
        queryset=CoursePage.objects.only("title").order_by("title", "pk"),
        empty_label=_("All courses"),
        widget=QuickSelect,
        error_messages=CHOOSE_COURSE,
    )
    organisation = IdChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.only("name").order_by("name", "pk"),
        empty_label=_("All organisations"),
        widget=QuickSelect,
        error_messages=CHOOSE_ORGANISATION,
    )

    class Meta:
        model = Enrolment  # django-filter needs one; nothing is filtered here
        form = ReportFilterForm
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("period", "from", "to"):
            self.filters[name].extra["help_text"] = self.period_help

    def filter_queryset(self, queryset):
        # The selectors filter, each on its own fields (ReportFilters).
        return queryset

    def report_filters(self) -> ReportFilters | None:
        """The validated filters, or None when the form has errors."""
        if not self.is_valid():
            return None
        return self.form.report_filters()


class RevenueFilterSet(ReportFilterSet):
    """The shared filters, and whether a row is a course or an organisation."""

    by = django_filters.ChoiceFilter(
        label=_("Rows"),
        choices=[("organisation", _("One per organisation"))],
        empty_label=_("One per course"),
        error_messages={
            "invalid_choice": _("Choose one row per course or per organisation.")
        },
    )


class OrganisationReportFilterSet(ReportFilterSet):
    """The same filters with the organisation required: the report lists one
    organisation's people (certificates/reports.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.filters["organisation"]
        organisation.extra["required"] = True
        organisation.extra["error_messages"] = {
            **organisation.extra.get("error_messages", {}),
            "required": _("Choose the organisation whose trainees to list."),
        }


class EvaluationFilterSet(ReportFilterSet):
    """The period (when a run's evaluation opened), the course, and what a
    row is. No organisation: answers are anonymous, so they belong to none."""

    period_help = _("Applies to the date the run's evaluation opened.")

    by = django_filters.ChoiceFilter(
        label=_("Rows"),
        choices=[
            ("course", _("One per course")),
            ("instructor", _("One per instructor")),
        ],
        empty_label=_("One per run"),
        error_messages={
            "invalid_choice": _("Choose one row per run, course or instructor.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["organisation"]
