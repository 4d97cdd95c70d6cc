"""Approve, reject and cancel enrolments selected in the Enrolments listing
(Wagtail's bulk-action footer, or one row's "More" menu).

Every enrolment goes through its service, each in its own transaction, so seats
and the waitlist stay right and each trainee's e-mail leaves when their change
commits. Enrolments that cannot change that way are skipped and reported with
the service's reason; one refusal never holds back the rest of the batch.
"""

from collections import Counter

from django.shortcuts import get_list_or_404, redirect
from django.utils.translation import gettext, gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from enrolments.access import enrolments_visible_to, may_cancel
from enrolments.admin.filters import enrolments_in_listing
from enrolments.admin.forms import RejectionForm
from enrolments.admin.permissions import DECIDE
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.services import enrolment_approve, enrolment_cancel, enrolment_reject

Status = Enrolment.Status
NO_PERMISSION = gettext_lazy("You may not change these enrolments.")


class EnrolmentBulkAction(SnippetBulkAction):
    """What the three actions share. A subclass names its service call
    (`apply`), the statuses it starts from (to mark on the confirmation page
    the rows that will be skipped) and its wording."""

    models = [Enrolment]
    template_name = "enrolments/admin/confirm_bulk_action.html"
    permission_required = DECIDE
    from_statuses: tuple[str, ...] = ()
    # "Approved %(count)s.": the count of enrolments changed.
    done_message = ""
    question = ""
    button_label = ""
    icon_name = ""

    def get_queryset(self, model, object_ids):
        # An instance method (Wagtail's is a classmethod, called on the
        # instance): ids of enrolments the user may not see are dropped, so
        # their trainees' names never reach the confirmation page.
        return get_list_or_404(
            enrolments_visible_to(self.request.user), pk__in=object_ids
        )

    @classmethod
    def applies_to(cls, enrolment: Enrolment) -> bool:
        return enrolment.status in cls.from_statuses

    def get_all_objects_in_listing_query(self, parent_id):
        listing = enrolments_in_listing(self.request)
        visible = enrolments_visible_to(self.request.user)
        return listing.filter(pk__in=visible.values("pk")).values_list("pk", flat=True)

    def check_perm(self, enrolment):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_required, enrolment
        )

    def object_context(self, enrolment):
        context = super().object_context(enrolment)
        context["skipped"] = not self.applies_to(enrolment)
        return context

    def apply(self, enrolment: Enrolment) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        # Wagtail's own form_valid wraps the whole batch in one transaction;
        # here each service call commits on its own.
        self.cleaned_form = form
        enrolments, refused = self.get_actionable_objects()
        self.actionable_objects = enrolments
        response = self._run_hooks("before_bulk_action", enrolments)
        if response is not None:
            return response
        done, skipped = 0, Counter()
        for enrolment in enrolments:
            try:
                self.apply(enrolment)
            except EnrolmentError as error:
                skipped[str(error.message)] += 1
            else:
                done += 1
        if refused["items_with_no_access"]:
            skipped[str(NO_PERMISSION)] += len(refused["items_with_no_access"])
        response = self._run_hooks("after_bulk_action", enrolments)
        if response is not None:
            return response
        report = outcome_message(self.done_message, done, skipped)
        (messages.warning if skipped else messages.success)(self.request, report)
        return redirect(self.next_url)

    def _run_hooks(self, name, enrolments):
        for hook in hooks.get_hooks(name):
            result = hook(self.request, self.action_type, enrolments, self)
            if hasattr(result, "status_code"):
                return result
        return None


class ApproveBulkAction(EnrolmentBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected enrolment requests")
    action_priority = 10
    from_statuses = (Status.PENDING,)
    done_message = gettext_lazy("Approved %(count)s.")
    question = gettext_lazy(
        "Approve these requests? Each trainee is e-mailed that their place is "
        "confirmed."
    )
    button_label = gettext_lazy("Yes, approve")
    icon_name = "check"

    def apply(self, enrolment):
        enrolment_approve(enrolment=enrolment, by=self.request.user)


class RejectBulkAction(EnrolmentBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected enrolment requests")
    action_priority = 20
    form_class = RejectionForm
    from_statuses = (Status.PENDING, Status.WAITLISTED)
    done_message = gettext_lazy("Rejected %(count)s.")
    question = gettext_lazy(
        "Reject these requests? Each trainee is e-mailed the reason below; "
        "a freed seat goes to the waitlist."
    )
    button_label = gettext_lazy("Yes, reject")
    icon_name = "cross"

    def apply(self, enrolment):
        enrolment_reject(
            enrolment=enrolment,
            by=self.request.user,
            reason=self.cleaned_form.cleaned_data["reason"],
        )


class CancelBulkAction(EnrolmentBulkAction):
    display_name = gettext_lazy("Cancel (by the academy)")
    action_type = "cancel"
    aria_label = gettext_lazy("Cancel the selected enrolments on behalf of the academy")
    action_priority = 30
    classes = {"serious"}
    done_message = gettext_lazy("Cancelled %(count)s.")
    question = gettext_lazy(
        "Cancel these enrolments on behalf of the academy? The trainees' "
        "cancellation deadline does not apply; freed seats go to the waitlist."
    )
    button_label = gettext_lazy("Yes, cancel them")
    icon_name = "bin"

    @classmethod
    def applies_to(cls, enrolment: Enrolment) -> bool:
        return may_cancel(enrolment=enrolment, by_staff=True)

    def apply(self, enrolment):
        enrolment_cancel(enrolment=enrolment, by_staff=True, by=self.request.user)


ENROLMENT_BULK_ACTIONS = (ApproveBulkAction, RejectBulkAction, CancelBulkAction)


def outcome_message(done_message: str, done: int, skipped: Counter) -> str:
    """E.g. "Approved 3. Skipped 1: only a pending request can be approved."
    `done_message` has a %(count)s placeholder; each reason is a sentence."""
    parts = [done_message % {"count": done}]
    for reason, count in skipped.items():
        parts.append(
            gettext("Skipped %(count)s: %(reason)s")
            % {"count": count, "reason": f"{reason[:1].lower()}{reason[1:]}"}
        )
    return " ".join(parts)
