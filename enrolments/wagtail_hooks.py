"""Admin menus for people and their enrolments: Enrolments, Organisations and
Trainees (enrolments/admin/), and what enrolments add to Scheduling > Runs: an
"Enrolments" link per run, and the waitlist promoted when a run's capacity is
raised in its editor. In the page editor, a warning on a module whose quizzes
trainees have attempted."""

from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from courses.models import CourseRun, ModulePage
from enrolments import audit  # noqa: F401  (the audit log's actions)
from enrolments.access import may_study
from enrolments.admin import (
    coordinators,
    dashboard,  # noqa: F401  (the dashboard panels)
    trainee_actions,
)
from enrolments.admin import privacy as _privacy  # noqa: F401  (erasure, its log)
from enrolments.admin.bulk_actions import ENROLMENT_BULK_ACTIONS
from enrolments.admin.buttons import RunEnrolmentsMenuItem, run_listing_buttons
from enrolments.admin.claims import ClaimViewSet
from enrolments.admin.permissions import (
    EnrolmentPermissionPolicy,
    ReadOnlyPermissionPolicy,
)
from enrolments.admin.viewsets import (
    EnrolmentViewSet,
    OrganisationViewSet,
    TraineeViewSet,
)
from enrolments.models import (
    Enrolment,
    MembershipClaim,
    Organisation,
    TraineeProfile,
)
from enrolments.reports import hooks as _report_hooks  # noqa: F401  (Reports menu)
from enrolments.selectors import quiz_attempters
from enrolments.services import waitlist_promote
from enrolments.services.membership import memberships_confirm_by_domain
from enrolments.teaching import hooks as _teaching_hooks  # noqa: F401  (menu)

# Before the viewsets: Wagtail would otherwise make a default policy for them.
register_permission_policy(Enrolment, EnrolmentPermissionPolicy(Enrolment))
register_permission_policy(TraineeProfile, ReadOnlyPermissionPolicy(TraineeProfile))
# Claims change only through their Decide page (enrolments/admin/claims.py).
register_permission_policy(MembershipClaim, ReadOnlyPermissionPolicy(MembershipClaim))

register_snippet(EnrolmentViewSet)
register_snippet(OrganisationViewSet)

for bulk_action in ENROLMENT_BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)

hooks.register("register_snippet_listing_buttons", run_listing_buttons)


@hooks.register("register_admin_viewset")
def register_trainee_viewset():
    return TraineeViewSet()


@hooks.register("register_admin_urls")
def register_coordinator_urls():
    return coordinators.urlpatterns()


@hooks.register("register_admin_urls")
def register_trainee_action_urls():
    return trainee_actions.urlpatterns()


@hooks.register("register_admin_viewset")
def register_claim_viewset():
    return ClaimViewSet()


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def confirm_claims_on_new_domains(request, instance):
    """A domain added to an organisation confirms the pending claims of its
    staff whose confirmed addresses are on it."""
    if isinstance(instance, Organisation):
        confirmed = memberships_confirm_by_domain(organisation=instance)
        if confirmed:
            messages.success(
                request,
                ngettext(
                    "%(count)d pending claim is confirmed by the verified domains.",
                    "%(count)d pending claims are confirmed by the verified domains.",
                    confirmed,
                )
                % {"count": confirmed},
            )


@hooks.register("register_snippet_action_menu_item")
def register_run_enrolments_menu_item(model):
    if model is CourseRun:
        return RunEnrolmentsMenuItem(order=90)
    return None


@hooks.register("after_edit_snippet")
def promote_waitlist_after_run_edit(request, instance):
    """A run saved with more seats offers them to its waitlist at once (or
    gives them, when the course gives no time to answer)."""
    if not isinstance(instance, CourseRun):
        return
    promoted = waitlist_promote(run=instance)
    offered = sum(1 for enrolment in promoted if enrolment.is_offered)
    if offered:
        message = ngettext(
            "Offered %(count)s seat to the waitlist; the trainee has until "
            "the deadline to accept.",
            "Offered %(count)s seats to the waitlist; each trainee has until "
            "the deadline to accept.",
            offered,
        )
        messages.success(request, message % {"count": offered})
    if len(promoted) > offered:
        message = ngettext(
            "Promoted %(count)s trainee from the waitlist.",
            "Promoted %(count)s trainees from the waitlist.",
            len(promoted) - offered,
        )
        messages.success(request, message % {"count": len(promoted) - offered})


@hooks.register("before_serve_page")
def keep_modules_for_enrolled_trainees(page, request, serve_args, serve_kwargs):
    """Module pages are for trainees with a confirmed enrolment, the course's
    own team and academy admins (enrolments/access.py: may_study); everyone
    else sees why, and the way to enrol, instead of the content. The course
    page and its outline stay public."""
    if not isinstance(page.specific, ModulePage):
        return None
    # Enrolments are in the original course, whichever translation is read.
    course = page.specific.course
    if may_study(user=request.user, course=course):
        return None
    return TemplateResponse(
        request,
        "enrolments/module_locked.html",
        {"page": page, "course": course},
        status=403,
    )


@hooks.register("before_edit_page")
def warn_of_attempted_quizzes_on_open(request, page):
    """An editor opening a module whose quizzes trainees have attempted is
    told what an edit does to them (on GET only: a POST reports after
    publishing)."""
    if request.method == "GET":
        _warn_of_attempted_quizzes(request, page)


@hooks.register("after_publish_page")
def warn_of_attempted_quizzes_on_publish(request, page):
    _warn_of_attempted_quizzes(request, page)


def _warn_of_attempted_quizzes(request, page) -> None:
    # Each attempt keeps the questions it was started with
    # (enrolments/services/quizzes.py), so an edit cannot change a past
    # result; the editor should still know who answered the old version.
    page = page.specific
    if not isinstance(page, ModulePage):
        return
    quizzes = page.assessment_blocks("quiz")
    if not quizzes:
        return
    # Attempts belong to the original module, whichever translation is edited.
    counts = quiz_attempters(
        module_id=page.original.pk, quiz_ids=[quiz.id for quiz in quizzes]
    )
    for quiz in quizzes:
        count = counts.get(quiz.id)
        if not count:
            continue
        message = ngettext(
            '%(count)s trainee has attempted quiz "%(title)s"; their attempts '
            "keep the questions they answered; changes apply to new attempts "
            "only.",
            '%(count)s trainees have attempted quiz "%(title)s"; their attempts '
            "keep the questions they answered; changes apply to new attempts "
            "only.",
            count,
        )
        messages.warning(
            request, message % {"count": count, "title": quiz.value["title"]}
        )
