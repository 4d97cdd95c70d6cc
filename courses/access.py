"""Who may see or change which courses and runs: one rule each, asked by the
page explorer's hooks, Scheduling > Runs, its form and chooser
(courses/wagtail_hooks.py, courses/admin_forms.py), and by the enrolments app
for the runs an instructor teaches. Knows nothing of enrolments."""

from django.db.models import QuerySet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR
from courses.models import CoursePage, CourseRun


def courses_editable_by(user) -> QuerySet[CoursePage]:
    """The course pages `user` may edit in the page explorer: every course for
    superusers and academy admins; for an instructor, the courses of their
    course teams (courses/services.py) and those they created."""
    if not user.is_authenticated or not user.is_active:
        return CoursePage.objects.none()
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )
    return CoursePage.objects.filter(pk__in=pages.values("pk"))


def runs_scheduled_by(user) -> QuerySet[CourseRun]:
    """The runs Scheduling > Runs shows `user`: those of the courses they may
    edit."""
    return CourseRun.objects.filter(course__in=courses_editable_by(user))


def runs_taught_by(user) -> QuerySet[CourseRun]:
    """The runs `user` is an instructor of. Instructor.user is one-to-one, so
    the join adds at most one row per run."""
    if not user.is_authenticated or not user.is_active:
        return CourseRun.objects.none()
    return CourseRun.objects.filter(instructors__user=user)


def is_instructor(user) -> bool:
    """In the Instructors group or with an instructor profile: what they create
    (a course, a run) becomes theirs."""
    return user.groups.filter(name=INSTRUCTOR).exists() or hasattr(user, "instructor")


def may_add_below(user, parent_page: Page) -> bool:
    """Whether `user` may add (move, copy) a page below `parent_page`.
    Instructors hold "add" on the catalogue, which Wagtail extends to every page
    below it: a module goes only into a course its author may edit (their
    own, or their team's)."""
    parent = parent_page.specific
    if isinstance(parent, CoursePage):
        return parent.permissions_for_user(user).can_edit()
    return True


def may_record_run_facts_again(user) -> bool:
    """Replacing a run's recorded facts changes what its certificates print:
    academy admins (and superusers) only. Instructors edit their runs, not
    what was certified."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ACADEMY_ADMIN).exists()
