"""The Enrolments listing as a spreadsheet: "Download CSV" and "Download XLSX"
in the listing's header menu export the rows its filters and search select,
for the academy's bookkeeping and reports.

Names keep their diacritics and Cyrillic: the CSV is UTF-8 with a byte order
mark, so Excel reads it as UTF-8 too. Times are the academy's local time.
"""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from enrolments.models import Enrolment

# Text that a spreadsheet would run as a formula; written with a leading
# apostrophe in the CSV (Wagtail already stores such text as text in XLSX).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _run_dates(enrolment: Enrolment) -> str:
    run = enrolment.run
    if run is None:
        return gettext("Self-paced")
    # ISO dates: a spreadsheet sorts and parses them in any language.
    return f"{run.starts_on:%Y-%m-%d} – {run.ends_on:%Y-%m-%d}"


def _organisation(enrolment: Enrolment) -> str:
    return enrolment.organisation.name if enrolment.organisation else ""


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


EXPORT_COLUMNS: dict[str, tuple[str, Callable[[Enrolment], object]]] = {
    "trainee": (gettext_lazy("Trainee"), lambda e: e.trainee.full_name),
    "email": (gettext_lazy("E-mail"), lambda e: e.trainee.user.email),
    "organisation": (gettext_lazy("Organisation"), _organisation),
    "member": (gettext_lazy("Member"), lambda e: _yes_no(e.is_member)),
    "course": (gettext_lazy("Course"), lambda e: e.course.title),
    "run_dates": (gettext_lazy("Run dates"), _run_dates),
    "status": (gettext_lazy("Status"), lambda e: e.get_status_display()),
    "price": (gettext_lazy("Price (RSD)"), lambda e: e.price),
    "created_at": (gettext_lazy("Enrolled at"), lambda e: _local(e.created_at)),
    "decided_at": (gettext_lazy("Decided at"), lambda e: _local(e.decided_at)),
    "rejection_reason": (
        gettext_lazy("Rejection reason"),
        lambda e: e.rejection_reason,
    ),
}


class SpreadsheetConventionsMixin:
    """For any view with Wagtail's SpreadsheetExportMixin: a CSV that Excel
    opens as UTF-8 and that cannot run formulas. Shared by this listing and the
    academy reports (enrolments/reports/, certificates/reports.py)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value.startswith(FORMULA_STARTS)
        ):
            return "'" + value
        return value

    def stream_csv(self, queryset):
        yield "\ufeff".encode()
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response


class EnrolmentExportMixin(SpreadsheetConventionsMixin):
    """For Wagtail's SpreadsheetExportMixin (the generic IndexView): the
    columns above, a dated file name and a CSV that Excel opens as UTF-8."""

    list_export = list(EXPORT_COLUMNS)
    export_headings = {
        field: heading for field, (heading, _value) in EXPORT_COLUMNS.items()
    }

    def get_filename(self):
        return f"enrolments-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item):
        return {field: EXPORT_COLUMNS[field][1](item) for field in self.list_export}
