"""A seat offered from the waitlist (enrolments/services/waitlist.py): the
page the e-mail's link opens, with what accepting means, the price and the
deadline, and the two answers. Accepting and declining are POSTs: a link in
an e-mail that a mail scanner follows must never take or give away a seat.
Another trainee's enrolment answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment
from enrolments.rules.admission import admission_on_seat
from enrolments.services import offer_accept, offer_decline
from enrolments.views.learning import own_enrolment

Status = Enrolment.Status


@login_required
@require_http_methods(["GET", "POST"])
def offer_view(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = own_enrolment(request, enrolment_id)
    if request.method == "POST":
        return _answer(request, enrolment)
    if enrolment.status != Status.OFFERED:
        messages.info(request, _no_offer_message(enrolment))
        return redirect("learning:home")
    admission = admission_on_seat(course=enrolment.course, enrolment=enrolment)
    return render(
        request,
        "enrolments/offer.html",
        {
            "enrolment": enrolment,
            "outcome": admission.status,
            "waits_for_employer": admission.waits_for_employer,
            "expires_at": timezone.localtime(enrolment.offer_expires_at),
            "meetings": enrolment.run.meetings.all() if enrolment.run else [],
        },
    )


def _answer(request: HttpRequest, enrolment: Enrolment) -> HttpResponse:
    answer = request.POST.get("answer")
    course = enrolment.course.title
    try:
        if answer == "accept":
            enrolment = offer_accept(enrolment=enrolment)
        elif answer == "decline":
            offer_decline(enrolment=enrolment)
        else:
            messages.error(request, gettext("Choose to accept or decline the seat."))
            return redirect("learning:offer", enrolment.pk)
    except EnrolmentError as error:
        messages.error(request, error.message)
        return redirect("learning:home")
    if answer == "decline":
        messages.success(
            request,
            gettext("You declined the seat in %(course)s; it goes to the next person.")
            % {"course": course},
        )
    elif enrolment.status == Status.CONFIRMED:
        messages.success(
            request,
            gettext("The seat is yours: your place in %(course)s is confirmed.")
            % {"course": course},
        )
    elif enrolment.waits_for_employer:
        messages.success(
            request,
            gettext(
                "The seat is held for you while your organisation's training "
                "coordinator approves your place in %(course)s."
            )
            % {"course": course},
        )
    else:
        messages.success(
            request,
            gettext(
                "The seat is held for you while the academy approves your place "
                "in %(course)s."
            )
            % {"course": course},
        )
    return redirect("learning:home")


def _no_offer_message(enrolment: Enrolment) -> str:
    if enrolment.status == Status.CANCELLED and enrolment.offer_expires_at:
        return gettext(
            "The seat offered to you in %(course)s is no longer open: it expired or "
            "was declined."
        ) % {"course": enrolment.course.title}
    return gettext("There is no seat offer open for %(course)s (%(status)s).") % {
        "course": enrolment.course.title,
        "status": enrolment.get_status_display().lower(),
    }
