"""Taking a quiz: its page with past attempts, an open attempt's form and an
attempt's result.

Everything is decided by enrolments/services/quizzes.py on the server: the
countdown in the browser only shows the time left. An open attempt's page is
rendered from the snapshot with the correct answers stripped, so they never
reach the browser before submission. Ids are scoped to the logged-in trainee:
another trainee's attempt, or a quiz of a course the user does not study,
gives 404.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from courses.models import ModulePage
from enrolments.access import STUDYING_STATUSES, studying_enrolment
from enrolments.models import Enrolment, QuizAttempt
from enrolments.services.quizzes import (
    QuizError,
    attempt_time_is_up,
    is_correct,
    points_for,
    public_questions,
    quiz_attempt_expire,
    quiz_attempt_start,
    quiz_attempt_submit,
)

ANSWER_PREFIX = "answer-"


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, module_id: int, quiz_id: str) -> HttpResponse:
    """The quiz's introduction, past attempts and attempts left; POST starts
    (or resumes) an attempt."""
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    block = module.assessment_block(quiz_id, "quiz")
    if block is None:
        raise Http404("No such quiz in this module.")
    course = module.course
    enrolment = studying_enrolment(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not studying this course.")

    if request.method == "POST":
        try:
            attempt = quiz_attempt_start(
                enrolment=enrolment, module=module, quiz_id=quiz_id
            )
        except QuizError as error:
            messages.error(request, error.message)
            return redirect("learning:quiz", module.pk, quiz_id)
        return redirect("learning:quiz_attempt", attempt.pk)

    attempts = list(
        QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id).order_by(
            "number"
        )
    )
    allowed = block.value["attempts_allowed"]
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt and attempt_time_is_up(attempt=open_attempt):
        # Walked away from: shown as the 0 it scores, not as one to continue.
        expired = quiz_attempt_expire(attempt=open_attempt)
        attempts[attempts.index(open_attempt)], open_attempt = expired, None
    attempts_left = max(allowed - len(attempts), 0)
    pass_mark = block.value.get("pass_mark_percent")
    return render(
        request,
        "enrolments/quizzes/quiz.html",
        {
            "module": module,
            "course": course,
            "quiz": block.value,
            "quiz_id": quiz_id,
            "pass_mark": course.pass_mark_percent if pass_mark is None else pass_mark,
            "submitted": [a for a in attempts if a.submitted_at is not None],
            "open_attempt": open_attempt,
            "attempts_allowed": allowed,
            "attempts_left": attempts_left,
            "can_start": enrolment.status == Enrolment.Status.CONFIRMED
            and (open_attempt is not None or attempts_left > 0),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quiz_attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """An open attempt's form (POST submits it), or a submitted attempt's
    result with the correct answers when the course shows them."""
    attempt = own_attempt(request, attempt_id)
    answers, refused = {}, None
    if request.method == "POST":
        answers = answers_from_post(request.POST, attempt.questions)
        try:
            quiz_attempt_submit(attempt=attempt, answers=answers)
        except QuizError as error:
            attempt.refresh_from_db()
            if attempt.submitted_at is not None:  # closed: the time was up
                messages.error(request, error.message)
                return redirect("learning:quiz_attempt", attempt.pk)
            # Still open: the form again with every answer as typed, so a
            # slip in one field costs nothing else.
            refused = error
        else:
            messages.success(request, gettext("Your answers were submitted."))
            return redirect("learning:quiz_attempt", attempt.pk)

    if attempt.submitted_at is None and attempt_time_is_up(attempt=attempt):
        attempt = quiz_attempt_expire(attempt=attempt)
        messages.warning(
            request,
            gettext("The time limit passed before this attempt was submitted."),
        )
    module = attempt.module
    block = module.assessment_block(attempt.quiz_id, "quiz")
    context = {
        "attempt": attempt,
        "module": module,
        "course": attempt.enrolment.course,
        "quiz_title": block.value["title"] if block else module.title,
        "quiz_exists": block is not None,
    }
    if attempt.submitted_at is None:
        return render(
            request,
            "enrolments/quizzes/attempt.html",
            {
                **context,
                "questions": questions_with_answers(
                    public_questions(attempt.questions), answers, refused
                ),
                "refused": refused,
                "remaining_seconds": remaining_seconds(attempt),
            },
            status=400 if refused else 200,
        )
    if attempt.enrolment.course.show_correct_answers:
        context["review"] = review(attempt)
    return render(request, "enrolments/quizzes/result.html", context)


def own_attempt(request: HttpRequest, attempt_id: int) -> QuizAttempt:
    trainee = getattr(request.user, "trainee", None)
    if trainee is None:
        raise Http404
    return get_object_or_404(
        QuizAttempt.objects.select_related("enrolment__course", "module"),
        pk=attempt_id,
        enrolment__trainee=trainee,
        enrolment__status__in=STUDYING_STATUSES,
    )


def answers_from_post(post: QueryDict, questions: list[dict]) -> dict:
    """{question id: answer} from the form's `answer-<question id>` fields.
    Fields naming unknown questions are passed on, for the service to refuse."""
    multiple = {q["id"] for q in questions if q["type"] == "multiple_choice"}
    answers = {}
    for key in post:
        if not key.startswith(ANSWER_PREFIX):
            continue
        question_id = key.removeprefix(ANSWER_PREFIX)
        values = post.getlist(key)
        single = len(values) == 1 and question_id not in multiple
        answers[question_id] = values[0] if single else values
    return answers


def questions_with_answers(
    questions: list[dict], answers: dict, refused: QuizError | None
) -> list[dict]:
    """The open attempt's questions, each with the answer the trainee gave in
    a refused submission (`given`: a string, or a list for multiple choice),
    its points as a count for the plural ("1 point", "2 points"; None for a
    fraction), and the error of the answer that was refused."""
    refused_id = getattr(refused, "question_id", None)
    shown = []
    for question in questions:
        points = Decimal(str(question["points"]))
        given = answers.get(question["id"], "")
        if question["type"] == "multiple_choice" and isinstance(given, str):
            given = [given] if given else []
        shown.append(
            {
                **question,
                "given": given,
                "points_count": int(points) if points == int(points) else None,
                "error": refused.message if question["id"] == refused_id else "",
            }
        )
    return shown


def remaining_seconds(attempt: QuizAttempt) -> int | None:
    if attempt.time_limit_ends_at is None:
        return None
    left = attempt.time_limit_ends_at - timezone.now()
    return max(int(left.total_seconds()), 0)


def review(attempt: QuizAttempt) -> list[dict]:
    """Per question: the prompt, the trainee's answer, the correct answer and
    the points earned, all from the attempt's snapshot."""
    rows = []
    for question in attempt.questions:
        answer = attempt.answers.get(question["id"])
        row = {
            "question": question,
            "correct": is_correct(question, answer),
            "earned": points_for(question, answer),
            "answered": answer is not None,
        }
        if question["type"] in ("single_choice", "multiple_choice"):
            chosen = {answer} if isinstance(answer, str) else set(answer or [])
            row["options"] = [
                {**option, "chosen": option["id"] in chosen}
                for option in question["options"]
            ]
        elif question["type"] == "true_false":
            true, false = gettext("True"), gettext("False")
            row["given"] = {True: true, False: false}.get(answer)
            row["expected"] = true if question["answer"] else false
        else:
            row["given"] = answer
            row["expected"] = plain_number(question["answer"])
            tolerance = Decimal(question["tolerance"])
            row["tolerance"] = plain_number(tolerance) if tolerance else None
        rows.append(row)
    return rows


def plain_number(value) -> str:
    """3.5000 as "3.5" and 10.0000 as "10" (never "1E+1"), with the decimal
    separator of the active language."""
    return number_format(Decimal(value).normalize())
