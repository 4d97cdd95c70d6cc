"""A coordinator's organisation page: the staff claims waiting for them and
the confirmed staff. Organisations and claims are looked up through
enrolments/access.py, so an id outside the coordinator's organisations
answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enrolments.access import (
    claims_decidable_by_coordinator,
    coordinated_organisation_or_404,
    organisations_coordinated_by,
)
from enrolments.errors import InvalidTransition
from enrolments.models import MembershipClaim
from enrolments.selectors import organisation_claims
from enrolments.services.membership import membership_confirm, membership_refuse


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why not?"),
        max_length=1000,
        help_text=gettext_lazy("The person reads this on their profile."),
        error_messages={"required": gettext_lazy("Say why you refuse the claim.")},
    )


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    """Straight to the organisation of a coordinator of one; a list for a
    coordinator of several; 404 for everyone else."""
    coordinated = list(organisations_coordinated_by(request.user))
    if not coordinated:
        raise Http404
    if len(coordinated) == 1:
        return redirect("coordination:organisation", organisation_id=coordinated[0].pk)
    return render(
        request,
        "enrolments/coordination/choose.html",
        {"organisations": coordinated},
    )


@login_required
def organisation_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    return _render_page(request, organisation)


def _render_page(request, organisation, *, refuse_form=None, refusing=None):
    people = organisation_claims(organisation=organisation)
    return render(
        request,
        "enrolments/coordination/organisation.html",
        {
            "organisation": organisation,
            "pending": people["pending"],
            "staff": people["staff"],
            "refuse_form": refuse_form,
            "refusing": refusing,
        },
        status=400 if refuse_form is not None else 200,
    )


def _claim_or_404(request, organisation_id, claim_id):
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    claim = get_object_or_404(
        claims_decidable_by_coordinator(request.user, organisation).select_related(
            "trainee"
        ),
        pk=claim_id,
    )
    return organisation, claim


@login_required
@require_POST
def claim_confirm(request, organisation_id: int, claim_id: int) -> HttpResponse:
    organisation, claim = _claim_or_404(request, organisation_id, claim_id)
    try:
        membership_confirm(
            claim=claim, by=request.user, method=MembershipClaim.Method.COORDINATOR
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is confirmed as your staff: member prices apply from now on.")
            % {"name": claim.trainee.full_name},
        )
    return redirect("coordination:organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def claim_refuse(request, organisation_id: int, claim_id: int) -> HttpResponse:
    organisation, claim = _claim_or_404(request, organisation_id, claim_id)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _render_page(request, organisation, refuse_form=form, refusing=claim)
    try:
        membership_refuse(
            claim=claim, by=request.user, reason=form.cleaned_data["reason"]
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The claim of %(name)s is refused.") % {"name": claim.trainee.full_name},
        )
    return redirect("coordination:organisation", organisation_id=organisation.pk)
