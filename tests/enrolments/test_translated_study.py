"""Studying a translated course: the trainee reads the translation, and what
they do counts for the original (courses/locales.py): module progress, quiz
attempts (with the questions as they read them) and handed-in work."""

import pytest
from wagtail.models import Locale

from courses.models import CoursePage
from enrolments.models import AssignmentSubmission, Enrolment, ModuleProgress
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_submit
from enrolments.services.quizzes import quiz_attempt_start
from tests.enrolments.test_quizzes import quiz_block
from tests.factories import CoursePageFactory, ModulePageFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


def translate(page, language: str, **fields):
    copy = page.copy_for_translation(
        Locale.objects.get(language_code=language), copy_parents=True
    )
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def assignment_block(assignment_id="work-1") -> dict:
    return {
        "type": "assignment",
        "id": assignment_id,
        "value": {
            "title": "Describe a protocol",
            "instructions": "<p>Write a paragraph.</p>",
            "accepts_text": True,
            "accepts_file": False,
            "max_score": 10,
            "deadline": None,
            "is_required": True,
        },
    }


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        title="Networking basics",
        slug="networking",
        format=CoursePage.Format.SELF_PACED,
    )


@pytest.fixture
def module(course):
    return ModulePageFactory(
        parent=course, title="Protocols", slug="protocols", body=[quiz_block()]
    )


@pytest.fixture
def serbian_module(module):
    serbian = translate(module, "sr-latn", title="Protokoli")
    body = serbian.body.raw_data
    body[0]["value"]["questions"][0]["value"]["prompt"] = "Koliko je 2 + 2?"
    serbian.body = body
    serbian.save_revision().publish()
    return type(serbian).objects.get(pk=serbian.pk)


@pytest.fixture
def trainee():
    return TraineeProfileFactory(preferred_language="sr-latn")


@pytest.fixture
def enrolment(trainee, course):
    enrolment = enrolment_create(trainee=trainee, course=course)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    return enrolment


def test_the_enrolled_trainee_reads_the_translated_module(
    client, trainee, enrolment, serbian_module
):
    client.force_login(trainee.user)
    response = client.get("/sr-latn/courses/networking/protocols/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Protokoli" in html and "Networking basics" in html
    # The form marks the original module done.
    assert f"/sr-latn/learning/modules/{serbian_module.original.pk}/done/" in html


def test_marking_a_translated_module_done_counts_for_the_original(
    client, trainee, enrolment, module, serbian_module
):
    client.force_login(trainee.user)
    response = client.post(f"/sr-latn/learning/modules/{serbian_module.pk}/done/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sr-latn/")
    assert list(ModuleProgress.objects.values_list("module_id", flat=True)) == [
        module.pk
    ]


def test_a_quiz_on_the_translation_is_an_attempt_on_the_original(
    enrolment, module, serbian_module
):
    attempt = quiz_attempt_start(
        enrolment=enrolment, module=serbian_module, quiz_id="quiz-1"
    )
    assert attempt.module_id == module.pk
    assert attempt.questions[0]["prompt"] == "Koliko je 2 + 2?"


def test_work_handed_in_on_the_translation_belongs_to_the_original(catalogue, trainee):
    course = CoursePageFactory(
        parent=catalogue, slug="writing", format=CoursePage.Format.SELF_PACED
    )
    original = ModulePageFactory(parent=course, body=[assignment_block()])
    serbian = translate(original, "sr-latn")
    enrolment = enrolment_create(trainee=trainee, course=course)

    submission_submit(
        enrolment=enrolment,
        module=serbian,
        assignment_id="work-1",
        text_html="<p>TCP je protokol.</p>",
    )

    assert AssignmentSubmission.objects.get().module_id == original.pk


def test_a_translated_module_of_another_course_is_refused(catalogue, enrolment):
    other = CoursePageFactory(parent=catalogue, slug="other")
    foreign = translate(ModulePageFactory(parent=other, body=[quiz_block()]), "sr-latn")
    from enrolments.services.quizzes import QuizError

    with pytest.raises(QuizError):
        quiz_attempt_start(enrolment=enrolment, module=foreign, quiz_id="quiz-1")


def test_enrolment_emails_speak_the_trainees_language_and_script(
    catalogue, django_capture_on_commit_callbacks
):
    from django.core import mail

    course = CoursePageFactory(
        parent=catalogue, title="Secure coding", format=CoursePage.Format.SELF_PACED
    )
    translate(course, "sr-latn", title="Bezbedno programiranje")
    readers = {
        "en": "Your place is confirmed: Secure coding",
        "sr-latn": "Vaše mesto je potvrđeno: Bezbedno programiranje",
        # No Cyrillic translation: the Latin one, transliterated.
        "sr": "Ваше место је потврђено: Безбедно програмирање",
    }
    for language, subject in readers.items():
        mail.outbox.clear()
        trainee = TraineeProfileFactory(preferred_language=language)
        with django_capture_on_commit_callbacks(execute=True):
            enrolment_create(trainee=trainee, course=course)
        [message] = mail.outbox
        assert message.subject == subject
        assert subject.split(": ")[1] in message.body
