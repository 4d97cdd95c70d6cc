"""The teaching pages under /teaching/: an instructor's runs, a run's attendance
overview and exports, and per meeting the register, the check-in display to
project in the room and a printable sign-in sheet.

Every lookup goes through permissions.py, so another instructor's run or
meeting gives 404. The register saves through register_save(), the one write
of marks (enrolments/services/attendance.py).
"""

from dataclasses import dataclass

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache

from courses.models import Meeting
from enrolments import checkin_codes
from enrolments.access import (
    managed_meeting_or_404,
    managed_run_or_404,
    may_reopen_runs,
    runs_managed_by,
    teaches_or_manages,
)
from enrolments.extensions import run_sections
from enrolments.models import AttendanceRecord, Enrolment
from enrolments.readable import person
from enrolments.services.attendance import (
    REGISTER_STATUSES,
    RegisterError,
    register_enrolments,
    register_save,
)
from enrolments.services.closing import run_closed_message
from enrolments.teaching import exports
from enrolments.teaching.forms import RegisterForm, field_name

Status = AttendanceRecord.Status
PAST_RUNS_SHOWN = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The runs this user manages: current and upcoming first, then recent.
    Staff only: a trainee has nothing to teach (404, like any run not theirs);
    an instructor with no runs yet sees the empty list."""
    if not teaches_or_manages(request.user):
        raise Http404("Teaching pages are for instructors.")
    today = timezone.localdate()
    runs = (
        runs_managed_by(request.user)
        .select_related("course")
        .annotate(
            trainee_count=Count(
                "enrolments",
                filter=Q(enrolments__status__in=REGISTER_STATUSES),
                distinct=True,
            )
        )
    )
    current = list(runs.filter(ends_on__gte=today).order_by("starts_on", "pk"))
    past = list(
        runs.filter(ends_on__lt=today).order_by("-ends_on", "-pk")[:PAST_RUNS_SHOWN]
    )
    # The upcoming meetings of both lists in one query.
    prefetch_related_objects(
        current + past,
        Prefetch(
            "meetings",
            queryset=Meeting.objects.filter(date__gte=today),
            to_attr="upcoming_meetings",
        ),
    )
    now = timezone.now()
    for run in current + past:
        run.next_meeting = next(
            (m for m in run.upcoming_meetings if m.ends_at >= now), None
        )
    return render(
        request,
        "enrolments/teaching/run_list.html",
        {"current": current, "past": past, "past_limit": PAST_RUNS_SHOWN},
    )


@login_required
def run_overview(request: HttpRequest, run_id: int) -> HttpResponse:
    """Trainees x meetings with each trainee's rate, and the run's meetings."""
    run = managed_run_or_404(request.user, run_id)
    return render(
        request,
        "enrolments/teaching/run_overview.html",
        {
            "run": run,
            "grid": exports.attendance_grid(run),
            "threshold": run.course.attendance_threshold_percent,
            "absence_alert_after": run.course.absence_alert_after,
            "now": timezone.now(),
            # Whoever sees the overview manages the run, so may close it.
            "may_close": not run.is_closed,
            "may_reopen": run.is_closed and may_reopen_runs(request.user),
            "sections": run_sections(run=run, request=request),
        },
    )


@dataclass
class RegisterRow:
    enrolment: Enrolment
    field: BoundField  # the row's radio group
    record: AttendanceRecord | None

    @property
    def changed_by(self) -> str:
        return person_name(self.record.updated_by) if self.record else ""


def person_name(user) -> str:
    """The name an instructor knows a person by (enrolments/readable.py)."""
    if user is None:
        return gettext("a removed account")
    return person(user)


@login_required
def register(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Mark every trainee of one meeting and save them in one POST."""
    meeting = managed_meeting_or_404(request.user, meeting_id)
    enrolments = list(register_enrolments(meeting).select_related("organisation"))
    records = {
        record.enrolment_id: record
        for record in AttendanceRecord.objects.filter(
            meeting=meeting, enrolment__in=[e.pk for e in enrolments]
        ).select_related("updated_by__instructor", "updated_by__trainee")
    }
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        enrolments=enrolments,
        records=records,
    )
    if request.method == "POST" and form.is_valid():
        if "all_present" in request.POST:
            marks = {enrolment.pk: Status.PRESENT for enrolment in enrolments}
        else:
            marks = form.marks()
        try:
            changed = register_save(meeting=meeting, marks=marks, by=request.user)
        except RegisterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Saved: %(count)s change.", "Saved: %(count)s changes.", changed
                )
                % {"count": changed},
            )
            return redirect("teaching:register", meeting_id=meeting.pk)
    rows = [
        RegisterRow(e, form[field_name(e.pk)], records.get(e.pk)) for e in enrolments
    ]
    run = meeting.run
    return render(
        request,
        "enrolments/teaching/register.html",
        {
            "meeting": meeting,
            "run": run,
            "form": form,
            "rows": rows,
            "closed_message": run_closed_message(run) if run.is_closed else "",
        },
    )


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup: no image request, sharp when projected."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        dark="#000",
        light="#fff",
        svgclass="checkin__qr-svg",
        title=gettext("QR code that opens the check-in page with the current code"),
    )


def window_message(meeting: Meeting, now) -> str:
    opens, closes = checkin_codes.check_in_window(meeting)
    if now < opens:
        when = timezone.localtime(opens)
        message = gettext("Check-in opens at %(time)s on %(weekday)s, %(day)s.")
    else:
        when = timezone.localtime(closes)
        message = gettext("Check-in closed at %(time)s on %(weekday)s, %(day)s.")
    return message % {
        "time": time_format(when, "H:i"),
        "weekday": date_format(when, "l"),
        "day": date_format(when),
    }


def check_in_state(request: HttpRequest, meeting: Meeting) -> dict:
    """What the check-in display shows now; also its JSON for the poller."""
    now = timezone.now()
    state = {
        "window_open": False,
        "code": None,
        "svg": None,
        "seconds_left": None,
        "step_seconds": checkin_codes.STEP_SECONDS,
        "checked_in": AttendanceRecord.objects.filter(
            meeting=meeting, checked_in_at__isnull=False
        ).count(),
        "message": "",
    }
    if not checkin_codes.window_is_open(meeting, now):
        state["message"] = window_message(meeting, now)
        return state
    at = now.timestamp()
    code = checkin_codes.code_for(meeting.pk, checkin_codes.current_step(at))
    url = request.build_absolute_uri(f"/learning/check-in/{meeting.pk}/?code={code}")
    state.update(
        window_open=True,
        code=code,
        svg=qr_svg(url),
        seconds_left=checkin_codes.seconds_left(at),
    )
    return state


@never_cache
@login_required
def check_in_display(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The page projected in the room: QR code, short code, countdown."""
    meeting = managed_meeting_or_404(request.user, meeting_id)
    return render(
        request,
        "enrolments/teaching/check_in_display.html",
        {
            "meeting": meeting,
            "run": meeting.run,
            "state": check_in_state(request, meeting),
            "on_register": register_enrolments(meeting).count(),
            "check_in_url": request.build_absolute_uri(
                f"/learning/check-in/{meeting.pk}/"
            ),
            "code_url": reverse("teaching:check_in_code", args=[meeting.pk]),
        },
    )


@never_cache
@login_required
def check_in_code(request: HttpRequest, meeting_id: int) -> JsonResponse:
    """Polled every few seconds by static/js/checkin-display.js."""
    meeting = managed_meeting_or_404(request.user, meeting_id)
    return JsonResponse(check_in_state(request, meeting))


@never_cache
@login_required
def export_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    response = HttpResponse(
        exports.grid_csv(exports.attendance_grid(run)),
        content_type="text/csv; charset=utf-8",
    )
    filename = exports.export_filename(run, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def export_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    response = HttpResponse(
        exports.grid_xlsx(exports.attendance_grid(run)), content_type=XLSX_TYPE
    )
    filename = exports.export_filename(run, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def sign_in_sheet(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A printable A4 list of the meeting's trainees with a signature box each,
    for rooms where marking on paper is easier; copied into the register after."""
    meeting = managed_meeting_or_404(request.user, meeting_id)
    return render(
        request,
        "enrolments/teaching/sign_in_sheet.html",
        {
            "meeting": meeting,
            "run": meeting.run,
            "enrolments": register_enrolments(meeting).select_related("organisation"),
            "instructors": meeting.run.instructors.all(),
        },
    )
