"""The seat counter and the row locks every seat change shares.

Pending, confirmed and offered enrolments hold a seat, counted in
`CourseRun.seats_taken`. Whoever takes or frees one locks the run row first,
then the enrolment (the lock order everywhere), so the counter and the rows
stay in step under concurrent requests.
"""

from django.db.models import F

from academy_site.public_cache import public_pages_changed
from courses.models import CourseRun
from enrolments.models import Enrolment


def enrolment_locked(enrolment: Enrolment) -> Enrolment:
    """Re-read the enrolment under lock, its run first (the lock order)."""
    if enrolment.run_id:
        CourseRun.objects.select_for_update().filter(pk=enrolment.run_id).first()
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("run", "course", "trainee")
        .get(pk=enrolment.pk)
    )


def seats_take(run_id: int, count: int = 1) -> None:
    CourseRun.objects.filter(pk=run_id).update(seats_taken=F("seats_taken") + count)
    # The course page and the catalogue show the seats left.
    public_pages_changed()


def seats_free(run_id: int, count: int = 1) -> None:
    CourseRun.objects.filter(pk=run_id, seats_taken__gte=count).update(
        seats_taken=F("seats_taken") - count
    )
    public_pages_changed()
