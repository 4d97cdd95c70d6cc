"""Editing a quiz that trainees have attempted: the page editor warns when it
opens the module and again on publishing, and every past attempt keeps (and
shows) the questions it was answered with."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from courses.models import CoursePage, ModulePage
from enrolments.services import enrolment_create
from enrolments.services.quizzes import quiz_attempt_start, quiz_attempt_submit
from tests.courses.test_locales import translate
from tests.factories import (
    CoursePageFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
QUIZ_TITLE = "Check your understanding"
WARNING = (
    '{count} trainees have attempted quiz "Check your understanding"; their '
    "attempts keep the questions they answered; changes apply to new attempts "
    "only."
)


def option(option_id: str, text: str, *, correct: bool) -> dict:
    return {
        "type": "item",
        "id": option_id,
        "value": {"text": text, "correct": correct},
    }


def quiz(prompt="2 + 2 = ?", right="4", wrong="5", quiz_id="quiz-1") -> dict:
    """A quiz block in the StreamField's JSON form, with fixed ids."""
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": QUIZ_TITLE,
            "introduction": "",
            "pass_mark_percent": None,
            "attempts_allowed": 3,
            "time_limit_minutes": None,
            "required": True,
            "questions": [
                {
                    "type": "single_choice",
                    "id": "q1",
                    "value": {
                        "prompt": prompt,
                        "options": [
                            option("o1", right, correct=True),
                            option("o2", wrong, correct=False),
                        ],
                        "points": "1",
                    },
                }
            ],
        },
    }


def stream_form(blocks: list[dict]) -> dict:
    """The page editor's form data for a StreamField of JSON blocks, block ids
    included (the editor's script posts them: they keep naming the quiz)."""

    def value(data):
        if isinstance(data, list):  # a StreamBlock or a ListBlock
            items = {
                str(i): {
                    "type": item["type"],
                    "id": item["id"],
                    "value": value(item["value"]),
                    "deleted": "",
                    "order": str(i),
                }
                for i, item in enumerate(data)
            }
            return {**items, "count": str(len(data))}
        if isinstance(data, dict):
            return {
                key: value(child)
                for key, child in data.items()
                if child not in (None, False)
            }
        return "on" if data is True else str(data)

    return value(blocks)


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue, title="Arithmetic", format=CoursePage.Format.SELF_PACED
    )


@pytest.fixture
def module(course):
    return ModulePageFactory(parent=course, title="Sums", body=[quiz()])


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def attempted(course, module, answer="o1", trainee=None):
    """A trainee enrols and submits an attempt, through the quiz service."""
    trainee = trainee or TraineeProfileFactory()
    enrolment = enrolment_create(trainee=trainee, course=course)
    attempt = quiz_attempt_start(
        enrolment=enrolment, module=module, quiz_id="quiz-1", now=T0
    )
    return quiz_attempt_submit(
        attempt=attempt, answers={"q1": answer}, now=T0 + dt.timedelta(minutes=1)
    )


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def publish(client, module, body: list[dict]):
    data = nested_form_data(
        {
            "title": module.title,
            "slug": module.slug,
            "summary": module.summary,
            "estimated_minutes": module.estimated_minutes,
            "is_required": "on",
            "body": stream_form(body),
            "action-publish": "action-publish",
        }
    )
    return client.post(edit_url(module), data, follow=True)


def test_opening_a_module_whose_quiz_was_attempted_warns_with_the_count(
    editor, course, module
):
    first = attempted(course, module)
    attempted(course, module, answer="o2")
    # A second attempt by the same trainee is still one trainee.
    quiz_attempt_submit(
        attempt=quiz_attempt_start(
            enrolment=first.enrolment, module=module, quiz_id="quiz-1", now=T0
        ),
        answers={},
        now=T0 + dt.timedelta(minutes=2),
    )

    response = editor.get(edit_url(module))

    assert response.status_code == 200
    assert WARNING.format(count=2) in text(response)


def test_one_trainee_is_counted_in_the_singular(editor, course, module):
    attempted(course, module)

    response = editor.get(edit_url(module))

    assert '1 trainee has attempted quiz "Check your understanding"' in text(response)


def test_no_warning_for_a_quiz_no_one_attempted(editor, course, module):
    other = ModulePageFactory(parent=course, title="Products", body=[quiz()])
    attempted(course, other)  # the same quiz id, in another module

    response = editor.get(edit_url(module))

    assert response.status_code == 200
    assert "have attempted quiz" not in text(response)
    assert "has attempted quiz" not in text(response)


def test_no_warning_for_a_page_without_quizzes(editor, course, module):
    attempted(course, module)

    response = editor.get(edit_url(course))

    assert response.status_code == 200
    assert "attempted quiz" not in text(response)


def test_publishing_the_edit_warns_and_past_attempts_keep_their_questions(
    editor, client, course, module
):
    trainee = TraineeProfileFactory()
    past = attempted(course, module, trainee=trainee)
    attempted(course, module)

    response = publish(editor, module, [quiz(prompt="3 + 3 = ?", right="6")])

    assert response.status_code == 200
    assert WARNING.format(count=2) in text(response)
    module = ModulePage.objects.get(pk=module.pk)
    prompt = module.assessment_block("quiz-1", "quiz").value["questions"][0].value
    assert prompt["prompt"] == "3 + 3 = ?"

    client.force_login(trainee.user)
    shown = text(client.get(reverse("learning:quiz_attempt", args=[past.pk])))
    assert "2 + 2 = ?" in shown and "3 + 3 = ?" not in shown
    past.refresh_from_db()
    assert (past.score, past.passed) == (1, True)
    # A trainee who starts now (the first two passed and so completed this
    # self-paced course) gets the edited question.
    newcomer = enrolment_create(trainee=TraineeProfileFactory(), course=course)
    fresh = quiz_attempt_start(
        enrolment=newcomer, module=module, quiz_id="quiz-1", now=T0
    )
    assert fresh.questions[0]["prompt"] == "3 + 3 = ?"


def test_editing_a_translation_warns_of_the_originals_attempts(editor, course, module):
    attempted(course, module)
    attempted(course, module)
    serbian = translate(module, "sr-latn", title="Zbirovi")

    response = editor.get(edit_url(serbian))

    assert WARNING.format(count=2) in text(response)
