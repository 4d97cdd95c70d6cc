"""A run's evaluation results for its instructors and the academy: the page
(/teaching/runs/<id>/evaluation/), the answers as CSV and XLSX, and the PDF
summary for funders; and a course's runs side by side
(/teaching/courses/<id>/evaluation/). Scoped like every teaching page (404 for another
instructor's run); under MIN_ANSWERS_SHOWN answers an instructor sees only
the count and the exports are refused (enrolments/reports/evaluations.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from courses.templatetags.course_tags import run_dates
from enrolments.access import managed_run_or_404, manages_all_runs, runs_managed_by
from enrolments.reports.evaluation_pdf import SummaryFacts, evaluation_summary_pdf
from enrolments.reports.evaluations import (
    MIN_ANSWERS_SHOWN,
    RunResults,
    answer_rows,
    course_results,
    run_answers,
    run_results,
)
from enrolments.teaching import exports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _results_or_refuse(request: HttpRequest, run_id: int, *, export: bool):
    run = managed_run_or_404(request.user, run_id)
    results = run_results(run=run, language=translation.get_language())
    hidden = results.too_few and not manages_all_runs(request.user)
    if export and (hidden or results.evaluation is None):
        raise PermissionDenied(
            gettext("The answers of a run are shown once %(count)s have answered.")
            % {"count": MIN_ANSWERS_SHOWN}
        )
    return run, results, hidden


@never_cache
@login_required
def evaluation_results(request: HttpRequest, run_id: int) -> HttpResponse:
    run, results, hidden = _results_or_refuse(request, run_id, export=False)
    return render(
        request,
        "enrolments/teaching/evaluation.html",
        {
            "run": run,
            "results": results,
            "hidden": hidden,
            "min_answers": MIN_ANSWERS_SHOWN,
            "academy_view": manages_all_runs(request.user),
        },
    )


def _answer_lines(results: RunResults) -> list[list]:
    return answer_rows(results, run_answers(results.evaluation))


def _attachment(body: bytes, content_type: str, run, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    filename = exports.export_filename(run, extension, kind="evaluation")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def evaluation_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run, results, _hidden = _results_or_refuse(request, run_id, export=True)
    return _attachment(
        exports.lines_csv(_answer_lines(results)), "text/csv; charset=utf-8", run, "csv"
    )


@never_cache
@login_required
def evaluation_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run, results, _hidden = _results_or_refuse(request, run_id, export=True)
    workbook = exports.lines_xlsx(
        _answer_lines(results),
        sheet_title=gettext("Answers"),
        title=gettext("Evaluation: %(run)s") % {"run": run},
    )
    return _attachment(workbook, XLSX_TYPE, run, "xlsx")


@never_cache
@login_required
def evaluation_pdf(request: HttpRequest, run_id: int) -> HttpResponse:
    run, results, _hidden = _results_or_refuse(request, run_id, export=True)
    facts = SummaryFacts(
        course_title=run.course.title,
        run_dates=run_dates(run) + (f" · {run.label}" if run.label else ""),
        instructors=", ".join(i.full_name for i in run.instructors.all()),
        generated_on=date_format(timezone.localdate(), "DATE_FORMAT"),
    )
    return _attachment(
        evaluation_summary_pdf(facts, results), "application/pdf", run, "pdf"
    )


@never_cache
@login_required
def course_evaluation(request: HttpRequest, course_id: int) -> HttpResponse:
    """The evaluations of one course's runs that the user manages (all of them
    for the academy), side by side and pooled."""
    runs = runs_managed_by(request.user).filter(course_id=course_id)
    run_list = list(runs.select_related("course").order_by("-starts_on"))
    if not run_list:
        raise Http404("No run of this course is yours.")
    academy = manages_all_runs(request.user)
    results = course_results(
        runs=run_list, language=translation.get_language(), small_runs=academy
    )
    return render(
        request,
        "enrolments/teaching/course_evaluation.html",
        {
            "course": run_list[0].course,
            "results": results,
            "hidden": results.too_few and not academy,
            "academy_view": academy,
            "min_answers": MIN_ANSWERS_SHOWN,
        },
    )
