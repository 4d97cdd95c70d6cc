"""Links into the people listings from elsewhere in the admin: a run's
enrolments (Scheduling > Runs, and the run's editor), an organisation's
trainees, and one enrolment's approve / reject / cancel."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem

from courses.models import CourseRun
from enrolments.models import Enrolment

ENROLMENTS_LIST = "wagtailsnippets_enrolments_enrolment:list"
TRAINEES_LIST = "trainees:index"


def enrolments_listing_url(**filters) -> str:
    return _with_query(reverse(ENROLMENTS_LIST), filters)


def trainees_listing_url(**filters) -> str:
    return _with_query(reverse(TRAINEES_LIST), filters)


def bulk_action_url(action_type: str, *, enrolment_id: int, next_url: str) -> str:
    """One enrolment through a bulk action's confirmation page."""
    url = reverse("wagtail_bulk_action", args=("enrolments", "enrolment", action_type))
    return _with_query(url, {"id": enrolment_id, "next": next_url})


def can_view_enrolments(user) -> bool:
    policy = policy_registry.get_by_type(Enrolment)
    return policy.user_has_permission(user, "view")


def run_listing_buttons(snippet, user, next_url=None) -> list:
    """ "Enrolments" in each run's "More" menu of Scheduling > Runs. The count
    is on the run's editor: here it would cost a query per row."""
    if not isinstance(snippet, CourseRun) or not can_view_enrolments(user):
        return []
    return [
        Button(
            gettext("Enrolments"),
            url=enrolments_listing_url(run=snippet.pk),
            icon_name="clipboard-list",
            priority=50,
        )
    ]


class RunEnrolmentsMenuItem(ActionMenuItem):
    """ "Enrolments (n)" in the Save menu of a run's editor, opening the
    Enrolments listing filtered by the run."""

    name = "action-run-enrolments"
    icon_name = "clipboard-list"

    def is_shown(self, context):
        return context.get("view") == "edit" and can_view_enrolments(
            context["request"].user
        )

    def get_url(self, parent_context):
        return enrolments_listing_url(run=parent_context["instance"].pk)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        count = Enrolment.objects.filter(run=parent_context["instance"]).count()
        context["label"] = gettext("Enrolments (%(count)s)") % {"count": count}
        return context


def _with_query(url: str, params: dict) -> str:
    return f"{url}?{urlencode(params)}" if params else url
