"""Who may study a module: one rule, used by the module pages, quizzes,
assignments and progress."""

from django.db.models import Q

from enrolments.models import Enrolment

STUDYING_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)


def studying_enrolment(*, user, course) -> Enrolment | None:
    """The user's enrolment that lets them study `course` now: confirmed (or
    completed, to look back), in a run of the course or the self-paced course.
    None for visitors, staff without an enrolment and everyone else."""
    trainee = getattr(user, "trainee", None) if user.is_authenticated else None
    if trainee is None:
        return None
    return (
        Enrolment.objects.filter(
            Q(course_id=course.pk), trainee=trainee, status__in=STUDYING_STATUSES
        )
        .select_related("course", "run")
        .order_by("-created_at")
        .first()
    )


def may_study(*, user, course) -> bool:
    """Trainees with a studying enrolment, the course's instructors and staff
    who can use the admin (editors checking their pages) may open modules."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("wagtailadmin.access_admin"):
        return True
    if course.instructors.filter(user=user).exists():
        return True
    return studying_enrolment(user=user, course=course) is not None
