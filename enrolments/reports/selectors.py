"""The numbers behind the enrolment reports (enrolments/reports/views.py),
each one aggregate query (or a fixed few) done in the database, so the cost
does not grow with the number of enrolments read and the query count never
does. Every function takes the validated ReportFilters; the period is the
date the enrolment was made.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncTime
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Meeting
from enrolments.models import AttendanceRecord, Enrolment, MembershipClaim
from enrolments.reports.filters import ReportFilters

Status = Enrolment.Status

# The order of the statuses in the "by course" report: the way an enrolment
# usually goes, then the ways it ends early.
STATUS_ORDER = [
    Status.CONFIRMED,
    Status.PENDING,
    Status.OFFERED,
    Status.WAITLISTED,
    Status.COMPLETED,
    Status.NOT_COMPLETED,
    Status.CANCELLED,
    Status.REJECTED,
]

# Enrolments that hold or held a seat in their run: the ones expected to
# attend and complete (cancelled, rejected and waitlisted ones never sat in).
SEAT_HELD = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NOT_COMPLETED)

# Enrolments that ended with a result: set when their run closes (and, for a
# self-paced course, completed when the rules are met).
FINISHED = (Status.COMPLETED, Status.NOT_COMPLETED)

# Enrolments the academy bills: confirmed ones, and those that were confirmed
# and have since finished (completed or not).
BILLABLE = (Status.CONFIRMED, Status.COMPLETED, Status.NOT_COMPLETED)

NO_OUTCOME = "none"


def percent(part, whole) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when whole is 0."""
    if not whole:
        return None
    value = Decimal(part * 100) / Decimal(whole)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def scope_q(filters: ReportFilters, prefix: str = "") -> Q:
    """The filters as a Q on Enrolment, reached through `prefix` (e.g.
    "enrolment__" from AttendanceRecord or Certificate)."""
    q = Q()
    start, end = filters.moment_range()
    if start:
        q &= Q(**{f"{prefix}created_at__gte": start})
    if end:
        q &= Q(**{f"{prefix}created_at__lt": end})
    if filters.course:
        q &= Q(**{f"{prefix}course": filters.course})
    if filters.organisation:
        q &= Q(**{f"{prefix}organisation": filters.organisation})
    return q


def enrolments_in_scope(filters: ReportFilters) -> QuerySet[Enrolment]:
    """The enrolments the filters select, unordered (ready to aggregate)."""
    return Enrolment.objects.filter(scope_q(filters)).order_by()


def _sum_rows(rows: list[dict], keys) -> dict:
    """A totals row: the sums of already aggregated rows (a few hundred at
    most, one per course or organisation)."""
    return {key: sum((row[key] or 0) for row in rows) for key in keys}


# --- 1. Enrolments by course -------------------------------------------------


def enrolments_by_course(filters: ReportFilters) -> tuple[list[dict], dict]:
    """Per course: the number of enrolments in each status and in all.
    Returns (rows ordered by course title, totals)."""
    counts = {
        status.value: Count("pk", filter=Q(status=status)) for status in STATUS_ORDER
    }
    rows = list(
        enrolments_in_scope(filters)
        .values("course_id", course_title=F("course__title"))
        .annotate(**counts, total=Count("pk"))
        .order_by("course_title", "course_id")
    )
    totals = _sum_rows(rows, [*counts, "total"])
    return rows, {"course_title": _("Total"), **totals}


# --- 2. Members and non-members -----------------------------------------------


def members_by_course(filters: ReportFilters) -> tuple[list[dict], dict]:
    """Per course: enrolments (in any status) by the enrolment's member
    snapshot, with the members' share. Returns (rows, totals)."""
    rows = list(
        enrolments_in_scope(filters)
        .values("course_id", course_title=F("course__title"))
        .annotate(
            members=Count("pk", filter=Q(is_member=True)),
            non_members=Count("pk", filter=Q(is_member=False)),
            total=Count("pk"),
        )
        .order_by("course_title", "course_id")
    )
    for row in rows:
        row["members_percent"] = percent(row["members"], row["total"])
    totals = _sum_rows(rows, ["members", "non_members", "total"])
    totals["members_percent"] = percent(totals["members"], totals["total"])
    return rows, {"course_title": _("Total"), **totals}


# --- 3. Completion and attendance ---------------------------------------------


def attendance_counts(
    filters: ReportFilters,
    *,
    group_by: str = "run_id",
    enrolment_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> dict[object, tuple[int, int]]:
    """{group: (attended, held)} over enrolments that held a seat, grouped by
    an Enrolment field ("run_id", or "id" for one row per enrolment); groups
    with no meeting held are left out. The same meaning as
    enrolments/rules/attendance.py: a meeting counts when it started at or
    after the moment the trainee got a seat (seat_since, else created_at) and
    has started by `now`; present and late count as attended, excused too when
    the course says so; a held meeting without a mark counts as absent.

    Per run, the usual case is that every trainee had their seat before the
    run's first meeting: then every held meeting counts for every trainee, and
    the figures come from plain counts (one query for the seats, one for the
    meetings, one for the marks). Only runs where someone got a seat later are
    counted pair by pair in SQL (_attendance_pairwise), which compares each
    seat with each meeting in local time.
    """
    now = now or timezone.now()
    if group_by != "run_id" or enrolment_ids is not None:
        return _attendance_pairwise(
            filters, group_by=group_by, enrolment_ids=enrolment_ids, now=now
        )
    seats = (
        Enrolment.objects.filter(_held_seat_q(filters))
        .order_by()
        .values("run_id")
        .annotate(
            trainees=Count("pk"), last_seat=Max(Coalesce("seat_since", "created_at"))
        )
    )
    seats = {row["run_id"]: row for row in seats}
    held_by_run = defaultdict(list)
    for meeting in Meeting.objects.filter(run_id__in=list(seats)).only(
        "run_id", "date", "start_time"
    ):
        if meeting.starts_at <= now:
            held_by_run[meeting.run_id].append(meeting.starts_at)
    simple, late = {}, []
    for run_id, row in seats.items():
        held = held_by_run.get(run_id)
        if not held:
            continue
        if row["last_seat"] <= min(held):
            simple[run_id] = row["trainees"] * len(held)
        else:
            late.append(run_id)
    result = {}
    if simple:
        attended = dict(
            AttendanceRecord.objects.filter(
                _held_seat_q(filters, "enrolment__"),
                _attended_q(),
                _started_q("meeting__", now),
                enrolment__run_id__in=list(simple),
                meeting__run_id=F("enrolment__run_id"),
            )
            .order_by()
            .values_list("enrolment__run_id")
            .annotate(attended=Count("pk"))
            .values_list("enrolment__run_id", "attended")
        )
        result = {run: (attended.get(run, 0), held) for run, held in simple.items()}
    if late:
        result.update(
            _attendance_pairwise(filters, group_by="run_id", run_ids=late, now=now)
        )
    return result


def _held_seat_q(filters: ReportFilters, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}status__in": SEAT_HELD, f"{prefix}run__isnull": False}
    ) & scope_q(filters, prefix)


def _attended_q() -> Q:
    """Attendance marks that count as attended (on AttendanceRecord)."""
    return Q(
        status__in=[AttendanceRecord.Status.PRESENT, AttendanceRecord.Status.LATE]
    ) | Q(
        status=AttendanceRecord.Status.EXCUSED,
        enrolment__course__excused_counts_as_present=True,
    )


def _started_q(meeting: str, now: dt.datetime) -> Q:
    """Meetings (reached through `meeting`) that have started by `now`;
    meetings are stored as a local date and start time."""
    local_now = timezone.localtime(now)
    return Q(**{f"{meeting}date__lt": local_now.date()}) | Q(
        **{
            f"{meeting}date": local_now.date(),
            f"{meeting}start_time__lte": local_now.time(),
        }
    )


def _after_seat_q(enrolment: str, meeting: str) -> Q:
    """Meetings that started at or after the enrolment's seat, compared in
    local time (the meeting's date and start time are local)."""
    local = timezone.get_current_timezone()
    seat = Coalesce(f"{enrolment}seat_since", f"{enrolment}created_at")
    seat_date = TruncDate(seat, tzinfo=local)
    seat_time = TruncTime(seat, tzinfo=local)
    return Q(**{f"{meeting}date__gt": seat_date}) | Q(
        **{f"{meeting}date": seat_date, f"{meeting}start_time__gte": seat_time}
    )


def _attendance_pairwise(
    filters: ReportFilters,
    *,
    group_by: str,
    now: dt.datetime,
    enrolment_ids: list[int] | None = None,
    run_ids: list[int] | None = None,
) -> dict[object, tuple[int, int]]:
    """attendance_counts() seat by meeting, in two queries: every (enrolment,
    held meeting) pair after the seat, and every attended mark among them."""
    enrolments, records = _held_seat_q(filters), _held_seat_q(filters, "enrolment__")
    if enrolment_ids is not None:
        enrolments &= Q(pk__in=enrolment_ids)
        records &= Q(enrolment_id__in=enrolment_ids)
    if run_ids is not None:
        enrolments &= Q(run_id__in=run_ids)
        records &= Q(enrolment__run_id__in=run_ids)
    held = dict(
        Enrolment.objects.filter(enrolments)
        # One filter() call, so both conditions apply to the same meeting.
        .filter(
            _after_seat_q("", "run__meetings__") & _started_q("run__meetings__", now)
        )
        .order_by()
        .values_list(group_by)
        .annotate(held=Count("run__meetings"))
        .values_list(group_by, "held")
    )
    attended = dict(
        AttendanceRecord.objects.filter(
            records,
            _attended_q(),
            _after_seat_q("enrolment__", "meeting__"),
            _started_q("meeting__", now),
            meeting__run_id=F("enrolment__run_id"),
        )
        .order_by()
        .values_list(f"enrolment__{group_by}")
        .annotate(attended=Count("pk"))
        .values_list(f"enrolment__{group_by}", "attended")
    )
    return {key: (attended.get(key, 0), count) for key, count in held.items()}


def completion_and_attendance(
    filters: ReportFilters, *, now=None
) -> tuple[list[dict], dict]:
    """Per course and run (self-paced enrolments: one row per course with no
    run), among enrolments that held a seat: how many, how many finished (a
    run's closing sets completed or not completed), how many completed, the
    completion rate, and meetings attended out of meetings held (attendance
    rate, pooled over the run's trainees). Returns (rows, totals).

    A run's completion rate is completed / finished, so a run that has not
    closed (let alone started) has none yet: None, shown as "—", never 0 %.
    A self-paced course never closes: its rate is completed / with a seat.
    """
    held_seat = Q(status__in=SEAT_HELD)
    rows = list(
        enrolments_in_scope(filters)
        .filter(held_seat)
        .values(
            "course_id",
            "run_id",
            course_title=F("course__title"),
            run_starts_on=F("run__starts_on"),
            run_ends_on=F("run__ends_on"),
        )
        .annotate(
            with_seat=Count("pk"),
            finished=Count("pk", filter=Q(status__in=FINISHED)),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
        )
        .order_by("course_title", "course_id", "run_starts_on", "run_id")
    )
    attendance = attendance_counts(filters, group_by="run_id", now=now)
    for row in rows:
        row["completion_base"] = row["finished"] if row["run_id"] else row["with_seat"]
        row["completion_percent"] = percent(row["completed"], row["completion_base"])
        attended, held = attendance.get(row["run_id"], (0, 0))
        row["attended"], row["held"] = attended, held
        row["attendance_percent"] = percent(attended, held)
        row["run_label"] = (
            f"{row['run_starts_on']:%Y-%m-%d} – {row['run_ends_on']:%Y-%m-%d}"
            if row["run_id"]
            else _("Self-paced")
        )
    totals = _sum_rows(
        rows,
        ["with_seat", "finished", "completed", "completion_base", "attended", "held"],
    )
    totals["completion_percent"] = percent(
        totals["completed"], totals["completion_base"]
    )
    totals["attendance_percent"] = percent(totals["attended"], totals["held"])
    return rows, {"course_title": _("Total"), "run_label": "", **totals}


# --- 5. Revenue due -----------------------------------------------------------


def revenue_due(
    filters: ReportFilters, *, by: str = "course"
) -> tuple[list[dict], dict]:
    """Price snapshot × billable enrolments, split by member snapshot, per
    course (by="course") or per organisation (by="organisation"; trainees
    without one are the row with no organisation). Returns (rows, totals);
    amounts in RSD."""
    if by == "organisation":
        group = {
            "group_id": F("organisation_id"),
            "group_name": F("organisation__name"),
        }
    else:
        group = {"group_id": F("course_id"), "group_name": F("course__title")}
    member, non_member = Q(is_member=True), Q(is_member=False)
    zero = Decimal("0")
    rows = list(
        enrolments_in_scope(filters)
        .filter(status__in=BILLABLE)
        .values(**group)
        .annotate(
            member_count=Count("pk", filter=member),
            member_revenue=Sum("price", filter=member, default=zero),
            non_member_count=Count("pk", filter=non_member),
            non_member_revenue=Sum("price", filter=non_member, default=zero),
            total_count=Count("pk"),
            total_revenue=Sum("price", default=zero),
        )
        .order_by("group_name", "group_id")
    )
    cents = Decimal("0.01")
    for row in rows:
        if row["group_id"] is None:
            row["group_name"] = _("No organisation")
        # SQLite's SUM drops trailing zeros; amounts always have two decimals.
        for key in ("member_revenue", "non_member_revenue", "total_revenue"):
            row[key] = Decimal(row[key]).quantize(cents)
    keys = [
        "member_count",
        "member_revenue",
        "non_member_count",
        "non_member_revenue",
        "total_count",
        "total_revenue",
    ]
    return rows, {"group_name": _("Total"), **_sum_rows(rows, keys)}


# --- 5. Organisation claims ----------------------------------------------------


def claims_by_organisation(filters: ReportFilters) -> tuple[list[dict], dict]:
    """Per organisation: the claims made in the period by where they stand now
    (waiting, confirmed, refused, ended), and how the confirmed ones were
    confirmed (e-mail domain, invitation, coordinator, academy). The course
    filter does not apply: a claim names no course. Returns (rows, totals)."""
    claims = MembershipClaim.objects.order_by()
    start, end = filters.moment_range()
    if start:
        claims = claims.filter(made_at__gte=start)
    if end:
        claims = claims.filter(made_at__lt=end)
    if filters.organisation:
        claims = claims.filter(organisation=filters.organisation)
    Claim = MembershipClaim.Status
    Method = MembershipClaim.Method
    confirmed = Q(status=Claim.CONFIRMED)
    rows = list(
        claims.values("organisation_id", organisation_name=F("organisation__name"))
        .annotate(
            pending=Count("pk", filter=Q(status=Claim.PENDING)),
            confirmed=Count("pk", filter=confirmed),
            refused=Count("pk", filter=Q(status=Claim.REFUSED)),
            ended=Count("pk", filter=Q(status=Claim.ENDED)),
            by_domain=Count("pk", filter=confirmed & Q(method=Method.DOMAIN)),
            by_invitation=Count("pk", filter=confirmed & Q(method=Method.JOIN_LINK)),
            by_coordinator=Count("pk", filter=confirmed & Q(method=Method.COORDINATOR)),
            by_academy=Count(
                "pk",
                filter=confirmed & Q(method__in=[Method.ADMIN, Method.RECORDED_BEFORE]),
            ),
            total=Count("pk"),
        )
        .order_by("organisation_name", "organisation_id")
    )
    keys = [
        "pending",
        "confirmed",
        "refused",
        "ended",
        "by_domain",
        "by_invitation",
        "by_coordinator",
        "by_academy",
        "total",
    ]
    return rows, {"organisation_name": _("Total"), **_sum_rows(rows, keys)}
