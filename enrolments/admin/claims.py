"""Organisation claims in the admin (People > Organisation claims): who says
they work for which organisation, and the academy's decision.

The listing opens on the claims waiting for a decision; each row's "Decide"
page shows what the decision rests on (the trainee's address and the
organisation's verified domains) and confirms or refuses the claim through
enrolments/services/membership.py. Nothing else writes claims here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from academy_site.admin_ui import ToneStatusColumn
from enrolments.admin.tones import CLAIM_TONES
from enrolments.admin.viewsets import ReadOnlyViewSetMixin
from enrolments.errors import InvalidTransition
from enrolments.models import MembershipClaim
from enrolments.services.membership import membership_confirm, membership_refuse
from enrolments.validators import email_domain

DECIDE_PERMISSION = "enrolments.change_membershipclaim"


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the claim refused?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The trainee reads this on their profile."),
        error_messages={"required": _("Say why the claim is refused.")},
    )


class ClaimIndexView(generic.IndexView):
    def get_base_queryset(self):
        return MembershipClaim.objects.select_related(
            "trainee__user", "organisation", "decided_by"
        )

    def get_edit_url(self, instance):
        """An open claim's name opens its Decide page (for those who may
        decide); a closed one's, its details."""
        if instance.is_open and self.request.user.has_perm(DECIDE_PERMISSION):
            return reverse("membership_claims:decide", args=[instance.pk])
        return None

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if decide_url := self.get_edit_url(instance):
            buttons.insert(
                0,
                ListingButton(
                    gettext("Decide"), url=decide_url, icon_name="check", priority=5
                ),
            )
        return buttons


class ClaimDecideView(WagtailAdminTemplateMixin, FormView):
    """Confirm or refuse one claim."""

    template_name = "enrolments/admin/claim_decide.html"
    form_class = RefuseForm
    page_title = _("Organisation claim")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        self.claim = get_object_or_404(
            MembershipClaim.objects.select_related("trainee__user", "organisation"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.claim.trainee.full_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("membership_claims:index"),
                "label": _("Organisation claims"),
            },
            {"url": "", "label": self.claim.trainee.full_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.claim
        domain = email_domain(claim.trainee.user.email)
        domains = list(claim.organisation.domains.values_list("domain", flat=True))
        context.update(
            claim=claim,
            email=claim.trainee.user.email,
            address_confirmed=claim.trainee.user.is_active,
            email_domain=domain,
            verified_domains=domains,
            domain_matches=domain in domains,
            index_url=reverse("membership_claims:index"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("decision") == "confirm":
            try:
                membership_confirm(claim=self.claim, by=request.user)
            except InvalidTransition as error:
                messages.error(request, str(error))
                return redirect("membership_claims:decide", pk=self.claim.pk)
            messages.success(
                request,
                gettext("%(trainee)s is confirmed as staff of %(organisation)s.")
                % {
                    "trainee": self.claim.trainee.full_name,
                    "organisation": self.claim.organisation,
                },
            )
            return redirect("membership_claims:index")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            membership_refuse(
                claim=self.claim,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except InvalidTransition as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("The claim of %(trainee)s to work for %(organisation)s is refused.")
            % {
                "trainee": self.claim.trainee.full_name,
                "organisation": self.claim.organisation,
            },
        )
        return redirect("membership_claims:index")


class ClaimViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Organisation claims menu, for academy admins."""

    model = MembershipClaim
    name = "membership_claims"
    index_view_class = ClaimIndexView
    icon = "group"
    menu_label = _("Organisation claims")
    menu_order = 212
    add_to_admin_menu = True
    ordering = ["-made_at"]
    list_per_page = 50
    list_display = [
        "trainee",
        Column("email", label=_("E-mail"), accessor="trainee.user.email"),
        Column("organisation", label=_("Organisation"), sort_key="organisation__name"),
        ToneStatusColumn(
            "status",
            label=_("Status"),
            tones=CLAIM_TONES,
        ),
        Column("method", label=_("Confirmed by"), accessor="get_method_display"),
        DateColumn("made_at", label=_("Made")),
    ]
    list_filter = ["status", "organisation", "method"]
    search_fields = ["trainee__full_name", "trainee__user__email", "organisation__name"]
    search_backend_name = None
    inspect_view_fields = [
        "trainee",
        "organisation",
        "status",
        "method",
        "made_at",
        "decided_at",
        "decided_by",
        "ended_at",
        "note",
    ]

    def read_only_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
            path("decide/<int:pk>/", ClaimDecideView.as_view(), name="decide"),
        ]
