"""The course evaluation a trainee answers (/learning/enrolments/<id>/
evaluation/): the questions frozen for their run, in their language; the
answers stored once through enrolments/services/evaluations.py. Another
trainee's enrolment answers 404; a closed window, a second answer or answers
that do not fit are refused with the reason, storing nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from courses.blocks import NPS_SCALE, RATING_SCALE
from courses.locales import title_in
from enrolments.models import Enrolment
from enrolments.rules.evaluations import TEXT_MAX_LENGTH, AnswersInvalid
from enrolments.services.evaluations import (
    EvaluationRefused,
    answering_refusal,
    evaluation_answered_by,
    evaluation_open,
    evaluation_submit,
    snapshot_version,
    window_of,
)
from enrolments.views.learning import trainee_or_none

FIELD_PREFIX = "q-"


def _raw_answers(post, questions: list[dict]) -> dict:
    """The answers posted, by question id: every field named q-<id> (an
    unknown id is kept, for the service to refuse), several values for a
    question that allows several."""
    multiple = {q["id"] for q in questions if q.get("multiple")}
    raw = {}
    for name in post:
        if not name.startswith(FIELD_PREFIX):
            continue
        question_id = name[len(FIELD_PREFIX) :]
        values = post.getlist(name)
        raw[question_id] = values if question_id in multiple else values[-1]
    return raw


def _shown(questions: list[dict], raw: dict, errors: dict) -> list[dict]:
    """The questions with what the trainee gave and what to correct."""
    shown = []
    for question in questions:
        given = raw.get(question["id"], [] if question.get("multiple") else "")
        shown.append(
            dict(
                question,
                given=given,
                error=errors.get(question["id"], ""),
                field=FIELD_PREFIX + question["id"],
            )
        )
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_view(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    trainee = trainee_or_none(request)
    if trainee is None:
        raise Http404("Not a trainee.")
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course", "run"),
        pk=enrolment_id,
        trainee=trainee,
    )
    language = translation.get_language()
    refusal = answering_refusal(enrolment)
    answered = evaluation_answered_by(enrolment)
    evaluation = None
    if refusal is None and not answered:
        evaluation = evaluation_open(course=enrolment.course, run=enrolment.run)
    version = snapshot_version(evaluation.snapshot, language) if evaluation else None
    raw, errors, status = {}, {}, 200
    if request.method == "POST":
        questions = version["questions"] if version else []
        raw = _raw_answers(request.POST, questions)
        try:
            evaluation_submit(enrolment=enrolment, raw=raw, language=language)
        except EvaluationRefused as error:
            refusal, status = error.message, 400
            answered = evaluation_answered_by(enrolment)
        except AnswersInvalid as invalid:
            errors, status = invalid.errors, 400
        else:
            messages.success(
                request,
                gettext("Thank you: your answers reached the academy."),
            )
            return redirect("learning:home")
    window = window_of(enrolment)
    return render(
        request,
        "enrolments/evaluation.html",
        {
            "enrolment": enrolment,
            "course_title": title_in(enrolment.course, language),
            "evaluation": evaluation,
            "version": version,
            "questions": _shown(version["questions"], raw, errors) if version else [],
            "form_error": errors.get(""),
            "has_errors": bool(errors),
            "refusal": refusal,
            "answered": answered,
            "closes_at": window.closes_at,
            "now": timezone.now(),
            "rating_scale": range(RATING_SCALE[0], RATING_SCALE[1] + 1),
            "nps_scale": range(NPS_SCALE[0], NPS_SCALE[1] + 1),
            "text_max_length": TEXT_MAX_LENGTH,
        },
        status=status,
    )
