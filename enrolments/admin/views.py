"""The Enrolments listing (Enrolments menu): Wagtail's snippet listing with the
export columns, a row menu for deciding one enrolment, and a bulk-action
footer that offers only what the permission policy allows, so Delete, which
Wagtail offers for every snippet, never shows."""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.views.snippets import IndexView

from enrolments.access import enrolments_visible_to
from enrolments.admin.bulk_actions import ENROLMENT_BULK_ACTIONS
from enrolments.admin.buttons import bulk_action_url
from enrolments.admin.exports import EnrolmentExportMixin
from enrolments.admin.permissions import DECIDE


class EnrolmentIndexView(EnrolmentExportMixin, IndexView):
    @cached_property
    def can_decide(self) -> bool:
        return self.user_has_permission(DECIDE)

    @cached_property
    def filters(self):
        """The filters, whose choices (courses, runs, organisations) an
        instructor sees only from the runs they teach; another choice passed
        in the URL is refused like a malformed one (the filter is ignored,
        the listing stays scoped)."""
        filterset = super().filters
        user = self.request.user
        if filterset is None or user.has_perm("enrolments.view_enrolment"):
            return filterset
        visible = enrolments_visible_to(user)
        fields = filterset.form.fields
        scopes = {
            "run": ("pk", "run_id"),
            "course": ("pk", "course_id"),
            "organisation": ("pk", "organisation_id"),
        }
        for name, (key, column) in scopes.items():
            if name in fields:
                field = fields[name]
                field.queryset = field.queryset.filter(
                    **{f"{key}__in": visible.values(column)}
                )
                filterset.filters[name].queryset = field.queryset
        return filterset

    @cached_property
    def listing_url(self) -> str:
        """This listing with its filters, for coming back after a row action."""
        params = self.request.GET.copy()
        for key in ("_w_filter_fragment", "export"):
            params.pop(key, None)
        return f"{self.index_url}?{params.urlencode()}" if params else self.index_url

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.can_decide:
            return buttons
        for action in ENROLMENT_BULK_ACTIONS:
            if action.applies_to(instance):
                url = bulk_action_url(
                    action.action_type,
                    enrolment_id=instance.pk,
                    next_url=self.listing_url,
                )
                buttons.append(
                    MenuItem(
                        action.display_name,
                        url=url,
                        icon_name=action.icon_name,
                        priority=40 + action.action_priority,
                    )
                )
        return buttons

    def bulk_action_buttons(self) -> list[ListingButton]:
        """The footer's buttons: the registered bulk actions for enrolments
        that this user's permissions allow (an action's `permission_required`,
        else its own name, which for Delete the policy always refuses)."""
        opts = self.model._meta
        actions = bulk_action_registry.get_bulk_actions_for_model(
            opts.app_label, opts.model_name
        )
        allowed = [
            action
            for action in sorted(actions, key=lambda a: a.action_priority)
            if self.user_has_permission(
                getattr(action, "permission_required", action.action_type)
            )
        ]
        return [
            ListingButton(
                action.display_name,
                reverse(
                    "wagtail_bulk_action",
                    args=(opts.app_label, opts.model_name, action.action_type),
                ),
                attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                priority=action.action_priority,
                classname=" ".join(action.classes | {"bulk-action-btn"}),
            )
            for action in allowed
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.results_only:
            context["bulk_action_buttons"] = self.bulk_action_buttons()
        return context
