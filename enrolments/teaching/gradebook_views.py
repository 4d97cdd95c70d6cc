"""A run's gradebook for its instructors: the page and its CSV/XLSX exports.
Built by enrolments/gradebook.py; scoped by permissions.py (404 for others)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from enrolments.access import managed_run_or_404
from enrolments.gradebook import Gradebook, gradebook_for_run
from enrolments.teaching import exports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def gradebook(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    book = gradebook_for_run(run=run)
    return render(
        request, "enrolments/teaching/gradebook.html", {"run": run, "book": book}
    )


def gradebook_lines(book: Gradebook) -> list[list]:
    heading = [gettext("Trainee"), gettext("E-mail"), gettext("Organisation")]
    for assessment in book.assessments:
        if assessment.kind == "quiz":
            attempts = gettext("Quiz: %(title)s (attempts)")
        else:
            attempts = gettext("Assignment: %(title)s (attempts)")
        heading += [
            attempts % {"title": assessment.title},
            f"{assessment.title} (%)",
            gettext("%(title)s (result)") % {"title": assessment.title},
        ]
    lines = [heading]
    for row in book.rows:
        line = [
            row.enrolment.trainee.full_name,
            row.enrolment.trainee.user.email,
            row.enrolment.organisation.name if row.enrolment.organisation else "",
        ]
        for cell in row.cells:
            if cell.awaiting_grade:
                result = gettext("to grade")
            elif cell.passed is None:
                result = ""
            else:
                result = gettext("passed") if cell.passed else gettext("failed")
            # Work waiting for a grade has no score yet, whatever came before.
            shown = cell.best_percent is not None and not cell.awaiting_grade
            line += [cell.attempts, cell.best_percent if shown else "", result]
        lines.append(line)
    return lines


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def gradebook_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    lines = gradebook_lines(gradebook_for_run(run=run))
    return _download(
        exports.lines_csv(lines),
        "text/csv; charset=utf-8",
        exports.export_filename(run, "csv", kind="gradebook"),
    )


@never_cache
@login_required
def gradebook_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run = managed_run_or_404(request.user, run_id)
    lines = gradebook_lines(gradebook_for_run(run=run))
    return _download(
        exports.lines_xlsx(
            lines,
            sheet_title=gettext("Gradebook"),
            title=gettext("Gradebook: %(run)s") % {"run": run},
        ),
        XLSX_TYPE,
        exports.export_filename(run, "xlsx", kind="gradebook"),
    )
