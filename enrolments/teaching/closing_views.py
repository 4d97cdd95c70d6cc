"""Closing and reopening a run from its overview (/teaching/runs/<id>/...).

"Close run" is offered to the run's instructors and academy admins: a page
that shows who will complete, who will not and why, and which certificates
will be requested, and a POST that closes (enrolments/services/closing.py).
Reopening, with a reason, is for academy admins only. A run that is not the
user's answers 404, like every teaching page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from enrolments.access import managed_run_or_404, may_reopen_runs
from enrolments.selectors import run_close_summary
from enrolments.services.closing import RunClosingError, run_close, run_reopen


@login_required
def run_close_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    if run.is_closed:
        messages.info(request, gettext("This run is closed already."))
        return redirect("teaching:run_overview", run_id=run.pk)
    if request.method == "POST":
        try:
            result = run_close(run=run, by=request.user)
        except RunClosingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "The run is closed: %(completed)s completed, %(not_completed)s "
                    "did not complete, %(requests)s requests ended. Each trainee "
                    "is e-mailed their result."
                )
                % {
                    "completed": result.completed,
                    "not_completed": result.not_completed,
                    "requests": result.requests_ended,
                },
            )
        return redirect("teaching:run_overview", run_id=run.pk)
    rows = run_close_summary(run=run)
    return render(
        request,
        "enrolments/teaching/run_close.html",
        {
            "run": run,
            "rows": rows,
            "completing": [r for r in rows if r.result == "completed"],
            "not_completing": [r for r in rows if r.result == "not_completed"],
            "requests": [r for r in rows if r.result == "request_ended"],
            "certificates": [r for r in rows if r.certificate],
        },
    )


@login_required
def run_reopen_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    if not may_reopen_runs(request.user):
        raise PermissionDenied("Only academy admins reopen runs.")
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            run_reopen(run=run, by=request.user, reason=reason)
        except RunClosingError as refusal:
            error = refusal.message
        else:
            messages.success(
                request,
                gettext(
                    "The run is open again and its outcomes are recomputed. "
                    "Close it again when the corrections are done."
                ),
            )
            return redirect("teaching:run_overview", run_id=run.pk)
    return render(
        request,
        "enrolments/teaching/run_reopen.html",
        {"run": run, "error": error, "reason": reason},
        status=400 if error else 200,
    )
