"""Who may see and mark the attendance of which runs.

Every view of the teaching pages looks its run or meeting up through these
querysets, so a run the user does not teach answers 404 (never 403, which would
confirm that the id exists). The same helper can scope menus and admin panels.
"""

from django.db.models import QuerySet
from django.http import Http404

from courses.models import CourseRun, Meeting

MANAGE_ALL_PERMISSION = "enrolments.change_attendancerecord"


def manages_all_runs(user) -> bool:
    """Superusers and academy admins (who may change any attendance record)."""
    return user.is_active and (
        user.is_superuser or user.has_perm(MANAGE_ALL_PERMISSION)
    )


def teaches_or_manages(user) -> bool:
    """Instructors (with an Instructor profile, runs or not), academy admins and
    anyone else with access to the Wagtail admin."""
    return user.is_active and (
        manages_all_runs(user)
        or hasattr(user, "instructor")
        or user.has_perm("wagtailadmin.access_admin")
    )


def runs_managed_by(user) -> QuerySet[CourseRun]:
    """Every run for academy admins; for an instructor, the runs they teach."""
    if not user.is_authenticated or not user.is_active:
        return CourseRun.objects.none()
    if manages_all_runs(user):
        return CourseRun.objects.all()
    # Instructor.user is one-to-one, so the join adds at most one row per run.
    return CourseRun.objects.filter(instructors__user=user)


def meetings_managed_by(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(run__in=runs_managed_by(user))


def managed_run_or_404(user, run_id: int) -> CourseRun:
    run = runs_managed_by(user).select_related("course").filter(pk=run_id).first()
    if run is None:
        raise Http404("No run of yours has this id.")
    return run


def managed_meeting_or_404(user, meeting_id: int) -> Meeting:
    meeting = (
        meetings_managed_by(user)
        .select_related("run__course")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404("No meeting of yours has this id.")
    return meeting
