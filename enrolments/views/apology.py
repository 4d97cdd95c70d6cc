""" "I can't come": before a meeting starts, a trainee with a place in its run
tells the instructor, with a reason if they like. The register then shows
them as excused (enrolments/services/attendance.py: apology_send). Another
trainee's meeting, or one of a run they have no place in, answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from courses.models import Meeting
from enrolments.models import Enrolment
from enrolments.selectors import check_in_mark
from enrolments.services.attendance import (
    APOLOGY_MAX_LENGTH,
    ApologyRefused,
    apology_send,
)
from enrolments.views.learning import trainee_or_none


class ApologyForm(forms.Form):
    reason = forms.CharField(
        label=_("Why? (optional)"),
        required=False,
        max_length=APOLOGY_MAX_LENGTH,
        help_text=_("Your instructor reads this on the register."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def apology_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    trainee = trainee_or_none(request)
    meeting = get_object_or_404(
        Meeting.objects.select_related("run__course"),
        pk=meeting_id,
        run__course__live=True,
    )
    if (
        trainee is None
        or not Enrolment.objects.filter(
            trainee=trainee,
            run_id=meeting.run_id,
            status=Enrolment.Status.CONFIRMED,
        ).exists()
    ):
        raise Http404("No place in this run.")
    record = check_in_mark(trainee=trainee, meeting=meeting)
    form = ApologyForm(
        request.POST or None,
        initial={"reason": record.apology if record else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            apology_send(
                enrolment_owner=trainee,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
            )
        except ApologyRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                gettext(
                    "Your instructor knows you cannot come to the meeting of "
                    "%(course)s on %(day)s."
                )
                % {
                    "course": meeting.run.course.title,
                    "day": date_format(meeting.date, "DATE_FORMAT"),
                },
            )
            return redirect("learning:home")
    return render(
        request,
        "enrolments/apology.html",
        {
            "meeting": meeting,
            "course": meeting.run.course,
            "record": record,
            "form": form,
            "started": timezone.now() >= meeting.starts_at,
        },
        status=400 if form.errors else 200,
    )
