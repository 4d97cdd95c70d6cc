"""Quiz attempts: starting one, grading it on the server, closing it when its
time runs out.

A quiz is a block of a module's body (courses.blocks.QuizBlock). When an
attempt starts, the quiz is copied into `QuizAttempt.questions` as plain JSON,
correct answers included, and every later step reads that copy: an editor who
fixes a question after an attempt changes the next attempt, never a past
result. Grading is pure Python over the copy, so a 40-question quiz costs the
same number of queries as a 4-question one.

Answers are keyed by question id (the question block's id):

- single_choice: the chosen option's id;
- multiple_choice: a list of option ids (full points only for exactly the
  correct set);
- true_false: True/False (or "true"/"false" as a form sends them);
- numeric: a string such as "3.5" or "3,5"; within the tolerance scores.

A question left unanswered scores nothing.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courses.models import ModulePage
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment, ModuleProgress, QuizAttempt

# Time allowed after the limit for the submission to travel over the network.
SUBMIT_GRACE = dt.timedelta(seconds=30)
CHOICE_TYPES = ("single_choice", "multiple_choice")
TRUE_STRINGS = {"true": True, "false": False}


class QuizError(EnrolmentError):
    message = _("This quiz attempt cannot be made.")


class NotANumber(QuizError):
    """A numeric question answered with words ("five"): refused, as Moodle
    does, so the trainee can correct it instead of losing the point to a
    typing slip. `question_id` lets the form mark the field."""

    def __init__(self, *, question_id: str, text: str):
        super().__init__(
            gettext(
                "“%(text)s” is not a number. Answer with digits, for example 5 or 3,5."
            )
            % {"text": text}
        )
        self.question_id = question_id


# --- Snapshot ----------------------------------------------------------------


def quiz_snapshot(*, module: ModulePage, quiz_id: str) -> dict:
    """The quiz `quiz_id` of `module` as plain JSON, correct answers included.

    Options are named by their ListBlock item ids, so an answer names the
    option the trainee saw even if an editor reorders options later. The pass
    mark is the quiz's own, or the course's when the quiz leaves it empty.
    """
    block = module.assessment_block(quiz_id, "quiz")
    if block is None:
        raise QuizError(gettext("This quiz is not part of the module."))
    quiz = block.value
    pass_mark = quiz.get("pass_mark_percent")
    if pass_mark is None:
        pass_mark = module.course.pass_mark_percent
    return {
        "quiz_id": block.id,
        "title": quiz["title"],
        "pass_mark_percent": pass_mark,
        "attempts_allowed": quiz["attempts_allowed"],
        "time_limit_minutes": quiz.get("time_limit_minutes"),
        "required": bool(quiz.get("required")),
        "questions": [_question_snapshot(child) for child in quiz["questions"]],
    }


def _question_snapshot(child) -> dict:
    value = child.value
    question = {
        "id": child.id,
        "type": child.block_type,
        "prompt": value["prompt"],
        "points": str(value.get("points") or Decimal(0)),
    }
    if child.block_type in CHOICE_TYPES:
        question["options"] = [
            {
                "id": item.id,
                "text": item.value["text"],
                "correct": bool(item.value.get("correct")),
            }
            for item in value["options"].bound_blocks
        ]
    elif child.block_type == "true_false":
        question["answer"] = bool(value.get("answer"))
    elif child.block_type == "numeric":
        question["answer"] = str(value["answer"])
        question["tolerance"] = str(value.get("tolerance") or Decimal(0))
    return question


def public_questions(questions: list[dict]) -> list[dict]:
    """The snapshot without what gives the answers away, for an open attempt's
    page: the template never even receives the correct answers."""
    public = []
    for question in questions:
        shown = {k: question[k] for k in ("id", "type", "prompt", "points")}
        if question["type"] in CHOICE_TYPES:
            shown["options"] = [
                {"id": option["id"], "text": option["text"]}
                for option in question["options"]
            ]
        public.append(shown)
    return public


# --- Starting ------------------------------------------------------------------


def quiz_attempt_start(
    *,
    enrolment: Enrolment,
    module: ModulePage,
    quiz_id: str,
    now: dt.datetime | None = None,
) -> QuizAttempt:
    """Start an attempt, or return the one already open.

    An open attempt whose time ran out is closed first (scored 0), so a trainee
    who walked away is never stuck with it. Refuses when the attempts allowed
    are used up, when the enrolment is not confirmed, or when the module is not
    part of the enrolment's course.
    """
    now = now or timezone.now()
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise QuizError(gettext("Only a confirmed enrolment can start a quiz attempt."))
    # The questions as the trainee reads them (a translation, perhaps); the
    # attempt belongs to the original module, which completion counts.
    source = module.original
    if source.get_parent().pk != enrolment.course_id:
        raise QuizError(gettext("This module is not part of your course."))
    snapshot = quiz_snapshot(module=module, quiz_id=quiz_id)
    try:
        with transaction.atomic():
            return _start_locked(enrolment, source, snapshot, now)
    except IntegrityError:
        # A simultaneous request (a double click) opened the attempt first.
        attempt = _open_attempt(enrolment, quiz_id)
        if attempt is None:
            raise
        return attempt


def _start_locked(
    enrolment: Enrolment, module: ModulePage, snapshot: dict, now: dt.datetime
) -> QuizAttempt:
    # Lock the enrolment so two requests of one trainee start one attempt.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    quiz_id = snapshot["quiz_id"]
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id))
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt is not None:
        if not _time_is_up(open_attempt, now):
            return open_attempt
        _close_unanswered(open_attempt, now)
    allowed = snapshot["attempts_allowed"]
    if len(attempts) >= allowed:
        raise QuizError(
            ngettext(
                "You have used all %(count)s attempt.",
                "You have used all %(count)s attempts.",
                allowed,
            )
            % {"count": allowed}
        )
    questions = snapshot["questions"]
    limit = snapshot["time_limit_minutes"]
    return QuizAttempt.objects.create(
        enrolment=enrolment,
        module=module,
        quiz_id=quiz_id,
        number=max((a.number for a in attempts), default=0) + 1,
        questions=questions,
        time_limit_ends_at=now + dt.timedelta(minutes=limit) if limit else None,
        max_score=sum((Decimal(q["points"]) for q in questions), Decimal(0)),
        pass_mark_percent=snapshot["pass_mark_percent"],
    )


def _open_attempt(enrolment: Enrolment, quiz_id: str) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(
        enrolment=enrolment, quiz_id=quiz_id, submitted_at__isnull=True
    ).first()


# --- Submitting ----------------------------------------------------------------


def quiz_attempt_submit(
    *, attempt: QuizAttempt, answers: dict[str, object], now: dt.datetime | None = None
) -> QuizAttempt:
    """Grade `answers` against the attempt's snapshot and close the attempt.

    Refuses, changing nothing, an attempt already submitted and answers that
    name a question or an option the attempt does not have. Past the time
    limit (plus SUBMIT_GRACE) the answers are discarded: the attempt is closed
    with no answers and a score of 0, then QuizError says the time is up.
    On a pass, the module counts as done and the enrolment's outcome is
    recomputed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise QuizError(gettext("This attempt was already submitted."))
        time_is_up = _time_is_up(attempt, now)
        if time_is_up:
            _close_unanswered(attempt, now)
        else:
            clean = clean_answers(questions=attempt.questions, answers=answers)
            attempt.answers = clean
            attempt.score = sum(
                (
                    points_for(question, clean.get(question["id"]))
                    for question in attempt.questions
                ),
                Decimal(0),
            )
            attempt.passed = _passes(
                attempt.score, attempt.max_score, attempt.pass_mark_percent
            )
            attempt.submitted_at = now
            attempt.save(update_fields=["answers", "score", "passed", "submitted_at"])
            if attempt.passed:
                _record_pass(attempt)
    if time_is_up:
        raise QuizError(
            gettext(
                "The time limit passed before the attempt was submitted, "
                "so it was closed with no answers."
            )
        )
    return attempt


def quiz_attempt_expire(
    *, attempt: QuizAttempt, now: dt.datetime | None = None
) -> QuizAttempt:
    """Close an open attempt whose time is up (scored 0); otherwise a no-op.
    Lets a page show the result of an attempt its trainee walked away from."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is None and _time_is_up(attempt, now):
            _close_unanswered(attempt, now)
    return attempt


def attempt_time_is_up(*, attempt: QuizAttempt, now: dt.datetime | None = None) -> bool:
    """Whether an open attempt can no longer be submitted."""
    return _time_is_up(attempt, now or timezone.now())


def _time_is_up(attempt: QuizAttempt, now: dt.datetime) -> bool:
    ends_at = attempt.time_limit_ends_at
    return ends_at is not None and now > ends_at + SUBMIT_GRACE


def _close_unanswered(attempt: QuizAttempt, now: dt.datetime) -> None:
    attempt.answers, attempt.score, attempt.passed = {}, Decimal(0), False
    attempt.submitted_at = now
    attempt.save(update_fields=["answers", "score", "passed", "submitted_at"])


def _passes(score: Decimal, max_score: Decimal, pass_mark_percent: int) -> bool:
    """score / max_score >= pass mark, in exact arithmetic. A quiz worth no
    points has nothing to get wrong, so it is passed."""
    if not max_score:
        return True
    return score * 100 >= max_score * pass_mark_percent


def _record_pass(attempt: QuizAttempt) -> None:
    ModuleProgress.objects.get_or_create(
        enrolment_id=attempt.enrolment_id,
        module_id=attempt.module_id,
        defaults={"source": ModuleProgress.Source.QUIZ},
    )
    try:
        from enrolments.rules.completion import outcome_recompute
    except ModuleNotFoundError as error:
        # Without the completion rules only progress is recorded; an import
        # that fails inside the rules themselves must still surface.
        if error.name != "enrolments.rules.completion":
            raise
        return
    outcome_recompute(enrolment=attempt.enrolment)


# --- Grading -------------------------------------------------------------------


def clean_answers(*, questions: list[dict], answers: dict) -> dict:
    """`answers` in the form stored on the attempt: option ids as strings (a
    sorted list for multiple choice), booleans, numeric text as typed. Empty
    answers are dropped. Raises QuizError for a question or option the
    questions do not have, or an answer of the wrong shape."""
    by_id = {question["id"]: question for question in questions}
    clean = {}
    for question_id, answer in answers.items():
        question = by_id.get(question_id)
        if question is None:
            raise QuizError(gettext("Answer to an unknown question."))
        if answer in (None, "", [], ()):
            continue
        clean[question_id] = _clean_answer(question, answer)
    return clean


def _clean_answer(question: dict, answer):
    kind = question["type"]
    if kind in CHOICE_TYPES:
        chosen = [answer] if isinstance(answer, str) else answer
        if not isinstance(chosen, list | tuple) or not all(
            isinstance(option_id, str) for option_id in chosen
        ):
            raise QuizError(gettext("Choose options by their ids."))
        if kind == "single_choice" and len(chosen) != 1:
            raise QuizError(gettext("Choose one option for a single-choice question."))
        option_ids = {option["id"] for option in question["options"]}
        if not set(chosen) <= option_ids:
            raise QuizError(
                gettext("Answer with an option that the question does not have.")
            )
        return chosen[0] if kind == "single_choice" else sorted(set(chosen))
    if kind == "true_false":
        if isinstance(answer, bool):
            return answer
        if isinstance(answer, str) and answer.lower() in TRUE_STRINGS:
            return TRUE_STRINGS[answer.lower()]
        raise QuizError(gettext("Answer a true or false question with true or false."))
    if kind == "numeric":
        if not isinstance(answer, str | int | Decimal) or isinstance(answer, bool):
            raise QuizError(gettext("Answer a numeric question with a number."))
        text = str(answer).strip()
        if len(text) > 50:
            raise QuizError(gettext("A numeric answer is at most 50 characters long."))
        if parse_number(text) is None:
            raise NotANumber(question_id=question["id"], text=text)
        return text
    raise QuizError(gettext("This question cannot be answered."))


def parse_number(text: str) -> Decimal | None:
    """A typed number as a Decimal: "3,5" and "3.5" alike, spaces between
    thousands allowed. None when it is not a finite number."""
    cleaned = "".join(str(text).split()).replace("\u202f", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def is_correct(question: dict, answer) -> bool:
    """Whether a cleaned answer is right. Numeric answers are numbers by now
    (clean_answers refuses words); one stored before that rule is wrong."""
    if answer is None:
        return False
    kind = question["type"]
    if kind in CHOICE_TYPES:
        correct = {o["id"] for o in question["options"] if o["correct"]}
        chosen = {answer} if kind == "single_choice" else set(answer)
        return chosen == correct
    if kind == "true_false":
        return answer == question["answer"]
    if kind == "numeric":
        number = parse_number(answer)
        if number is None:
            return False
        distance = abs(number - Decimal(question["answer"]))
        return distance <= Decimal(question["tolerance"])
    return False


def points_for(question: dict, answer) -> Decimal:
    return Decimal(question["points"]) if is_correct(question, answer) else Decimal(0)
