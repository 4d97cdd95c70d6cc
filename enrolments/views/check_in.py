"""Self check-in: the trainee scans the QR code shown in the room (which opens
this page with the code filled in) or types the short code."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import Meeting
from enrolments import checkin_codes
from enrolments.selectors import check_in_mark
from enrolments.services.attendance import CheckInRefused, check_in
from enrolments.views.learning import trainee_or_none


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        help_text=_("The six characters shown on the screen in the room."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


@login_required
def check_in_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    # Any meeting id renders the form; whether this trainee may check in, and
    # with which code, is decided by the service, which answers with a reason.
    meeting = get_object_or_404(
        Meeting.objects.select_related("run__course"),
        pk=meeting_id,
        run__course__live=True,
    )
    trainee = trainee_or_none(request)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            if trainee is None:
                form.add_error(
                    None, gettext("Complete your trainee profile before checking in.")
                )
            else:
                try:
                    record = check_in(
                        enrolment_owner=trainee,
                        meeting=meeting,
                        code=form.cleaned_data["code"],
                    )
                except CheckInRefused as refusal:
                    form.add_error("code", refusal.message)
                else:
                    messages.success(
                        request,
                        gettext("You are checked in for %(course)s (%(status)s).")
                        % {
                            "course": meeting.run.course.title,
                            "status": record.get_status_display().lower(),
                        },
                    )
                    return redirect("learning:home")
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:12]})
    opens, closes = checkin_codes.check_in_window(meeting)
    mark = check_in_mark(trainee=trainee, meeting=meeting)
    return render(
        request,
        "enrolments/check_in.html",
        {
            # Checked in (or marked in the register) already: the page says
            # so instead of asking for the code again.
            "mark": mark if mark and mark.status != mark.Status.ABSENT else None,
            "meeting": meeting,
            "course": meeting.run.course,
            "form": form,
            "window_open": checkin_codes.window_is_open(meeting),
            "opens": opens,
            "closes": closes,
        },
    )
