"""Celery tasks of the enrolments app: thin, taking ids, safe to run twice.
E-mails go through the academy's outbox (academy_site/outbox/)."""

from celery import shared_task

from enrolments.notifications import low_attendance_warn
from enrolments.services import (
    closing,
    evaluations,
    outcome_sweep,
    reminders,
    summaries,
    waitlist,
)


@shared_task(acks_late=True)
def warn_low_attendance(run_id: int) -> int:
    return low_attendance_warn(run_id=run_id)


@shared_task(acks_late=True)
def sweep_meeting_outcomes() -> int:
    """Recompute the outcomes of runs whose meetings have started since they
    were last counted (beat, every few minutes)."""
    return outcome_sweep.outcomes_sweep()


@shared_task(acks_late=True)
def close_due_runs() -> list[int]:
    """Close the runs whose grace after the last meeting is over (beat, daily)."""
    return closing.runs_close_due()


@shared_task(acks_late=True)
def send_coordinator_summaries() -> int:
    """Last month's summary to each organisation's coordinators (beat, on the
    first of the month); the outbox sends each once, however often this runs."""
    return summaries.coordinator_summaries_queue()


@shared_task(acks_late=True)
def send_meeting_reminders() -> int:
    """The day-before reminders of the meetings of the next 24 hours (beat,
    every quarter of an hour); the outbox sends each once."""
    return reminders.meeting_reminders_queue()


@shared_task(acks_late=True)
def expire_waitlist_offers() -> int:
    """End the seat offers whose time is up and offer each seat to the next
    person on the waitlist (beat, every five minutes)."""
    return waitlist.offers_expire()


@shared_task(acks_late=True)
def send_evaluation_invitations() -> int:
    """Invite trainees to evaluate courses whose evaluation has opened, and
    remind once those who have not answered (beat, every quarter of an hour);
    the participation rows and the outbox send each once."""
    return evaluations.evaluation_invitations_queue()
