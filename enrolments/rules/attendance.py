"""How attendance is counted. One place, read by My learning, the register
overview, the low-attendance warning and the completion rules.

- A meeting counts for an enrolment when it started after the trainee got a
  seat: meetings held before a trainee enrolled (or while they waited on the
  waitlist) never count against them.
- Present and late count as attended; excused counts as attended only when the
  course says so (`CoursePage.excused_counts_as_present`), otherwise as absent;
  a held meeting with no mark counts as absent.
- The rate is attended / counted meetings held so far. Whether the threshold can
  still be reached assumes every remaining meeting is attended.
- Absences in a row are the latest marked meetings marked absent, one after
  another: a meeting attended or excused ends the streak, a held meeting whose
  register is not saved yet is skipped (registers are not always saved in
  order, and the alert is about being missed, not about paperwork).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from courses.models import Meeting
from enrolments.models import AttendanceRecord, Enrolment

ATTENDED = {AttendanceRecord.Status.PRESENT, AttendanceRecord.Status.LATE}


@dataclass(frozen=True)
class AttendanceSummary:
    attended: int
    held: int  # counted meetings that have started
    remaining: int  # counted meetings still to come
    threshold_percent: int
    absent_in_a_row: int = 0  # the latest marked meetings marked absent
    absent_since: int | None = None  # the first meeting of that streak

    @property
    def total(self) -> int:
        return self.held + self.remaining

    @property
    def percent(self) -> Decimal | None:
        """Attendance so far, rounded to one decimal; None before any meeting."""
        if not self.held:
            return None
        value = Decimal(self.attended * 100) / Decimal(self.held)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def best_possible_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return Decimal((self.attended + self.remaining) * 100) / Decimal(self.total)

    @property
    def below_threshold(self) -> bool:
        return self.percent is not None and self.percent < self.threshold_percent

    @property
    def threshold_reachable(self) -> bool:
        best = self.best_possible_percent
        return best is None or best >= self.threshold_percent

    @property
    def final_percent(self) -> Decimal | None:
        """The rate over all counted meetings: the one completion uses once the
        run has ended."""
        if not self.total:
            return None
        value = Decimal(self.attended * 100) / Decimal(self.total)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def meeting_counts_for(meeting: Meeting, enrolment: Enrolment) -> bool:
    """Meetings count from the moment the trainee had a seat (a trainee promoted
    from the waitlist is not held to meetings they could not attend)."""
    return meeting.starts_at >= (enrolment.seat_since or enrolment.created_at)


def attendance_summaries(
    enrolments: list[Enrolment],
    *,
    now: dt.datetime | None = None,
    meetings_by_run: dict[int, list[Meeting]] | None = None,
    records: list[AttendanceRecord] | None = None,
) -> dict[int, AttendanceSummary]:
    """Summaries keyed by enrolment id, in two queries whatever the number of
    enrolments, none for what the caller has read already: `meetings_by_run`
    (every meeting of their runs, by run id) and `records` (at least their
    attendance records). Self-paced enrolments (no run) get no summary."""
    now = now or timezone.now()
    with_run = [e for e in enrolments if e.run_id]
    if not with_run:
        return {}
    if meetings_by_run is None:
        meetings_by_run = defaultdict(list)
        for meeting in Meeting.objects.filter(run_id__in={e.run_id for e in with_run}):
            meetings_by_run[meeting.run_id].append(meeting)
    if records is None:
        records = AttendanceRecord.objects.filter(
            enrolment_id__in=[e.pk for e in with_run]
        ).only("enrolment_id", "meeting_id", "status")
    marks = {
        (record.enrolment_id, record.meeting_id): record.status for record in records
    }
    summaries = {}
    for enrolment in with_run:
        course = enrolment.course
        attended_statuses = set(ATTENDED)
        if course.excused_counts_as_present:
            attended_statuses.add(AttendanceRecord.Status.EXCUSED)
        attended = held = remaining = in_a_row = 0
        since = None
        meetings = sorted(
            meetings_by_run.get(enrolment.run_id, ()), key=lambda m: m.starts_at
        )
        for meeting in meetings:
            if not meeting_counts_for(meeting, enrolment):
                continue
            if meeting.starts_at > now:
                remaining += 1
                continue
            held += 1
            mark = marks.get((enrolment.pk, meeting.pk))
            if mark in attended_statuses:
                attended += 1
            if mark == AttendanceRecord.Status.ABSENT:
                in_a_row += 1
                since = since if in_a_row > 1 else meeting.pk
            elif mark is not None:
                in_a_row, since = 0, None
        summaries[enrolment.pk] = AttendanceSummary(
            attended=attended,
            held=held,
            remaining=remaining,
            threshold_percent=course.attendance_threshold_percent,
            absent_in_a_row=in_a_row,
            absent_since=since,
        )
    return summaries
