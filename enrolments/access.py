"""Who may see or change what in enrolments: one rule each, asked by the
trainee's pages, the teaching pages, the admin's listings, bulk actions and
dashboard panels, the exports and the services.

Every view that looks a row up by an id in its URL does it through one of the
querysets here, so an id that is not the user's answers 404 (never 403, which
would confirm that the id exists). Which courses and runs an instructor edits
or teaches is courses/access.py's to say.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.access import courses_editable_by, runs_taught_by
from courses.models import CourseRun, Instructor, Meeting
from enrolments.errors import CancellationTooLate, EnrolmentError, InvalidTransition
from enrolments.models import (
    AssignmentSubmission,
    Enrolment,
    MembershipClaim,
    Organisation,
    TraineeProfile,
)
from enrolments.models.enrolment import STUDYING_STATUSES
from enrolments.selectors import enrolments_for_admin, trainees_for_admin

Status = Enrolment.Status

CANCELLABLE_STATUSES = (
    Status.PENDING,
    Status.CONFIRMED,
    Status.OFFERED,
    Status.WAITLISTED,
)

# Academy admins hold these (academy_site/roles.py); instructors do not, and
# reach only the rows of the runs they teach.
MANAGE_ALL_PERMISSION = "enrolments.change_attendancerecord"
GRADE_ALL_PERMISSION = "enrolments.change_assignmentsubmission"
VIEW_ENROLMENTS_PERMISSION = "enrolments.view_enrolment"
VIEW_TRAINEES_PERMISSION = "enrolments.view_traineeprofile"
REPORTS_PERMISSION = "enrolments.view_reports"
ERASE_PERMISSION = "enrolments.erase_traineeprofile"
# Wagtail's: who may open the admin (and sees its user bar on the site).
ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


# --- Studying ---------------------------------------------------------------


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
    """Module pages open for trainees with a studying enrolment, the course's
    own team and academy admins. The team is the course's instructors, the
    instructors of its runs and whoever may edit its pages (its course team
    group, its author). Access to the admin alone is not enough: an instructor
    of another course must not read a colleague's unpublished material."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or manages_all_runs(user):
        return True
    if course.instructors.filter(user=user).exists():
        return True
    if runs_taught_by(user).filter(course=course).exists():
        return True
    if courses_editable_by(user).filter(pk=course.pk).exists():
        return True
    return studying_enrolment(user=user, course=course) is not None


# --- Cancelling -------------------------------------------------------------


def cancellation_deadline(enrolment: Enrolment) -> dt.date | None:
    """The last day a trainee may cancel; None for self-paced enrolments."""
    return cancellation_deadline_of(run=enrolment.run, course=enrolment.course)


def cancellation_deadline_of(*, run, course) -> dt.date | None:
    """The last day to cancel an enrolment in `run` (None without a run), also
    for an enrolment not made yet (the confirmation page)."""
    if run is None:
        return None
    return run.starts_on - dt.timedelta(days=course.cancellation_deadline_days)


def cancellation_refusal(
    *, enrolment: Enrolment, by_staff: bool = False, on: dt.date | None = None
) -> EnrolmentError | None:
    """Why `enrolment` may not be cancelled (the error `enrolment_cancel`
    raises), or None when it may: only a pending, confirmed, offered or
    waitlisted enrolment; by its trainee until the course's deadline (a seat
    offered to them they may always decline: they never agreed to it), by the
    academy at any time."""
    if enrolment.status not in CANCELLABLE_STATUSES:
        return InvalidTransition(
            _("Only a pending, confirmed or waitlisted enrolment can be cancelled.")
        )
    if enrolment.status == Status.OFFERED:
        return None
    deadline = cancellation_deadline(enrolment)
    on = on or timezone.localdate()
    if not by_staff and deadline is not None and on > deadline:
        return CancellationTooLate(
            _("The cancellation deadline was %(deadline)s; please contact the academy.")
            % {"deadline": date_format(deadline)}
        )
    return None


def may_cancel(
    *, enrolment: Enrolment, by_staff: bool = False, on: dt.date | None = None
) -> bool:
    """Whether `enrolment_cancel` would cancel `enrolment`: My learning shows
    the button, the admin's bulk action marks the rows it will skip."""
    return cancellation_refusal(enrolment=enrolment, by_staff=by_staff, on=on) is None


# --- Teaching: runs, meetings, attendance -----------------------------------


def manages_all_runs(user) -> bool:
    """Superusers and academy admins (who may change any attendance record)."""
    return user.is_active and (
        user.is_superuser or user.has_perm(MANAGE_ALL_PERMISSION)
    )


def teaches_or_manages(user) -> bool:
    """Instructors (with an Instructor profile, runs or not), academy admins and
    anyone else with access to the Wagtail admin: who may open the teaching
    pages."""
    # The permissions first: loaded once, they answer for instructors too
    # (who may open the admin) without reading their profile.
    return user.is_active and (
        manages_all_runs(user)
        or user.has_perm(ADMIN_ACCESS_PERMISSION)
        or hasattr(user, "instructor")
    )


def has_teaching_role(user) -> bool:
    """Academy admins and anyone with an instructor profile (runs or not): who
    gets the dashboard's teaching panels."""
    return manages_all_runs(user) or (
        Instructor.objects.filter(user_id=user.pk).exists()
    )


def runs_managed_by(user) -> QuerySet[CourseRun]:
    """Every run for academy admins; for an instructor, the runs they teach."""
    if not user.is_authenticated or not user.is_active:
        return CourseRun.objects.none()
    if manages_all_runs(user):
        return CourseRun.objects.all()
    return runs_taught_by(user)


def teaches_runs(user) -> bool:
    """Whether `user` manages any run (cached on the user for the request)."""
    return site_roles(user).teaches


@dataclass(frozen=True)
class SiteRoles:
    """What the site's header and footer offer a signed-in user."""

    teaches: bool  # manages a run: "Teaching"
    coordinates: bool  # coordinates an organisation: "Your organisation"
    admin: bool  # may open the Wagtail admin: its user bar


NO_ROLES = SiteRoles(teaches=False, coordinates=False, admin=False)
# The rule _permission_granted restates; with any other backend the
# permissions are asked of Django.
MODEL_BACKEND_ONLY = ["django.contrib.auth.backends.ModelBackend"]


def site_roles(user) -> SiteRoles:
    """`teaches_runs`, whether `user` coordinates an organisation and whether
    they may open the admin, in one query, asked once per request (the user
    object lives as long as the request; the answer is kept on it). A page
    that has loaded the user's permissions already (the teaching pages)
    answers from them; otherwise the same query asks for the two permissions
    concerned instead of loading all of them, so a trainee's page loads
    none."""
    if not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_academy_site_roles", None)
    if cached is not None:
        return cached
    questions = {
        "coordinates": Exists(Organisation.objects.filter(coordinators__user=user))
    }
    known = {}
    if user.is_active:
        questions["taught"] = Exists(runs_taught_by(user))
        # Academy admins manage every run, so some once a run exists.
        questions["any_run"] = Exists(CourseRun.objects.all())
        asked_of_django = (
            user.is_superuser
            or hasattr(user, "_perm_cache")
            or list(settings.AUTHENTICATION_BACKENDS) != MODEL_BACKEND_ONLY
        )
        for name, permission in (
            ("manages", MANAGE_ALL_PERMISSION),
            ("admin", ADMIN_ACCESS_PERMISSION),
        ):
            if asked_of_django:
                known[name] = user.has_perm(permission)
            else:
                questions[name] = _permission_granted(user, permission)
    answers = get_user_model().objects.filter(pk=user.pk).values(**questions).first()
    answers = {**(answers or {}), **known}
    roles = SiteRoles(
        teaches=bool(
            answers.get("taught") or (answers.get("manages") and answers.get("any_run"))
        ),
        coordinates=bool(answers.get("coordinates")),
        admin=bool(answers.get("admin")),
    )
    user._academy_site_roles = roles
    return roles


def _permission_granted(user, permission: str) -> Exists:
    """Whether `user` (active, not a superuser) holds "app_label.codename",
    given to them or to one of their groups: ModelBackend's rule, as a
    subquery."""
    app_label, codename = permission.split(".", 1)
    granted = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
    return Exists(granted.filter(user=user)) | Exists(granted.filter(group__user=user))


def may_close_run(user, run: CourseRun) -> bool:
    """The run's instructors and academy admins may close an open run (the
    views find the run through managed_run_or_404 first)."""
    return not run.is_closed and runs_managed_by(user).filter(pk=run.pk).exists()


def may_reopen_runs(user) -> bool:
    """Reopening changes final results: academy admins only."""
    return manages_all_runs(user)


def meetings_managed_by(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(run__in=runs_managed_by(user))


def managed_run_or_404(user, run_id: int) -> CourseRun:
    run = (
        runs_managed_by(user)
        .select_related("course", "closed_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise Http404("No run of yours has this id.")
    return run


def managed_meeting_or_404(user, meeting_id: int) -> Meeting:
    meeting = (
        meetings_managed_by(user)
        .select_related("run__course", "run__closed_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404("No meeting of yours has this id.")
    return meeting


# --- Enrolments and trainees in the admin -----------------------------------


def enrolments_managed_by(user) -> QuerySet[Enrolment]:
    """Every enrolment for academy admins; the enrolments of their runs for
    anyone else (self-paced enrolments have no run, so only admins see them).
    The dashboard's panels count these."""
    if manages_all_runs(user):
        return Enrolment.objects.all()
    return Enrolment.objects.filter(run__in=runs_managed_by(user))


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """`enrolments_for_admin` as `user` may see them in the admin (listing,
    inspect, exports, bulk actions): all of them with "Can view enrolment"
    (academy admins), else those of the runs they teach."""
    rows = enrolments_for_admin()
    if user.has_perm(VIEW_ENROLMENTS_PERMISSION):
        return rows
    return rows.filter(run__in=runs_managed_by(user))


def trainees_visible_to(user) -> QuerySet[TraineeProfile]:
    """`trainees_for_admin` as `user` may see them: all with "Can view trainee
    profile" (academy admins), else the trainees enrolled in their runs."""
    rows = trainees_for_admin()
    if user.has_perm(VIEW_TRAINEES_PERMISSION):
        return rows
    taught = Enrolment.objects.filter(run__in=runs_managed_by(user))
    return rows.filter(pk__in=taught.values("trainee_id"))


def may_erase_trainees(user) -> bool:
    """Who is offered, and allowed, "Erase personal data" on a trainee."""
    return user.is_active and user.has_perm(ERASE_PERMISSION)


def may_view_reports(user) -> bool:
    """Academy admins have the permission; instructors and trainees do not."""
    return user.is_active and user.has_perm(REPORTS_PERMISSION)


# --- Assignments --------------------------------------------------------------


def grades_all_submissions(user) -> bool:
    """Superusers and academy admins (who may change any submission)."""
    return user.is_active and (user.is_superuser or user.has_perm(GRADE_ALL_PERMISSION))


def submissions_gradable_by(user) -> QuerySet[AssignmentSubmission]:
    """Every submission for academy admins; for an instructor, those of the
    runs they teach."""
    if not user.is_authenticated or not user.is_active:
        return AssignmentSubmission.objects.none()
    if grades_all_submissions(user):
        return AssignmentSubmission.objects.all()
    # A subquery, so a run with several instructors never repeats a row.
    return AssignmentSubmission.objects.filter(enrolment__run__in=runs_taught_by(user))


def submissions_readable_by(user) -> QuerySet[AssignmentSubmission]:
    """What `submissions_gradable_by` allows, plus the trainee's own work."""
    if not user.is_authenticated or not user.is_active:
        return AssignmentSubmission.objects.none()
    return AssignmentSubmission.objects.filter(
        Q(pk__in=submissions_gradable_by(user).values("pk"))
        | Q(enrolment__trainee__user=user)
    )


# --- Organisations' coordinators --------------------------------------------


def organisations_coordinated_by(user) -> QuerySet[Organisation]:
    """The organisations `user` coordinates (none for visitors)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(coordinators__user=user).order_by("name")


def coordinated_organisation_or_404(user, organisation_id: int) -> Organisation:
    try:
        return organisations_coordinated_by(user).get(pk=organisation_id)
    except Organisation.DoesNotExist as error:
        raise Http404 from error


def claims_decidable_by_coordinator(user, organisation) -> QuerySet[MembershipClaim]:
    """The claims a coordinator decides: those naming an organisation they
    coordinate, and only `organisation`'s, so an id from another of theirs in
    the wrong URL is not found either."""
    return MembershipClaim.objects.filter(
        organisation=organisation,
        organisation__in=organisations_coordinated_by(user),
    )


def requests_decidable_by_coordinator(user, organisation) -> QuerySet[Enrolment]:
    """The enrolment requests a coordinator decides for `organisation`: its
    staff's requests waiting for the employer, and only if `user`
    coordinates it."""
    return Enrolment.objects.filter(
        organisation=organisation,
        organisation__in=organisations_coordinated_by(user),
        status=Enrolment.Status.PENDING,
        employer_approval=Enrolment.EmployerApproval.WAITING,
    )
