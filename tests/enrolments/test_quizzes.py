"""Quizzes: grading on the server against the attempt's snapshot, attempts and
time limits, and the pages a trainee takes a quiz on, including the requests a
trainee should not get away with."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CoursePage, ModulePage
from enrolments.models import Enrolment, ModuleProgress, QuizAttempt
from enrolments.services import enrolment_create
from enrolments.services.quizzes import (
    NotANumber,
    QuizError,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_snapshot,
)
from tests.factories import CoursePageFactory, ModulePageFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


# --- Quiz content, in the StreamField's JSON form ----------------------------


def options(*specs) -> list[dict]:
    """ListBlock items with fixed ids: options(("4", True), ("5", False))."""
    return [
        {"type": "item", "id": f"o{i}", "value": {"text": text, "correct": correct}}
        for i, (text, correct) in enumerate(specs, start=1)
    ]


def single(qid="q1", points="1"):
    return {
        "type": "single_choice",
        "id": qid,
        "value": {
            "prompt": "2 + 2 = ?",
            "options": options(("4", True), ("5", False), ("22", False)),
            "points": points,
        },
    }


def multiple(qid="q2", points="2"):
    return {
        "type": "multiple_choice",
        "id": qid,
        "value": {
            "prompt": "Which are prime?",
            "options": options(("2", True), ("3", True), ("4", False)),
            "points": points,
        },
    }


def true_false(qid="q3", answer=True, points="1"):
    return {
        "type": "true_false",
        "id": qid,
        "value": {
            "prompt": "HTTPS encrypts traffic.",
            "answer": answer,
            "points": points,
        },
    }


def numeric(qid="q4", answer="3.1416", tolerance="0.01", points="1"):
    return {
        "type": "numeric",
        "id": qid,
        "value": {
            "prompt": "Pi, to two decimals?",
            "answer": answer,
            "tolerance": tolerance,
            "points": points,
        },
    }


def quiz_block(questions=None, quiz_id="quiz-1", **values) -> dict:
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": "Check your understanding",
            "introduction": "Five points in all.",
            "pass_mark_percent": None,
            "attempts_allowed": 2,
            "time_limit_minutes": None,
            "required": True,
            "questions": questions or [single(), multiple(), true_false(), numeric()],
            **values,
        },
    }


ALL_RIGHT = {"q1": "o1", "q2": ["o1", "o2"], "q3": True, "q4": "3.14"}


# --- Fixtures ------------------------------------------------------------------


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        title="Networking basics",
        format=CoursePage.Format.SELF_PACED,
        pass_mark_percent=60,
    )


@pytest.fixture
def module(course):
    return ModulePageFactory(parent=course, title="Protocols", body=[quiz_block()])


@pytest.fixture
def trainee():
    return TraineeProfileFactory(full_name="Ђорђе Петровић")


@pytest.fixture
def enrolment(trainee, course):
    enrolment = enrolment_create(trainee=trainee, course=course)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    return enrolment


@pytest.fixture
def trainee_client(client, trainee, enrolment):
    client.force_login(trainee.user)
    return client


def start(enrolment, module, quiz_id="quiz-1", now=T0):
    return quiz_attempt_start(
        enrolment=enrolment, module=module, quiz_id=quiz_id, now=now
    )


def submit(attempt, answers, now=T0 + dt.timedelta(minutes=1)):
    return quiz_attempt_submit(attempt=attempt, answers=answers, now=now)


def republish(module, body):
    module = ModulePage.objects.get(pk=module.pk)
    module.body = body
    module.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk)


# --- Snapshot and grading ---------------------------------------------------------


def test_snapshot_is_plain_json_with_the_course_pass_mark(module):
    snapshot = quiz_snapshot(module=module, quiz_id="quiz-1")

    assert snapshot["pass_mark_percent"] == 60  # the quiz leaves it to the course
    assert snapshot["attempts_allowed"] == 2
    assert snapshot["time_limit_minutes"] is None
    q1, q2, q3, q4 = snapshot["questions"]
    assert q1["id"] == "q1" and q1["type"] == "single_choice"
    assert q1["options"][0] == {"id": "o1", "text": "4", "correct": True}
    assert [o["correct"] for o in q2["options"]] == [True, True, False]
    assert q3["answer"] is True
    assert (Decimal(q4["answer"]), Decimal(q4["tolerance"])) == (
        Decimal("3.1416"),
        Decimal("0.01"),
    )
    assert q2["points"] == "2"


def test_all_right_answers_score_full_points_and_pass(enrolment, module):
    attempt = submit(start(enrolment, module), ALL_RIGHT)

    assert (attempt.score, attempt.max_score) == (Decimal(5), Decimal(5))
    assert attempt.passed is True
    assert attempt.submitted_at is not None
    stored = QuizAttempt.objects.get(pk=attempt.pk)
    assert stored.answers == {"q1": "o1", "q2": ["o1", "o2"], "q3": True, "q4": "3.14"}


@pytest.mark.parametrize(
    "answers, score",
    [
        ({"q1": "o1"}, 1),
        ({"q1": "o2"}, 0),
        ({"q2": ["o2", "o1"]}, 2),
        ({"q2": ["o1"]}, 0),  # partly right earns nothing
        ({"q2": ["o1", "o2", "o3"]}, 0),  # a wrong extra earns nothing
        ({"q3": "true"}, 1),
        ({"q3": False}, 0),
        ({"q4": "3,14"}, 1),  # decimal comma
        ({"q4": "3.1516"}, 1),  # within the tolerance
        ({"q4": "3.16"}, 0),
        ({}, 0),
    ],
)
def test_each_question_type_is_graded_on_the_server(enrolment, module, answers, score):
    attempt = submit(start(enrolment, module), answers)
    assert attempt.score == Decimal(score)


def test_pass_mark_decides_pass_or_fail(enrolment, module):
    # 3 of 5 points is exactly the course's 60%.
    passed = submit(start(enrolment, module), {"q1": "o1", "q2": ["o1", "o2"]})
    failed = submit(start(enrolment, module), {"q2": ["o1", "o2"]})

    assert (passed.passed, passed.percent) == (True, Decimal("60.0"))
    assert (failed.passed, failed.percent) == (False, Decimal("40.0"))


def test_the_quiz_pass_mark_overrides_the_course(enrolment, course):
    module = ModulePageFactory(parent=course, body=[quiz_block(pass_mark_percent=80)])
    attempt = submit(start(enrolment, module), {"q1": "o1", "q2": ["o1", "o2"]})
    assert (attempt.pass_mark_percent, attempt.passed) == (80, False)


def test_a_pass_records_module_progress_once(enrolment, module):
    submit(start(enrolment, module), {"q2": ["o1", "o2"]})  # fails
    assert not ModuleProgress.objects.exists()

    submit(start(enrolment, module), ALL_RIGHT)

    progress = ModuleProgress.objects.get()
    assert (progress.enrolment, progress.module_id) == (enrolment, module.pk)
    assert progress.source == ModuleProgress.Source.QUIZ


# --- Attempts and time limits ---------------------------------------------------


def test_starting_twice_returns_the_open_attempt(enrolment, module):
    first = start(enrolment, module)
    again = start(enrolment, module, now=T0 + dt.timedelta(minutes=5))
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_attempts_limit_is_enforced(enrolment, module):
    submit(start(enrolment, module), {})
    second = start(enrolment, module)
    submit(second, {})
    assert second.number == 2

    with pytest.raises(QuizError, match="You have used all 2 attempts."):
        start(enrolment, module)
    assert QuizAttempt.objects.count() == 2


def test_submitting_within_the_grace_after_the_time_limit_counts(enrolment, course):
    module = ModulePageFactory(parent=course, body=[quiz_block(time_limit_minutes=10)])
    attempt = start(enrolment, module)
    assert attempt.time_limit_ends_at == T0 + dt.timedelta(minutes=10)

    late_but_in_grace = T0 + dt.timedelta(minutes=10, seconds=25)
    assert submit(attempt, ALL_RIGHT, now=late_but_in_grace).score == 5


def test_submitting_after_the_time_limit_closes_the_attempt_with_nothing(
    enrolment, course
):
    module = ModulePageFactory(parent=course, body=[quiz_block(time_limit_minutes=10)])
    attempt = start(enrolment, module)

    with pytest.raises(QuizError, match="time limit passed"):
        submit(attempt, ALL_RIGHT, now=T0 + dt.timedelta(minutes=10, seconds=31))

    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert (attempt.answers, attempt.score, attempt.passed) == ({}, 0, False)
    assert not ModuleProgress.objects.exists()


def test_starting_again_closes_an_expired_open_attempt(enrolment, course):
    module = ModulePageFactory(parent=course, body=[quiz_block(time_limit_minutes=10)])
    walked_away = start(enrolment, module)

    fresh = start(enrolment, module, now=T0 + dt.timedelta(hours=1))

    walked_away.refresh_from_db()
    assert (walked_away.score, walked_away.passed) == (0, False)
    assert fresh.number == 2 and fresh.submitted_at is None


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"q1": "o1", "q99": "o1"}, "Answer to an unknown question."),
        ({"q1": "o9"}, "an option that the question does not have"),
        ({"q2": ["o1", "o9"]}, "an option that the question does not have"),
        ({"q1": ["o1", "o2"]}, "Choose one option"),
        ({"q3": "maybe"}, "true or false"),
    ],
)
def test_bad_answers_are_refused_and_nothing_changes(
    enrolment, module, answers, message
):
    attempt = start(enrolment, module)

    with pytest.raises(QuizError, match=message):
        submit(attempt, answers)

    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert (attempt.answers, attempt.score, attempt.passed) == ({}, None, None)


def test_a_submitted_attempt_cannot_be_submitted_again(enrolment, module):
    attempt = submit(start(enrolment, module), {"q1": "o2"})
    with pytest.raises(QuizError, match="already submitted"):
        submit(attempt, ALL_RIGHT)
    assert QuizAttempt.objects.get(pk=attempt.pk).score == 0


def test_an_unknown_quiz_is_refused(enrolment, module):
    with pytest.raises(QuizError, match="not part of the module"):
        start(enrolment, module, quiz_id="no-such-quiz")


def test_editing_the_quiz_later_never_changes_a_past_result(enrolment, module):
    submitted = submit(start(enrolment, module), ALL_RIGHT)
    open_attempt = start(enrolment, module)
    # The editor decides "5" is right and pi is 3.
    edited = quiz_block(
        questions=[
            {
                **single(),
                "value": {
                    **single()["value"],
                    "options": options(("4", False), ("5", True), ("22", False)),
                },
            },
            multiple(),
            true_false(answer=False),
            numeric(answer="3"),
        ]
    )
    module = republish(module, [edited])
    assert quiz_snapshot(module=module, quiz_id="quiz-1")["questions"][0]["options"][1][
        "correct"
    ]

    graded_after_edit = submit(open_attempt, ALL_RIGHT)

    assert QuizAttempt.objects.get(pk=submitted.pk).score == 5
    assert graded_after_edit.score == 5


def test_grading_queries_do_not_grow_with_the_number_of_questions(catalogue):
    def queries_to_grade(count):
        # Each size in a course of its own, so both passes complete a course.
        course = CoursePageFactory(
            parent=catalogue, format=CoursePage.Format.SELF_PACED
        )
        questions, answers = [], {}
        for n in range(count):
            kind = (single, multiple, true_false, numeric)[n % 4]
            questions.append(kind(qid=f"q{n}"))
            answers[f"q{n}"] = ALL_RIGHT[f"q{n % 4 + 1}"]
        module = ModulePageFactory(parent=course, body=[quiz_block(questions)])
        enrolment = enrolment_create(trainee=TraineeProfileFactory(), course=course)
        attempt = start(enrolment, module)
        with CaptureQueriesContext(connection) as queries:
            graded = submit(attempt, answers)
        assert graded.score == graded.max_score
        return len(queries)

    assert queries_to_grade(4) == queries_to_grade(40)


# --- Pages ------------------------------------------------------------------------


def quiz_url(module, quiz_id="quiz-1"):
    return reverse("learning:quiz", args=[module.pk, quiz_id])


def attempt_url(attempt):
    return reverse("learning:quiz_attempt", args=[attempt.pk])


def form_of(html: str) -> str:
    return re.search(r'<form method="post" class="quiz-form">.*?</form>', html, re.S)[0]


def test_module_page_links_to_the_quiz_page(trainee_client, module):
    html = trainee_client.get(module.url).content.decode()
    assert quiz_url(module) in html


def test_quiz_page_shows_the_introduction_past_attempts_and_attempts_left(
    trainee_client, enrolment, module
):
    submit(start(enrolment, module), {"q1": "o1"})

    html = trainee_client.get(quiz_url(module)).content.decode()

    assert "Check your understanding" in html
    assert "Five points in all." in html
    assert "1 of 5 points (20.0%)" in html
    assert "Not passed" in html
    assert "1 of 2 left" in html
    assert "Start attempt" in html


def test_trainee_takes_a_quiz_through_the_pages(trainee_client, enrolment, module):
    response = trainee_client.post(quiz_url(module))
    attempt = QuizAttempt.objects.get()
    assert response["Location"] == attempt_url(attempt)

    html = trainee_client.get(attempt_url(attempt)).content.decode()
    assert "<legend>" in html and 'type="checkbox"' in html
    assert 'inputmode="decimal"' in html

    response = trainee_client.post(
        attempt_url(attempt),
        {
            "answer-q1": "o1",
            "answer-q2": ["o1", "o2"],
            "answer-q3": "true",
            "answer-q4": "3,14",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Your answers were submitted." in html
    assert "Passed" in html and "5 of 5 points (100.0%)" in html
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (5, True)


@pytest.mark.parametrize("words", ["five", "pi", "3 point 14", "½", "NaN"])
def test_words_for_a_number_are_refused_and_the_attempt_stays_open(
    enrolment, module, words
):
    attempt = start(enrolment, module)
    with pytest.raises(NotANumber, match="is not a number"):
        submit(attempt, {**ALL_RIGHT, "q4": words})
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers in ({}, None)
    assert submit(attempt, ALL_RIGHT).score == 5


def test_a_refused_number_keeps_every_answer_on_the_page(
    trainee_client, enrolment, module
):
    trainee_client.post(quiz_url(module))
    attempt = QuizAttempt.objects.get()
    typed = {
        "answer-q1": "o1",
        "answer-q2": ["o1", "o2"],
        "answer-q3": "false",
        "answer-q4": "three",
    }

    response = trainee_client.post(attempt_url(attempt), typed)

    assert response.status_code == 400
    html = response.content.decode()
    assert "“three” is not a number. Answer with digits" in html
    assert 'value="three" aria-invalid="true" aria-describedby="error-q4"' in html
    assert re.search(r'name="answer-q1"[^>]*value="o1" checked', html)
    assert len(re.findall(r'name="answer-q2"[^>]*checked', html)) == 2
    assert re.search(r'id="answer-q3-false" value="false" checked', html)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None

    response = trainee_client.post(
        attempt_url(attempt), {**typed, "answer-q3": "true", "answer-q4": "3,14"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 5


def test_points_are_counted_with_plural_forms(trainee_client, enrolment, module):
    from django.utils import translation

    trainee_client.post(quiz_url(module))
    attempt = QuizAttempt.objects.get()
    html = trainee_client.get(attempt_url(attempt)).content.decode()
    assert "Question 1 · 1 point<" in html and "Question 2 · 2 points<" in html
    with translation.override("sr-latn"):
        html = trainee_client.get(attempt_url(attempt)).content.decode()
    assert "1 poen<" in html and "2 poena<" in html
    assert "bodova" not in html


def test_open_attempt_page_never_contains_the_correct_answers(
    trainee_client, enrolment, module
):
    attempt = start(enrolment, module)

    html = trainee_client.get(attempt_url(attempt)).content.decode()

    form = form_of(html)
    assert "correct" not in form.lower()
    assert "3.1416" not in html and "3.14" not in html
    # The right option's input differs from the wrong ones only by id and value.
    inputs = re.findall(r'<input type="radio" name="answer-q1"[^>]*>', form)
    assert len(inputs) == 3
    assert len({re.sub(r'(id|value)="[^"]*"', "", i) for i in inputs}) == 1


def test_correct_answers_are_shown_after_submission_when_the_course_allows(
    trainee_client, enrolment, module
):
    attempt = submit(start(enrolment, module), {"q1": "o2", "q4": "3"})

    html = trainee_client.get(attempt_url(attempt)).content.decode()

    assert "Not passed" in html
    assert "your choice" in html and "correct" in html
    assert "Correct answer: <strong>3.1416</strong> (± 0.01)" in html


def test_correct_answers_are_hidden_when_the_course_does_not_show_them(
    trainee_client, enrolment, module, course
):
    CoursePage.objects.filter(pk=course.pk).update(show_correct_answers=False)
    attempt = submit(start(enrolment, module), {"q1": "o2"})

    html = trainee_client.get(attempt_url(attempt)).content.decode()

    assert "0 of 5 points" in html
    assert "This course does not show the correct answers." in html
    assert "3.1416" not in html and "your choice" not in html


def test_a_late_submission_through_the_page_scores_nothing(
    trainee_client, enrolment, course
):
    module = ModulePageFactory(parent=course, body=[quiz_block(time_limit_minutes=5)])
    trainee_client.post(quiz_url(module))
    attempt = QuizAttempt.objects.get()
    html = trainee_client.get(attempt_url(attempt)).content.decode()
    assert "data-remaining-seconds=" in html and "quiz-timer.js" in html

    QuizAttempt.objects.filter(pk=attempt.pk).update(
        time_limit_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = trainee_client.post(
        attempt_url(attempt), {"answer-q1": "o1", "answer-q3": "true"}, follow=True
    )

    assert "The time limit passed" in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.answers, attempt.score, attempt.passed) == ({}, 0, False)


def test_an_attempt_left_past_its_time_limit_shows_as_closed(
    trainee_client, enrolment, course
):
    module = ModulePageFactory(parent=course, body=[quiz_block(time_limit_minutes=5)])
    attempt = start(enrolment, module, now=timezone.now() - dt.timedelta(hours=1))

    html = trainee_client.get(quiz_url(module)).content.decode()
    assert "Continue attempt" not in html
    assert "0 of 5 points" in html and "1 of 2 left" in html

    html = trainee_client.get(attempt_url(attempt)).content.decode()
    assert "No answers were recorded for this attempt." in html
    assert 'class="quiz-form"' not in html


def test_a_tampered_answer_is_refused_through_the_page(
    trainee_client, enrolment, module
):
    attempt = start(enrolment, module)
    response = trainee_client.post(
        attempt_url(attempt), {"answer-q1": "o1", "answer-q77": "o1"}, follow=True
    )
    assert "Answer to an unknown question." in response.content.decode()
    assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None


def test_used_up_attempts_leave_no_start_button(trainee_client, enrolment, module):
    submit(start(enrolment, module), {})
    submit(start(enrolment, module), {})

    html = trainee_client.get(quiz_url(module)).content.decode()
    assert "You have used all 2 attempts." in html
    assert "Start attempt" not in html

    response = trainee_client.post(quiz_url(module), follow=True)
    assert "You have used all 2 attempts." in response.content.decode()
    assert QuizAttempt.objects.count() == 2


def test_another_trainees_attempt_is_not_found(client, enrolment, module):
    attempt = start(enrolment, module)
    other = TraineeProfileFactory()
    enrolment_create(trainee=other, course=module.course)
    client.force_login(other.user)

    assert client.get(attempt_url(attempt)).status_code == 404
    assert client.post(attempt_url(attempt), {"answer-q1": "o1"}).status_code == 404
    assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None


def test_a_user_who_does_not_study_the_course_gets_404(client, course, module):
    pending = TraineeProfileFactory()
    course.enrolment_policy = CoursePage.EnrolmentPolicy.APPROVAL
    enrolment = enrolment_create(trainee=pending, course=course)
    assert enrolment.status == Enrolment.Status.PENDING
    client.force_login(pending.user)
    assert client.get(quiz_url(module)).status_code == 404
    assert client.post(quiz_url(module)).status_code == 404

    client.force_login(TraineeProfileFactory().user)  # not enrolled at all
    assert client.get(quiz_url(module)).status_code == 404
    assert not QuizAttempt.objects.exists()


def test_visitors_are_sent_to_log_in(client, module):
    response = client.get(quiz_url(module))
    assert response.status_code == 302 and "log-in" in response["Location"]


def test_a_block_that_is_not_a_quiz_of_the_module_gives_404(
    trainee_client, course, module
):
    other = ModulePageFactory(parent=course, body=[quiz_block(quiz_id="quiz-2")])
    assert trainee_client.get(quiz_url(module, "no-such-quiz")).status_code == 404
    assert trainee_client.get(quiz_url(module, "quiz-2")).status_code == 404
    assert trainee_client.get(quiz_url(other, "quiz-2")).status_code == 200


def test_every_post_needs_a_csrf_token(trainee, enrolment, module):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trainee.user)

    assert strict.post(quiz_url(module)).status_code == 403
    assert not QuizAttempt.objects.exists()

    attempt = start(enrolment, module)
    assert strict.post(attempt_url(attempt), {"answer-q1": "o1"}).status_code == 403
    assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None
