"""My learning and the enrolment actions a trainee takes.

Every view that takes an id scopes its query to the logged-in trainee, so
another trainee's id gives 404 (never 403, which would confirm the id exists).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from courses.locales import url_in_active_language, with_translations
from courses.models import CoursePage, CourseRun
from enrolments import checkin_codes
from enrolments.access import (
    STUDYING_STATUSES,
    cancellation_deadline,
    cancellation_deadline_of,
    may_cancel,
)
from enrolments.errors import EnrolmentError
from enrolments.extensions import enrolment_panels
from enrolments.models import Enrolment, TraineeProfile
from enrolments.rules.admission import admission_for
from enrolments.rules.attendance import attendance_summaries
from enrolments.rules.completion import (
    live_modules_by_course,
    modules_done,
    standings,
)
from enrolments.rules.membership import standing_of
from enrolments.rules.reasons import reasons_text
from enrolments.selectors import (
    enrolments_for_trainee,
    evaluations_to_answer,
    modules_to_continue,
)
from enrolments.services import enrolment_cancel, enrolment_create

ENROL_MESSAGES = {
    Enrolment.Status.CONFIRMED: _(
        "You are enrolled in %(course)s. A confirmation is on its way to your inbox."
    ),
    Enrolment.Status.PENDING: _(
        "Your request to join %(course)s was sent. "
        "The academy will let you know by e-mail."
    ),
    Enrolment.Status.WAITLISTED: _(
        "%(course)s is full, so you are on the waitlist. "
        "We will e-mail you if a seat frees."
    ),
}


WAITS_FOR_EMPLOYER = _(
    "Your request to join %(course)s was sent to your organisation's training "
    "coordinator. We will let you know the decision by e-mail."
)


def trainee_or_none(request: HttpRequest) -> TraineeProfile | None:
    return getattr(request.user, "trainee", None)


def what_matters_now(enrolment: Enrolment, today) -> tuple:
    """My learning's order: seats offered first, then a meeting today
    (soonest first), then
    courses under way (running runs, self-paced courses), then those still
    to come, soonest first."""
    if enrolment.status == Enrolment.Status.OFFERED:
        # A seat waiting for an answer, with a deadline: first of all.
        return (-1, enrolment.offer_expires_at.timestamp())
    meeting = enrolment.next_meeting
    if meeting is not None and meeting.date == today:
        return (0, meeting.starts_at.timestamp())
    run = enrolment.run
    if run is None or run.starts_on <= today:
        return (1, -enrolment.created_at.timestamp())
    return (2, run.starts_on.toordinal())


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    trainee = trainee_or_none(request)
    enrolments = enrolments_for_trainee(trainee=trainee) if trainee else []
    today = timezone.localdate()
    # The meetings and marks enrolments_for_trainee read already.
    attendance = attendance_summaries(
        enrolments,
        meetings_by_run={e.run_id: e.run.all_meetings for e in enrolments if e.run},
        records=[r for e in enrolments for r in e.attendance_records],
    )
    studying = [e for e in enrolments if e.status in STUDYING_STATUSES]
    # Read once for the progress bars and the "Continue" buttons.
    modules = live_modules_by_course({e.course for e in studying})
    done = modules_done([e.pk for e in studying]) if studying else {}
    progress = standings(
        studying, attendance=attendance, modules_by_course=modules, done=done
    )
    for enrolment in enrolments:
        enrolment.attendance_summary = attendance.get(enrolment.pk)
        enrolment.standing = progress.get(enrolment.pk)
        enrolment.check_in_open = bool(
            enrolment.status == Enrolment.Status.CONFIRMED
            and enrolment.next_meeting
            and checkin_codes.window_is_open(enrolment.next_meeting)
        )
        # "I can't come" until the meeting starts (enrolments/views/apology.py).
        enrolment.can_apologise = bool(
            enrolment.status == Enrolment.Status.CONFIRMED
            and enrolment.next_meeting
            and timezone.now() < enrolment.next_meeting.starts_at
        )
        enrolment.can_cancel = may_cancel(enrolment=enrolment, on=today)
        enrolment.cancel_deadline = cancellation_deadline(enrolment)
        # Why it ended so, in the reader's language (rules/reasons.py).
        enrolment.reasons = reasons_text(enrolment.final_reasons)
    panels = enrolment_panels(enrolments)
    for enrolment in enrolments:
        enrolment.panels = panels.get(enrolment.pk, [])
    # Course titles and links in the trainee's language (courses/locales.py).
    with_translations([enrolment.course for enrolment in enrolments], request)
    # A run that has ended moves to the history, whatever its status says.
    current = [
        e
        for e in enrolments
        if e.is_active
        and e.status not in ("completed", "not_completed")
        and (e.run is None or e.run.ends_on >= today)
    ]
    past = [e for e in enrolments if e not in current]
    current.sort(key=lambda enrolment: what_matters_now(enrolment, today))
    continue_at = modules_to_continue(
        current, request, modules_by_course=modules, done=done
    )
    for enrolment in current:
        enrolment.continue_module = continue_at.get(enrolment.pk)
    # Evaluations waiting for an answer, first: they close on a date.
    to_evaluate = evaluations_to_answer(enrolments=enrolments)
    return render(
        request,
        "enrolments/my_learning.html",
        {
            "trainee": trainee,
            "current": current,
            "past": past,
            "to_evaluate": to_evaluate,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(
    request: HttpRequest, run_id: int | None = None, course_id: int | None = None
):
    """GET: what enrolling means for this trainee (price, dates, what happens,
    until when they can cancel), with one button; POST: enrol."""
    trainee = trainee_or_none(request)
    if run_id is not None:
        run = get_object_or_404(
            CourseRun.objects.select_related("course"), pk=run_id, course__live=True
        )
        course = run.course
    else:
        run = None
        course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if trainee is None:
        messages.warning(
            request, gettext("Complete your trainee profile before enrolling.")
        )
        return redirect("accounts:profile")
    if request.method == "GET":
        return render(
            request,
            "enrolments/enrol_confirm.html",
            enrol_preview(trainee=trainee, course=course, run=run),
        )
    try:
        enrolment = enrolment_create(
            trainee=trainee, run=run, course=None if run else course
        )
    except EnrolmentError as error:
        messages.error(request, error.message)
        return redirect(url_in_active_language(course))
    message = (
        WAITS_FOR_EMPLOYER
        if enrolment.waits_for_employer
        else ENROL_MESSAGES[enrolment.status]
    )
    messages.success(request, str(message) % {"course": course.title})
    return redirect("learning:home")


def enrol_preview(*, trainee, course, run) -> dict:
    """What the enrolment confirmation page says: the price this trainee
    pays and why, what the enrolment will be (a place, a request, a waitlist
    place), the run's meetings and the last day to cancel."""
    standing = standing_of(trainee)
    admission = admission_for(course=course, run=run, standing=standing)
    return {
        "course": course,
        "run": run,
        "meetings": list(run.meetings.order_by("date", "start_time")) if run else [],
        "standing": standing,
        "price": standing.price(course),
        "outcome": admission.status,
        "waits_for_employer": admission.waits_for_employer,
        "cancel_until": cancellation_deadline_of(run=run, course=course),
        "open": run.is_open_for_enrolment() if run else course.is_self_paced,
        "back_url": url_in_active_language(course),
    }


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """GET: what cancelling loses (the seat, the price paid, the waitlist
    place), with one button; POST: cancel."""
    enrolment = own_enrolment(request, enrolment_id)
    if request.method == "GET":
        if not may_cancel(enrolment=enrolment):
            messages.error(
                request, gettext("This enrolment can no longer be cancelled here.")
            )
            return redirect("learning:home")
        return render(
            request,
            "enrolments/cancel_confirm.html",
            {
                "enrolment": enrolment,
                "waitlist_waiting": enrolment.run_id is not None
                and Enrolment.objects.filter(
                    run_id=enrolment.run_id, status=Enrolment.Status.WAITLISTED
                ).exists(),
                "cancel_until": cancellation_deadline(enrolment),
            },
        )
    try:
        enrolment_cancel(enrolment=enrolment)
    except EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Your enrolment in %(course)s is cancelled.")
            % {"course": enrolment.course.title},
        )
    return redirect("learning:home")


def own_enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    trainee = trainee_or_none(request)
    if trainee is None:
        raise Http404
    return get_object_or_404(
        Enrolment.objects.select_related("course", "run"),
        pk=enrolment_id,
        trainee=trainee,
    )
