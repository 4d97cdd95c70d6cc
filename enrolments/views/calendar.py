"""Calendars: the one-run file of My learning, and each user's subscription.

The subscription feed (/calendar/<token>.ics, no log-in: calendar apps
cannot log in) serves the meetings of every run the token's owner takes part
in or teaches (enrolments/selectors.py: calendar_entries_for). The token is
the key: unknown, withdrawn or replaced tokens, and those of deactivated
accounts, answer 404. The calendar page (/learning/calendar/) shows the
address and lets its owner make a new one or withdraw it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from enrolments.ics import calendar_render, run_calendar
from enrolments.models import CalendarFeed
from enrolments.selectors import calendar_entries_for
from enrolments.services.calendar import calendar_feed_renew, calendar_feed_revoke
from enrolments.views.learning import own_enrolment

ICALENDAR = "text/calendar; charset=utf-8"


@login_required
def run_file(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The run's meetings as an iCalendar file for the trainee's calendar app."""
    enrolment = own_enrolment(request, enrolment_id)
    if not enrolment.has_calendar:
        raise Http404("No meetings to attend: self-paced, cancelled or rejected.")
    body = run_calendar(
        enrolment=enrolment,
        meetings=enrolment.run.meetings.all(),
        host=request.get_host(),
    )
    response = HttpResponse(body, content_type=ICALENDAR)
    response["Content-Disposition"] = (
        f'attachment; filename="run-{enrolment.run_id}.ics"'
    )
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    subscription = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if subscription is None:
        raise Http404("No such calendar.")
    body = calendar_render(
        name=gettext("Cluster Academy"),
        entries=calendar_entries_for(user=subscription.user),
        host=request.get_host(),
    )
    response = HttpResponse(body, content_type=ICALENDAR)
    # Personal: never kept by a shared cache, nor indexed.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            existed = CalendarFeed.objects.filter(user=request.user).exists()
            calendar_feed_renew(user=request.user)
            if existed:
                message = gettext(
                    "Your new calendar address is ready; the old one no longer works."
                )
            else:
                message = gettext(
                    "Your calendar address is ready: add it to your calendar app."
                )
            messages.success(request, message)
        elif action == "revoke":
            if calendar_feed_revoke(user=request.user):
                messages.success(
                    request,
                    gettext(
                        "Your calendar address no longer works; calendar apps "
                        "subscribed to it stop updating."
                    ),
                )
        else:
            messages.error(request, gettext("Choose what to do with the address."))
        return redirect("learning:calendar_page")
    subscription = CalendarFeed.objects.filter(user=request.user).first()
    address = webcal = ""
    if subscription is not None:
        address = request.build_absolute_uri(
            reverse("calendar_feed", args=[subscription.token])
        )
        webcal = "webcal://" + address.split("://", 1)[1]
    return render(
        request,
        "enrolments/calendar.html",
        {"subscription": subscription, "address": address, "webcal": webcal},
    )
