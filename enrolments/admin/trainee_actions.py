"""What an academy admin does for one trainee from their page (Trainees > a
trainee): change the organisation they work for (confirmed, audited), enrol
them in a run by hand (seat rules apply; a different price only with a
reason), and apply their membership as it stands now to an enrolment made
before it changed. Every write is a service; instructors get 403."""

from decimal import Decimal

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment, Organisation, TraineeProfile
from enrolments.rules.membership import standing_of
from enrolments.selectors import runs_open_for_enrolment
from enrolments.services import enrolment_create_by_academy, enrolment_reprice
from enrolments.services.membership import membership_claim

CHANGE_ORGANISATION = "enrolments.change_membershipclaim"
ENROL = "enrolments.add_enrolment"
TRAINEE_INSPECT = "trainees:inspect"


class OrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "Confirmed at once as the organisation's staff: member prices apply "
            "to enrolments made from now on."
        ),
    )


class EnrolForm(forms.Form):
    run = forms.ModelChoiceField(
        label=_("Run"),
        queryset=Enrolment.objects.none(),
        error_messages={"required": _("Choose a run.")},
    )
    price = forms.DecimalField(
        label=_("Price (RSD)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Leave empty for the price the course gives this trainee."),
    )
    reason = forms.CharField(
        label=_("Why a different price?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs_open_for_enrolment()

    def clean(self):
        data = super().clean()
        if data.get("price") is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("Say why the price differs."))
        return data


class RepriceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the price change?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the price changes.")},
    )


class TraineeActionView(WagtailAdminTemplateMixin, FormView):
    """Base: the trainee by id, a permission, and back to their page."""

    permission = ""
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.trainee = get_object_or_404(
            TraineeProfile.objects.select_related("user", "organisation"),
            pk=kwargs["pk"],
            erased_at__isnull=True,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.trainee.full_name

    @property
    def trainee_url(self) -> str:
        return reverse(TRAINEE_INSPECT, args=(quote(self.trainee.pk),))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(trainee=self.trainee, trainee_url=self.trainee_url)
        return context


class TraineeOrganisationView(TraineeActionView):
    template_name = "enrolments/admin/trainee_action.html"
    form_class = OrganisationForm
    permission = CHANGE_ORGANISATION
    page_title = _("Change organisation")

    def get_initial(self):
        return {"organisation": self.trainee.organisation_id}

    def form_valid(self, form):
        membership_claim(
            trainee=self.trainee,
            organisation=form.cleaned_data["organisation"],
            by=self.request.user,
        )
        messages.success(self.request, gettext("The organisation is saved."))
        return redirect(self.trainee_url)


class TraineeEnrolView(TraineeActionView):
    template_name = "enrolments/admin/trainee_action.html"
    form_class = EnrolForm
    permission = ENROL
    page_title = _("Enrol in a run")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standing = standing_of(self.trainee)
        context["note"] = (
            gettext("Member price: confirmed staff of %(organisation)s.")
            % {"organisation": standing.organisation}
            if standing.member_price
            else gettext("Non-member price, unless you set another.")
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            enrolment = enrolment_create_by_academy(
                trainee=self.trainee,
                run=data["run"],
                by=self.request.user,
                price=data["price"],
                reason=data["reason"],
            )
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Enrolled: %(status)s.")
            % {"status": enrolment.get_status_display().lower()},
        )
        return redirect(self.trainee_url)


class EnrolmentRepriceView(TraineeActionView):
    template_name = "enrolments/admin/trainee_action.html"
    form_class = RepriceForm
    permission = ENROL
    page_title = _("Apply today's membership to the price")

    def dispatch(self, request, *args, **kwargs):
        enrolment = get_object_or_404(Enrolment, pk=kwargs["enrolment_id"])
        kwargs["pk"] = enrolment.trainee_id
        self.kwargs["pk"] = enrolment.trainee_id
        self.enrolment = enrolment
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standing = standing_of(self.trainee)
        context["note"] = gettext(
            "%(run)s: now %(old)s RSD; with today's membership %(new)s RSD."
        ) % {
            "run": self.enrolment.run or self.enrolment.course,
            "old": f"{self.enrolment.price:.2f}",
            "new": f"{standing.price(self.enrolment.course):.2f}",
        }
        return context

    def form_valid(self, form):
        try:
            enrolment_reprice(
                enrolment=self.enrolment,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, gettext("The price is updated."))
        return redirect(self.trainee_url)


def urlpatterns():
    return [
        path(
            "trainees/<int:pk>/organisation/",
            TraineeOrganisationView.as_view(),
            name="trainee_organisation",
        ),
        path(
            "trainees/<int:pk>/enrol/", TraineeEnrolView.as_view(), name="trainee_enrol"
        ),
        path(
            "enrolments/<int:enrolment_id>/reprice/",
            EnrolmentRepriceView.as_view(),
            name="enrolment_reprice",
        ),
    ]
