"""Outcomes that follow the clock.

A meeting counts for attendance once it has started (rules/attendance.py), so
the passing of a start time changes outcomes with no one saving anything: a
register saved at 12:26 for a 12:27 meeting counted nothing when it was saved.
`Meeting.counted_at` records when the run's outcomes were last recomputed with
the meeting started; the sweep (a beat task every few minutes) picks the
meetings that have started since (counted_at empty, or older than the start
after an edit of the meeting's time), recomputes every enrolment of their runs
and marks them counted. A run is recomputed under its row lock, like the
register and closing; a closed run is final and skipped. Running it twice
finds nothing the second time.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from courses.models import CourseRun, Meeting
from enrolments.models import Enrolment
from enrolments.rules.completion import outcomes_recompute

# Runs recomputed per sweep: a backlog (the first sweep after a deployment)
# is worked through a bounded slice at a time.
RUNS_PER_SWEEP = 50
# Enrolments whose outcome can still change: the ones with a seat.
COUNTED_STATUSES = (Enrolment.Status.PENDING, Enrolment.Status.CONFIRMED)


def _needs_count(meeting: Meeting, now: dt.datetime) -> bool:
    return meeting.starts_at <= now and (
        meeting.counted_at is None or meeting.counted_at < meeting.starts_at
    )


def run_outcomes_recompute(
    *, run: CourseRun, enrolment_ids=None, now: dt.datetime | None = None
) -> dict[int, str]:
    """Recompute the outcomes of `run`'s enrolments (those given, else every
    one with a seat) and mark its started meetings counted now. The caller holds
    the run's lock (enrolments.services.closing.run_lock)."""
    now = now or timezone.now()
    if enrolment_ids is None:
        enrolment_ids = list(
            Enrolment.objects.filter(
                run_id=run.pk, status__in=COUNTED_STATUSES
            ).values_list("pk", flat=True)
        )
    changed = outcomes_recompute(enrolment_ids=enrolment_ids, now=now)
    started = [
        m.pk
        for m in Meeting.objects.filter(run_id=run.pk).only("date", "start_time")
        if m.starts_at <= now
    ]
    if started:
        Meeting.objects.filter(pk__in=started).update(counted_at=now)
    return changed


def meetings_started_uncounted(*, now: dt.datetime | None = None) -> set[int]:
    """Ids of the open runs with a meeting that started since it was last
    counted. The query narrows by day (never counted, or counted on an
    earlier day than the meeting, or a meeting of today); the exact start is
    compared here, in the academy's time zone."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Meeting.objects.filter(
        Q(counted_at__isnull=True) | Q(counted_at__date__lt=F("date")) | Q(date=today),
        date__lte=today,
        run__closed_at__isnull=True,
    ).only("run_id", "date", "start_time", "counted_at")
    return {m.run_id for m in candidates if _needs_count(m, now)}


def outcomes_sweep(*, now: dt.datetime | None = None) -> int:
    """Recompute the runs whose meetings started since they were last counted
    (at most RUNS_PER_SWEEP, oldest id first); how many runs were done."""
    now = now or timezone.now()
    run_ids = sorted(meetings_started_uncounted(now=now))[:RUNS_PER_SWEEP]
    done = 0
    for run_id in run_ids:
        with transaction.atomic():
            run = CourseRun.objects.select_for_update(of=("self",)).get(pk=run_id)
            if run.is_closed:
                continue
            run_outcomes_recompute(run=run, now=now)
            done += 1
    return done
