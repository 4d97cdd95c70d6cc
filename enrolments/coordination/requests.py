"""Staff's own enrolment requests in courses that need the employer's
approval (CoursePage.needs_employer_approval): the coordinator approves or
refuses them here. Requests are found through enrolments/access.py, so one
of another organisation, or no longer waiting, answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enrolments.access import (
    coordinated_organisation_or_404,
    requests_decidable_by_coordinator,
)
from enrolments.errors import InvalidTransition
from enrolments.services.enrolment import (
    enrolment_employer_approve,
    enrolment_employer_refuse,
)


class RequestRefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why not?"),
        max_length=1000,
        help_text=gettext_lazy("The person reads this in the e-mail we send them."),
        error_messages={"required": gettext_lazy("Say why you refuse the request.")},
    )


def waiting_requests(user, organisation):
    return (
        requests_decidable_by_coordinator(user, organisation)
        .select_related("trainee__user", "course", "run")
        .order_by("created_at", "pk")
    )


@login_required
def requests_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    return _render(request, organisation)


def _render(request, organisation, *, refuse_form=None, refusing=None):
    return render(
        request,
        "enrolments/coordination/requests.html",
        {
            "organisation": organisation,
            "requests": list(waiting_requests(request.user, organisation)),
            "refuse_form": refuse_form,
            "refusing": refusing,
        },
        status=400 if refuse_form is not None else 200,
    )


def _request_or_404(request, organisation_id, enrolment_id):
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    enrolment = get_object_or_404(
        waiting_requests(request.user, organisation), pk=enrolment_id
    )
    return organisation, enrolment


@login_required
@require_POST
def request_approve(
    request: HttpRequest, organisation_id: int, enrolment_id: int
) -> HttpResponse:
    organisation, enrolment = _request_or_404(request, organisation_id, enrolment_id)
    try:
        enrolment = enrolment_employer_approve(enrolment=enrolment, by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        if enrolment.status == enrolment.Status.CONFIRMED:
            message = _("%(name)s's place in %(course)s is confirmed.")
        else:
            message = _(
                "You approved the request of %(name)s for %(course)s: the academy "
                "decides next."
            )
        messages.success(
            request,
            message
            % {"name": enrolment.trainee.full_name, "course": enrolment.course.title},
        )
    return redirect("coordination:requests", organisation_id=organisation.pk)


@login_required
@require_POST
def request_refuse(
    request: HttpRequest, organisation_id: int, enrolment_id: int
) -> HttpResponse:
    organisation, enrolment = _request_or_404(request, organisation_id, enrolment_id)
    form = RequestRefuseForm(request.POST)
    if not form.is_valid():
        return _render(request, organisation, refuse_form=form, refusing=enrolment)
    try:
        enrolment_employer_refuse(
            enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"]
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The request of %(name)s is refused; the seat goes to the next person.")
            % {"name": enrolment.trainee.full_name},
        )
    return redirect("coordination:requests", organisation_id=organisation.pk)
