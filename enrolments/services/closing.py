"""Closing a run: every enrolment gets its final status, with the reasons.

A run closes by hand (its instructor or an academy admin, "Close run" on the
run's overview) or on its own `ACADEMY_RUN_CLOSE_GRACE_DAYS` days after its
last meeting (or its end date when it has none), which leaves the grace for
grading; the beat task calls `runs_close_due` daily, and a second call finds
nothing to do.

Closing, in one transaction under the run's row lock (the lock the register
save takes first too, so a register saved at the same moment is either in the
result or refused):
- every confirmed enrolment's outcome is recomputed, final over all meetings,
  and it becomes COMPLETED when the outcome is "completion", NOT_COMPLETED
  otherwise (an "attendance" outcome still grants the attendance certificate),
  with its reasons (rules/reasons.py);
- a request that never got a place (pending approval, or on the waitlist) ends
  as CANCELLED with the reason "run closed": the run it asked for is over, and
  leaving it pending would keep a trainee waiting for a decision that can no
  longer come; a pending request's seat is freed;
- each trainee is e-mailed the result in their language (the outbox), the
  close goes to the audit log, and `run_closed` lets certificates request
  what the outcomes grant, in the same transaction.

Reopening (academy admins, with a reason) puts the finished enrolments back to
confirmed and recomputes their outcomes; a later close decides again and
e-mails again. Requests cancelled at the close stay cancelled: their trainees
were told, and may enrol again if the run opens for enrolment.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from academy_site.public_cache import public_pages_changed
from courses.models import CourseRun
from courses.services import run_facts_record
from enrolments import audit
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.notifications import outcome_notice_queue
from enrolments.rules.completion import COMPLETION, outcomes_recompute, standings
from enrolments.rules.reasons import RUN_CLOSED, final_reasons
from enrolments.signals import run_closed, run_reopened

Status = Enrolment.Status
DEFAULT_GRACE_DAYS = 14


class RunClosingError(EnrolmentError):
    message = _("The run could not be closed.")


@dataclass(frozen=True)
class CloseResult:
    completed: int
    not_completed: int
    requests_ended: int


def grace_days() -> int:
    return int(getattr(settings, "ACADEMY_RUN_CLOSE_GRACE_DAYS", DEFAULT_GRACE_DAYS))


def run_closed_message(run: CourseRun) -> str:
    """What a refused change of a closed run tells the user: when, by whom,
    and who can reopen it."""
    values = {"date": date_format(timezone.localtime(run.closed_at), "DATE_FORMAT")}
    if run.closed_by_id:
        values["who"] = run.closed_by.get_full_name() or run.closed_by.get_username()
        text = gettext(
            "This run was closed on %(date)s by %(who)s. Ask an academy admin to "
            "reopen it if something must change."
        )
    else:
        text = gettext(
            "This run was closed automatically on %(date)s. Ask an academy admin "
            "to reopen it if something must change."
        )
    return text % values


def run_lock(*, run_id: int) -> CourseRun:
    """The run, locked for the rest of the transaction: the first lock of every
    change that must not race with closing (closing, the register, grading)."""
    # No join here: PostgreSQL re-reads a row it waited for, but not the rows
    # joined to its old version (closed_by would read as empty).
    return CourseRun.objects.select_for_update().get(pk=run_id)


def refuse_if_closed(run: CourseRun) -> None:
    if run.is_closed:
        raise RunClosingError(run_closed_message(run))


def run_close(
    *, run: CourseRun, by=None, now: dt.datetime | None = None
) -> CloseResult:
    """Close `run` now: final statuses with reasons, e-mails, audit entry and
    certificates (see the module docstring). `by` is None for the automatic
    close. Raises RunClosingError when the run is closed already."""
    with transaction.atomic():
        run = run_lock(run_id=run.pk)
        refuse_if_closed(run)
        now = now or timezone.now()
        taking_part = list(
            Enrolment.objects.filter(run=run, status=Status.CONFIRMED).values_list(
                "pk", flat=True
            )
        )
        outcomes_recompute(enrolment_ids=taking_part, now=now)
        enrolments = list(
            Enrolment.objects.filter(pk__in=taking_part).select_related(
                "course", "run", "trainee__user"
            )
        )
        current = standings(enrolments, now=now)
        for enrolment in enrolments:
            completed = enrolment.outcome == COMPLETION
            enrolment.status = Status.COMPLETED if completed else Status.NOT_COMPLETED
            enrolment.finished_at = now
            enrolment.final_reasons = final_reasons(
                standing=current[enrolment.pk], run_based=True
            )
        Enrolment.objects.bulk_update(
            enrolments, ["status", "finished_at", "final_reasons"]
        )

        requests = list(
            Enrolment.objects.filter(
                run=run,
                status__in=(Status.PENDING, Status.OFFERED, Status.WAITLISTED),
            ).select_related("course", "run", "trainee__user")
        )
        seats_freed = sum(1 for e in requests if e.holds_seat)
        for enrolment in requests:
            enrolment.status = Status.CANCELLED
            enrolment.cancelled_at = enrolment.finished_at = now
            enrolment.final_reasons = [{"code": RUN_CLOSED}]
            if enrolment.waits_for_employer:
                enrolment.employer_approval = Enrolment.EmployerApproval.NOT_ASKED
        Enrolment.objects.bulk_update(
            requests,
            [
                "status",
                "cancelled_at",
                "finished_at",
                "final_reasons",
                "employer_approval",
            ],
        )
        CourseRun.objects.filter(pk=run.pk).update(
            closed_at=now,
            closed_by=by,
            seats_taken=F("seats_taken") - seats_freed,
        )
        public_pages_changed()  # the run no longer shows as taking enrolments
        run.closed_at, run.closed_by = now, by

        for enrolment in enrolments + requests:
            outcome_notice_queue(enrolment=enrolment)
        result = CloseResult(
            completed=sum(1 for e in enrolments if e.status == Status.COMPLETED),
            not_completed=sum(
                1 for e in enrolments if e.status == Status.NOT_COMPLETED
            ),
            requests_ended=len(requests),
        )
        audit.log_run_closed(
            run=run,
            by=by,
            completed=result.completed,
            not_completed=result.not_completed,
            requests_ended=result.requests_ended,
        )
        # What the certificates print is fixed now at the latest (a run
        # recorded when it started keeps that record).
        run_facts_record(run=run)
        run_closed.send(sender=CourseRun, run_id=run.pk, by=by)
        return result


def run_reopen(*, run: CourseRun, by, reason: str) -> CourseRun:
    """Reopen a closed run (academy admins; the view asks enrolments.access):
    its finished enrolments are confirmed again and their outcomes recomputed,
    so marks and grades can be corrected and the run closed again. Raises
    RunClosingError without a reason or when the run is not closed."""
    reason = (reason or "").strip()
    if not reason:
        raise RunClosingError(gettext("Give the reason for reopening the run."))
    with transaction.atomic():
        run = run_lock(run_id=run.pk)
        if not run.is_closed:
            raise RunClosingError(gettext("This run is not closed."))
        finished = Enrolment.objects.filter(
            run=run, status__in=(Status.COMPLETED, Status.NOT_COMPLETED)
        )
        ids = list(finished.values_list("pk", flat=True))
        finished.update(status=Status.CONFIRMED, finished_at=None, final_reasons=[])
        CourseRun.objects.filter(pk=run.pk).update(closed_at=None, closed_by=None)
        public_pages_changed()
        run.closed_at, run.closed_by = None, None
        outcomes_recompute(enrolment_ids=ids)
        audit.log_run_reopened(run=run, by=by, reason=reason, enrolments=len(ids))
        run_reopened.send(sender=CourseRun, run_id=run.pk, by=by, reason=reason)
        return run


def runs_due_for_closing(*, today: dt.date | None = None):
    """Open runs whose last meeting (or end date, without meetings) was at
    least the grace period ago."""
    today = today or timezone.localdate()
    last_day = today - dt.timedelta(days=grace_days())
    return (
        CourseRun.objects.filter(closed_at__isnull=True, starts_on__lte=last_day)
        .annotate(last_day=Coalesce(Max("meetings__date"), F("ends_on")))
        .filter(last_day__lte=last_day)
        .order_by("pk")
    )


def runs_close_due(*, today: dt.date | None = None) -> list[int]:
    """Close every run due (the daily beat task); the ids closed now. Each run
    closes in its own transaction; one closed meanwhile (by hand, or by a
    second run of this task) is skipped."""
    closed = []
    for run_id in runs_due_for_closing(today=today).values_list("pk", flat=True):
        try:
            run_close(run=CourseRun(pk=run_id))
        except RunClosingError:
            continue
        closed.append(run_id)
    return closed


def self_paced_finish_notify(*, enrolment_id: int) -> bool:
    """Tell the trainee of a self-paced enrolment that the completion rules
    just finished that they completed the course (once per finishing, by the
    outbox's key); nothing for any other enrolment."""
    enrolment = (
        Enrolment.objects.filter(
            pk=enrolment_id, run__isnull=True, status=Status.COMPLETED
        )
        .select_related("course", "trainee__user")
        .first()
    )
    if enrolment is None:
        return False
    return outcome_notice_queue(enrolment=enrolment)
