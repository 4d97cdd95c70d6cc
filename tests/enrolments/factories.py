"""Quizzes for the suite, in the shapes the product writes: a quiz block in
the StreamField JSON an editor saves, and attempts taken through the quiz
service (enrolments/services/quizzes.py), so `QuizAttempt.questions` holds
the service's snapshot (a list of questions) and never a hand-made dict."""

import datetime as dt
from decimal import Decimal

from enrolments.models import Enrolment, QuizAttempt
from enrolments.services.quizzes import (
    CHOICE_TYPES,
    quiz_attempt_start,
    quiz_attempt_submit,
)


def true_false_question(
    question_id: str = "q1", *, answer: bool = True, points: str = "1"
) -> dict:
    return {
        "type": "true_false",
        "id": question_id,
        "value": {"prompt": "The sky is blue.", "answer": answer, "points": points},
    }


def quiz_block(
    quiz_id: str = "quiz-1",
    *,
    title: str = "Check your understanding",
    questions: list[dict] | None = None,
    attempts_allowed: int = 2,
    pass_mark_percent: int | None = None,
    required: bool = True,
) -> dict:
    """A quiz block as a module's body stores it; one true/false question
    worth a point unless `questions` says otherwise."""
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": title,
            "introduction": "",
            "pass_mark_percent": pass_mark_percent,
            "attempts_allowed": attempts_allowed,
            "time_limit_minutes": None,
            "required": required,
            "questions": questions or [true_false_question()],
        },
    }


def _answer(question: dict, right: bool):
    if question["type"] in CHOICE_TYPES:
        options = [o["id"] for o in question["options"] if o["correct"] == right]
        if question["type"] == "single_choice":
            return options[0]
        return options
    if question["type"] == "true_false":
        return question["answer"] if right else not question["answer"]
    # numeric: the answer itself, or one beyond the tolerance
    answer = Decimal(question["answer"])
    return str(answer if right else answer + Decimal(question["tolerance"]) + 1)


def quiz_attempt_taken(
    *,
    enrolment: Enrolment,
    module,
    quiz_id: str = "quiz-1",
    right: bool = True,
    now: dt.datetime | None = None,
) -> QuizAttempt:
    """Start an attempt and submit it through the quiz service, answering
    every question rightly (or every one wrongly)."""
    attempt = quiz_attempt_start(
        enrolment=enrolment, module=module, quiz_id=quiz_id, now=now
    )
    answers = {q["id"]: _answer(q, right) for q in attempt.questions}
    return quiz_attempt_submit(attempt=attempt, answers=answers, now=now)
