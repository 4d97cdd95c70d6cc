"""Reads of enrolments for My learning, the course page and the admin, with
their joins made, in a number of queries that does not grow with the rows."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.access import runs_taught_by
from courses.locales import with_translations
from courses.models import (
    CancelledMeeting,
    CourseRun,
    EvaluationForm,
    Meeting,
    ModulePage,
)
from enrolments.ics import CalendarEntry, meeting_entry, removed_meeting_entry
from enrolments.models import (
    AttendanceRecord,
    Enrolment,
    Evaluation,
    EvaluationParticipation,
    JoinLink,
    MembershipClaim,
    ModuleProgress,
    QuizAttempt,
    TraineeProfile,
)
from enrolments.models.enrolment import ACTIVE_STATUSES, STUDYING_STATUSES
from enrolments.rules.completion import (
    COMPLETION,
    NONE,
    live_modules_by_course,
    modules_done,
    outcome_of,
    standings,
)
from enrolments.rules.evaluations import (
    ANSWERING_STATUSES,
    TOOK_PART_MARKS,
    evaluation_window,
    took_part,
)
from enrolments.rules.reasons import RUN_CLOSED, final_reasons, reasons_text


def with_waitlist_position(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate `waitlist_position` (1 = next to get a seat) on waitlisted rows."""
    ahead = (
        Enrolment.objects.filter(
            run=OuterRef("run"), status=Enrolment.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("run")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return enrolments.annotate(waitlist_ahead=Coalesce(Subquery(ahead), 0))


def enrolments_for_trainee(*, trainee: TraineeProfile) -> list[Enrolment]:
    """Everything My learning shows: each enrolment with its course, run, the
    run's meetings (`all_meetings`, in order) and upcoming ones
    (`upcoming_meetings`), its attendance records (`attendance_records`) and
    waitlist position. Today's meetings count as upcoming all day;
    yesterday's only while they last (an evening meeting running past
    midnight keeps its check-in)."""
    now = timezone.now()
    today = timezone.localdate(now)
    enrolments = list(
        Enrolment.objects.filter(trainee=trainee)
        .select_related("course", "run", "organisation")
        # The course's content is not shown here; it can be long.
        .defer("course__body")
        .prefetch_related(
            Prefetch(
                "run__meetings",
                queryset=Meeting.objects.order_by("date", "start_time"),
                to_attr="all_meetings",
            )
        )
        .order_by("-created_at", "-pk")
    )
    # Positions only for the waitlisted, seldom any: a query only then.
    waitlisted = [e.pk for e in enrolments if e.status == Enrolment.Status.WAITLISTED]
    ahead = (
        dict(
            with_waitlist_position(
                Enrolment.objects.filter(pk__in=waitlisted)
            ).values_list("pk", "waitlist_ahead")
        )
        if waitlisted
        else {}
    )
    for enrolment in enrolments:
        meetings = [
            meeting
            for meeting in (enrolment.run.all_meetings if enrolment.run else [])
            if meeting.date >= today
            or (meeting.date >= today - dt.timedelta(days=1) and meeting.ends_at > now)
        ]
        if enrolment.run:
            enrolment.run.upcoming_meetings = meetings
        enrolment.next_meeting = meetings[0] if meetings else None
        enrolment.waitlist_position = (
            ahead[enrolment.pk] + 1
            if enrolment.status == Enrolment.Status.WAITLISTED
            else None
        )
    records_attach(enrolments)
    return enrolments


def records_attach(enrolments: list[Enrolment]) -> None:
    """Set `attendance_records` on each enrolment (its marks, for the
    attendance rules) and `next_meeting_mark`: its record for its next
    meeting (a check-in, or the register's mark), or None; one query
    whatever the number of enrolments. My learning shows "Checked in at
    11:03 (late)" with it instead of offering the check-in again."""
    by_enrolment = defaultdict(list)
    with_run = [e.pk for e in enrolments if e.run_id]
    if with_run:
        for record in AttendanceRecord.objects.filter(enrolment_id__in=with_run):
            by_enrolment[record.enrolment_id].append(record)
    for enrolment in enrolments:
        enrolment.attendance_records = by_enrolment.get(enrolment.pk, [])
        meeting = enrolment.next_meeting
        enrolment.next_meeting_mark = (
            next(
                (r for r in enrolment.attendance_records if r.meeting_id == meeting.pk),
                None,
            )
            if meeting
            else None
        )


def check_in_mark(*, trainee, meeting) -> AttendanceRecord | None:
    """The trainee's attendance record for `meeting`, if any: what the
    check-in page shows instead of asking for the code again."""
    if trainee is None:
        return None
    return AttendanceRecord.objects.filter(
        meeting=meeting, enrolment__trainee=trainee
    ).first()


def modules_to_continue(
    enrolments: list[Enrolment],
    request=None,
    *,
    modules_by_course: dict[int, list[ModulePage]] | None = None,
    done: dict[int, set[int]] | None = None,
) -> dict:
    """{enrolment id: the first live module of its course the trainee has not
    marked done}, for My learning's "Continue" button; enrolments that do
    not study, or have done every module, are left out. Each module has
    `shown` and `shown_url` in the reader's language. A fixed number of
    queries, whatever the number of enrolments and modules; none for the
    modules and progress when the caller has read them
    (`live_modules_by_course` and `modules_done` of rules/completion.py)."""
    studying = [e for e in enrolments if e.status in STUDYING_STATUSES]
    if not studying:
        return {}
    if modules_by_course is None:
        modules_by_course = live_modules_by_course([e.course for e in studying])
    if done is None:
        done = modules_done([e.pk for e in studying])
    result = {}
    for enrolment in studying:
        result_module = next(
            (
                module
                for module in modules_by_course.get(enrolment.course_id, [])
                if module.pk not in done.get(enrolment.pk, ())
            ),
            None,
        )
        if result_module is not None:
            result[enrolment.pk] = result_module
    with_translations(list(result.values()), request)
    return result


def active_enrolments_by_run(*, user, course) -> dict:
    """The user's active enrolments in a course keyed by run id (None for a
    self-paced enrolment), for the course page's enrol buttons."""
    trainee = getattr(user, "trainee", None) if user.is_authenticated else None
    if trainee is None:
        return {}
    return {
        enrolment.run_id: enrolment
        for enrolment in Enrolment.objects.filter(
            trainee=trainee, course_id=course.pk, status__in=ACTIVE_STATUSES
        )
    }


def enrolments_for_admin() -> QuerySet[Enrolment]:
    """The admin's Enrolments listing, its exports and bulk actions: each row
    with its trainee's login, course, run (and the run's course, for its name)
    and organisation joined in, so a page of rows costs one query."""
    return Enrolment.objects.select_related(
        "trainee__user", "course", "run__course", "organisation"
    )


def trainees_for_admin() -> QuerySet[TraineeProfile]:
    """The admin's Trainees listing: each trainee with their login, organisation
    and its membership periods (for "member today"), `enrolment_count` and
    `confirmed_staff` (whether their claim to the organisation is confirmed:
    a pending claimant is no member, enrolments/rules/membership.py)."""
    return (
        TraineeProfile.objects.select_related("user", "organisation")
        .prefetch_related("organisation__membership_periods")
        .annotate(
            enrolment_count=Count("enrolments"),
            confirmed_staff=Exists(
                MembershipClaim.objects.filter(
                    trainee=OuterRef("pk"), status=MembershipClaim.Status.CONFIRMED
                )
            ),
        )
    )


def quiz_attempters(*, module_id: int, quiz_ids: list[str]) -> dict[str, int]:
    """How many trainees have attempted each of the quizzes `quiz_ids` of the
    (original) module `module_id`, in one query; quizzes no one attempted are
    left out."""
    if not quiz_ids:
        return {}
    rows = (
        QuizAttempt.objects.filter(module_id=module_id, quiz_id__in=quiz_ids)
        .order_by()
        .values("quiz_id")
        .annotate(trainees=Count("enrolment__trainee", distinct=True))
    )
    return {row["quiz_id"]: row["trainees"] for row in rows}


# --- Closing a run ------------------------------------------------------------


@dataclass(frozen=True)
class CloseSummaryRow:
    """What closing now would do to one enrolment: `result` is "completed",
    "not_completed" or "request_ended"; `certificate` the kind the outcome
    grants ("attendance", "completion") or ""."""

    enrolment: Enrolment
    result: str
    reasons: str
    certificate: str


def run_close_summary(*, run, now=None) -> list[CloseSummaryRow]:
    """Who will complete, who will not and why, and which certificates will
    be requested, if `run` closes now: the rules of services/closing.py,
    computed without writing, in a number of queries that does not grow with
    the enrolments. Completed first, then not completed, then requests."""
    now = now or timezone.now()
    taking_part = list(
        Enrolment.objects.filter(run=run, status=Enrolment.Status.CONFIRMED)
        .select_related("course", "trainee", "organisation")
        .order_by("trainee__full_name", "pk")
    )
    current = standings(taking_part, now=now)
    rows = []
    for enrolment in taking_part:
        standing = current[enrolment.pk]
        outcome = outcome_of(enrolment, standing)
        rows.append(
            CloseSummaryRow(
                enrolment=enrolment,
                result="completed" if outcome == COMPLETION else "not_completed",
                reasons=reasons_text(final_reasons(standing=standing, run_based=True)),
                certificate="" if outcome == NONE else outcome,
            )
        )
    requests = (
        Enrolment.objects.filter(
            run=run,
            status__in=(
                Enrolment.Status.PENDING,
                Enrolment.Status.OFFERED,
                Enrolment.Status.WAITLISTED,
            ),
        )
        .select_related("trainee", "organisation")
        .order_by("trainee__full_name", "pk")
    )
    ended = reasons_text([{"code": RUN_CLOSED}])
    rows += [CloseSummaryRow(e, "request_ended", ended, "") for e in requests]
    order = {"completed": 0, "not_completed": 1, "request_ended": 2}
    return sorted(rows, key=lambda row: order[row.result])


# --- An organisation's people, for its coordinator ------------------------------


def organisation_claims(*, organisation) -> dict:
    """The organisation's pending claims (oldest first, to be decided) and its
    confirmed staff (by name, with how many enrolments each has made as its
    staff): a fixed number of queries however many people there are."""
    claims = MembershipClaim.objects.filter(organisation=organisation).select_related(
        "trainee__user"
    )
    pending = claims.filter(status=MembershipClaim.Status.PENDING).order_by(
        "made_at", "pk"
    )
    staff = (
        claims.filter(status=MembershipClaim.Status.CONFIRMED)
        .annotate(
            enrolment_count=Count(
                "trainee__enrolments",
                filter=Q(trainee__enrolments__organisation=organisation),
            )
        )
        .order_by("trainee__full_name", "pk")
    )
    return {"pending": list(pending), "staff": list(staff)}


def join_links_active(*, organisation) -> list:
    """The organisation's shared invitation links that still work, newest
    first (personal invitations are listed by who was invited elsewhere)."""
    now = timezone.now()
    return list(
        JoinLink.objects.filter(
            organisation=organisation,
            email="",
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).order_by("-created_at")
    )


def join_link_for(*, token: str):
    """The invitation behind `token` if it still works, else None."""
    link = JoinLink.objects.select_related("organisation").filter(token=token).first()
    return link if link is not None and link.is_valid() else None


@dataclass(frozen=True)
class StaffEnrolment:
    """One line of an organisation coordinator's view of their staff's
    training: nothing of answers, submissions or grades beyond whether the
    rules are met."""

    enrolment: Enrolment
    attendance_percent: Decimal | None
    progress_percent: int | None
    outcome: str


def organisation_enrolments(*, organisation) -> list[StaffEnrolment]:
    """The enrolments counted for `organisation` (made while the trainee was
    its confirmed staff), newest runs first, with attendance and progress: a
    fixed number of queries however many there are."""
    enrolments = list(
        Enrolment.objects.filter(organisation=organisation)
        .select_related("trainee__user", "course", "run")
        .order_by("-run__starts_on", "-created_at", "pk")
    )
    studying = [e for e in enrolments if e.status in STUDYING_STATUSES]
    by_id = standings(studying)
    lines = []
    for enrolment in enrolments:
        standing = by_id.get(enrolment.pk)
        attendance = standing.attendance if standing else None
        lines.append(
            StaffEnrolment(
                enrolment=enrolment,
                attendance_percent=attendance.percent if attendance else None,
                progress_percent=standing.progress_percent if standing else None,
                outcome=enrolment.get_outcome_display(),
            )
        )
    return lines


def staff_of(*, organisation) -> QuerySet[TraineeProfile]:
    """The organisation's confirmed staff, by name."""
    return (
        TraineeProfile.objects.filter(
            membership_claims__organisation=organisation,
            membership_claims__status=MembershipClaim.Status.CONFIRMED,
        )
        .select_related("user")
        .order_by("full_name", "pk")
    )


def runs_open_for_enrolment(on=None) -> QuerySet[CourseRun]:
    """Runs of live courses whose enrolment window is open on `on` (today),
    soonest first: what a coordinator may enrol staff in. The same window as
    CourseRun.is_open_for_enrolment, as a query."""
    on = on or timezone.localdate()
    return (
        CourseRun.objects.filter(closed_at__isnull=True, course__live=True)
        .filter(Q(enrolment_opens_on__isnull=True) | Q(enrolment_opens_on__lte=on))
        .filter(
            Q(enrolment_closes_on__gte=on)
            | Q(enrolment_closes_on__isnull=True, starts_on__gt=on)
        )
        .select_related("course")
        .order_by("starts_on", "pk")
    )


# Runs that ended longer ago than this drop out of calendar subscriptions.
CALENDAR_FEED_REACH = dt.timedelta(days=120)
ENDED_STATUSES = (Enrolment.Status.CANCELLED, Enrolment.Status.REJECTED)


def calendar_entries_for(*, user, today: dt.date | None = None) -> list:
    """The events of `user`'s calendar subscription (enrolments/ics.py): the
    meetings of every run they have an enrolment in or teach, from runs that
    ended in the last CALENDAR_FEED_REACH on. A place given up or refused
    turns its meetings into cancelled events, as does a meeting removed from
    its run; the online link goes to those with a confirmed place and to the
    run's instructors. Four queries, whatever the number of runs."""
    today = today or timezone.localdate()
    since = today - CALENDAR_FEED_REACH
    entries: dict[int, CalendarEntry] = {}
    titles: dict[int, str] = {}
    enrolments = (
        Enrolment.objects.filter(
            trainee__user=user,
            trainee__erased_at__isnull=True,
            run__isnull=False,
            run__ends_on__gte=since,
        )
        .select_related("course", "run")
        .prefetch_related("run__meetings")
        .order_by("created_at", "pk")
    )
    # Oldest first: a place taken again after a cancellation wins.
    for enrolment in enrolments:
        titles[enrolment.run_id] = enrolment.course.title
        for meeting in enrolment.run.meetings.all():
            entries[meeting.pk] = meeting_entry(
                meeting,
                course_title=enrolment.course.title,
                run=enrolment.run,
                with_link=enrolment.status in STUDYING_STATUSES,
                cancelled=enrolment.status in ENDED_STATUSES,
            )
    taught = (
        runs_taught_by(user)
        .filter(ends_on__gte=since)
        .select_related("course")
        .prefetch_related("meetings")
    )
    for run in taught:
        titles[run.pk] = run.course.title
        for meeting in run.meetings.all():
            entries[meeting.pk] = meeting_entry(
                meeting, course_title=run.course.title, run=run, with_link=True
            )
    for removed in CancelledMeeting.objects.filter(run_id__in=titles):
        entries.setdefault(
            removed.meeting_id,
            removed_meeting_entry(removed, course_title=titles[removed.run_id]),
        )
    return sorted(entries.values(), key=lambda entry: entry.starts_at)


@dataclass(frozen=True)
class EvaluationToAnswer:
    enrolment: Enrolment
    closes_at: dt.datetime | None


def _meetings_of_runs(enrolments: list[Enrolment]) -> dict[int, list[Meeting]]:
    """Each run's meetings: those enrolments_for_trainee loaded, else read."""
    meetings = {
        e.run_id: list(e.run.all_meetings)
        for e in enrolments
        if e.run_id and hasattr(e.run, "all_meetings")
    }
    missing = {e.run_id for e in enrolments if e.run_id and e.run_id not in meetings}
    if missing:
        for meeting in Meeting.objects.filter(run_id__in=missing):
            meetings.setdefault(meeting.run_id, []).append(meeting)
    return meetings


def _attended(enrolments: list[Enrolment]) -> set[int]:
    """The enrolments with a meeting attended (present or late): from the
    marks enrolments_for_trainee loaded, else read."""
    if all(hasattr(e, "attendance_records") for e in enrolments):
        return {
            e.pk
            for e in enrolments
            if any(r.status in TOOK_PART_MARKS for r in e.attendance_records)
        }
    return set(
        AttendanceRecord.objects.filter(
            enrolment_id__in=[e.pk for e in enrolments], status__in=TOOK_PART_MARKS
        ).values_list("enrolment_id", flat=True)
    )


def evaluations_to_answer(
    *, enrolments: list[Enrolment], now: dt.datetime | None = None
) -> list[EvaluationToAnswer]:
    """The course evaluations among `enrolments` (course and run loaded) that
    their trainee may answer now and has not: the window open, the trainee
    took part (enrolments/rules/evaluations.py), a form to answer. Reuses
    the runs' meetings and the marks enrolments_for_trainee loaded (My
    learning); three queries then, five at most otherwise, whatever the
    number of enrolments; none without a candidate."""
    now = now or timezone.now()
    candidates = [
        e
        for e in enrolments
        if e.status in ANSWERING_STATUSES
        and (e.run is None or e.run.starts_on <= timezone.localdate(now))
    ]
    if not candidates:
        return []
    answered = set(
        EvaluationParticipation.objects.filter(
            enrolment_id__in=[e.pk for e in candidates], answered=True
        ).values_list("enrolment_id", flat=True)
    )
    candidates = [e for e in candidates if e.pk not in answered]
    if not candidates:
        return []
    meetings = _meetings_of_runs(candidates)
    attended = _attended(candidates)
    # Modules count only where there are no meetings to come to.
    no_meetings = [e.pk for e in candidates if not meetings.get(e.run_id)]
    studied = set(
        ModuleProgress.objects.filter(enrolment_id__in=no_meetings).values_list(
            "enrolment_id", flat=True
        )
        if no_meetings
        else ()
    )
    with_form = set(
        EvaluationForm.objects.filter(is_default=True).values_list(
            "locale_id", flat=True
        )
    )
    opened = set(
        Evaluation.objects.filter(
            Q(run_id__in={e.run_id for e in candidates if e.run_id})
            | Q(course_id__in={e.course_id for e in candidates}, run__isnull=True)
        ).values_list("course_id", "run_id")
    )
    to_answer = []
    for enrolment in candidates:
        course = enrolment.course
        has_form = (
            course.evaluation_form_id
            or course.locale_id in with_form
            or (course.pk, enrolment.run_id) in opened
        )
        run_meetings = meetings.get(enrolment.run_id, [])
        window = evaluation_window(
            run=enrolment.run, meetings=run_meetings, days=course.evaluation_days
        )
        if (
            has_form
            and window.is_open(now)
            and took_part(
                status=enrolment.status,
                has_meetings=bool(run_meetings),
                attended=enrolment.pk in attended,
                modules_done=enrolment.pk in studied,
            )
        ):
            to_answer.append(EvaluationToAnswer(enrolment, window.closes_at))
    return to_answer


def enrolments_held_for_evaluation(*, run: CourseRun) -> set[int]:
    """The run's enrolments whose certificate waits for the course evaluation
    (CoursePage.evaluation_required, a form to answer, not answered yet):
    the same test as services.evaluations.evaluation_holds_certificate, for a
    whole run in three queries at most."""
    course = run.course
    if not course.evaluation_required:
        return set()
    has_form = (
        course.evaluation_form_id
        or EvaluationForm.objects.filter(
            is_default=True, locale_id=course.locale_id
        ).exists()
        or Evaluation.objects.filter(run=run).exists()
    )
    if not has_form:
        return set()
    answered = EvaluationParticipation.objects.filter(
        enrolment__run=run, answered=True
    ).values("enrolment_id")
    return set(
        Enrolment.objects.filter(run=run)
        .exclude(pk__in=answered)
        .values_list("pk", flat=True)
    )
