"""Celery tasks of courses: thin, safe to run twice. Queued by name (see
academy_site/dispatch.py) or run by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from courses.services import runs_started_facts_record


@shared_task(acks_late=True)
def record_run_facts() -> int:
    """Daily: record the facts of the runs that have started (a run records
    them once, so a second run of the task the same day records nothing)."""
    return runs_started_facts_record()
