"""A run's attendance as a table: one row per trainee on the register, one
column per meeting, then the rate.

Built once by `attendance_grid` in a fixed number of queries whatever the number
of trainees and meetings; shown on the run's attendance overview and written as
CSV (UTF-8 with a BOM, so Excel shows Đ and Ђ) or XLSX for the academy's
records.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.formats import date_format, time_format
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from courses.models import CourseRun, Meeting
from enrolments.models import AttendanceRecord, Enrolment
from enrolments.rules.attendance import AttendanceSummary, attendance_summaries
from enrolments.services.attendance import REGISTER_STATUSES

STATUS_LABELS = dict(AttendanceRecord.Status.choices)
# One letter per status for the overview grid, explained by its legend; each
# language picks letters that differ (a label's first letter may not).
STATUS_LETTERS = {
    AttendanceRecord.Status.PRESENT: pgettext_lazy("attendance letter", "P"),
    AttendanceRecord.Status.LATE: pgettext_lazy("attendance letter", "L"),
    AttendanceRecord.Status.EXCUSED: pgettext_lazy("attendance letter", "E"),
    AttendanceRecord.Status.ABSENT: pgettext_lazy("attendance letter", "A"),
}
# A spreadsheet runs a cell that starts with one of these as a formula; a name
# typed by a trainee must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class MeetingColumn:
    meeting: Meeting
    marked: int
    checked_in: int


@dataclass
class GridRow:
    enrolment: Enrolment
    statuses: list[str]  # one per meeting, "" when not marked
    summary: AttendanceSummary | None

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(letter, label) per meeting, for the overview: ("P", "Present")."""
        return [
            (STATUS_LETTERS.get(s, ""), STATUS_LABELS.get(s, "")) for s in self.statuses
        ]


@dataclass
class AttendanceGrid:
    run: CourseRun
    columns: list[MeetingColumn]
    rows: list[GridRow]


def run_register(run: CourseRun):
    """The trainees on the run's registers, as register_enrolments() lists
    them for one meeting, with what the table and the summaries read."""
    return (
        Enrolment.objects.filter(run=run, status__in=REGISTER_STATUSES)
        .select_related("trainee__user", "organisation")
        .order_by("trainee__full_name", "pk")
    )


def attendance_grid(run: CourseRun) -> AttendanceGrid:
    meetings = list(run.meetings.order_by("date", "start_time", "pk"))
    enrolments = list(run_register(run))
    for enrolment in enrolments:
        # The run's course page, read once rather than joined to every row.
        if enrolment.course_id == run.course_id:
            enrolment.course = run.course
    records = list(
        AttendanceRecord.objects.filter(
            meeting__run=run, enrolment__in=[e.pk for e in enrolments]
        ).only("meeting_id", "enrolment_id", "status", "checked_in_at")
    )
    status_of, marked, checked_in = {}, {}, {}
    for record in records:
        status_of[record.enrolment_id, record.meeting_id] = record.status
        marked[record.meeting_id] = marked.get(record.meeting_id, 0) + 1
        if record.checked_in_at:
            checked_in[record.meeting_id] = checked_in.get(record.meeting_id, 0) + 1
    summaries = attendance_summaries(
        enrolments, meetings_by_run={run.pk: meetings}, records=records
    )
    return AttendanceGrid(
        run=run,
        columns=[
            MeetingColumn(m, marked.get(m.pk, 0), checked_in.get(m.pk, 0))
            for m in meetings
        ],
        rows=[
            GridRow(
                enrolment=e,
                statuses=[status_of.get((e.pk, m.pk), "") for m in meetings],
                summary=summaries.get(e.pk),
            )
            for e in enrolments
        ],
    )


def meeting_heading(meeting: Meeting) -> str:
    return (
        f"{date_format(meeting.date, 'SHORT_DATE_FORMAT')} "
        f"{time_format(meeting.start_time, 'H:i')}"
    )


def table(grid: AttendanceGrid) -> list[list]:
    """Header and rows as plain values: text, whole numbers, a Decimal rate."""
    header = [gettext("Full name"), gettext("E-mail"), gettext("Organisation")]
    header += [meeting_heading(c.meeting) for c in grid.columns]
    header += [gettext("Attended"), gettext("Held"), gettext("Rate %")]
    lines = [header]
    for row in grid.rows:
        enrolment, summary = row.enrolment, row.summary
        organisation = enrolment.organisation
        line = [
            enrolment.trainee.full_name,
            enrolment.trainee.user.email,
            organisation.name if organisation else "",
        ]
        line += [str(STATUS_LABELS.get(status, "")) for status in row.statuses]
        line += [
            summary.attended if summary else "",
            summary.held if summary else "",
            summary.percent if summary and summary.percent is not None else "",
        ]
        lines.append(line)
    return lines


def as_text(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def grid_csv(grid: AttendanceGrid) -> bytes:
    return lines_csv(table(grid))


def grid_xlsx(grid: AttendanceGrid) -> bytes:
    return lines_xlsx(
        table(grid),
        sheet_title=gettext("Attendance"),
        title=gettext("Attendance: %(run)s") % {"run": grid.run},
    )


def lines_csv(lines: list[list]) -> bytes:
    """Rows as CSV: UTF-8 with a byte order mark so Excel shows Đ and Ђ, and
    text that a spreadsheet would run as a formula kept as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow([as_text(v) if isinstance(v, str) else v for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def lines_xlsx(lines: list[list], *, sheet_title: str, title: str) -> bytes:
    """Rows as an XLSX sheet with a bold, frozen header row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for line in lines:
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                # openpyxl takes a string starting with "=" for a formula.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(lines[0], start=1):
        width = max(len(str(line[index - 1])) for line in lines) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(width, len(heading) + 2), 40
        )
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(run: CourseRun, extension: str, kind: str = "attendance") -> str:
    return f"{kind}-{slugify(run.course.title) or 'run'}-{run.starts_on}.{extension}"
