"""The gradebook: trainees × assessments for a run's instructors, its exports,
and a fixed number of queries whatever its size."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enrolments.models import AssignmentSubmission
from enrolments.services import enrolment_create
from tests.enrolments.factories import quiz_attempt_taken
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def quiz_block(number):
    return {
        "type": "quiz",
        "id": f"quiz-{number}",
        "value": {
            "title": f"Quiz {number}",
            "introduction": "",
            "pass_mark_percent": None,
            "attempts_allowed": 3,
            "time_limit_minutes": None,
            "required": True,
            "questions": [
                {
                    "type": "true_false",
                    "id": "q1",
                    "value": {"prompt": "True?", "answer": True, "points": "1"},
                }
            ],
        },
    }


def setup(catalogue, *, trainees=2, quizzes=1):
    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    module = ModulePageFactory(
        parent=course,
        title="Basics",
        body=[quiz_block(n) for n in range(quizzes)]
        + [
            {
                "type": "assignment",
                "id": "essay",
                "value": {
                    "title": "Essay",
                    "instructions": "<p>Write</p>",
                    "deadline": None,
                    "max_points": "10",
                    "accepts": "text",
                    "required": True,
                },
            }
        ],
    )
    run = CourseRunFactory(course=course, capacity=100)
    instructor = UserFactory()
    run.instructors.add(InstructorFactory(user=instructor))
    run.save()  # a ParentalManyToManyField is written on save
    enrolments = [
        enrolment_create(
            trainee=TraineeProfileFactory(full_name=f"Јована {n}"), run=run
        )
        for n in range(trainees)
    ]
    return run, module, instructor, enrolments


def attempt(enrolment, module, quiz_id, *, passed):
    quiz_attempt_taken(
        enrolment=enrolment, module=module, quiz_id=quiz_id, right=passed
    )


def test_instructor_sees_attempts_best_scores_and_results(client, catalogue):
    run, module, instructor, (first, second) = setup(catalogue)
    attempt(first, module, "quiz-0", passed=False)
    attempt(first, module, "quiz-0", passed=True)
    AssignmentSubmission.objects.create(
        enrolment=second, module=module, assignment_id="essay", text_html="<p>x</p>",
        submitted_at=timezone.now(), max_points=10, score=Decimal("4"), passed=False,
        graded_at=timezone.now(),
    )  # fmt: skip
    client.force_login(instructor)

    html = client.get(reverse("teaching:gradebook", args=[run.pk])).content.decode()

    assert "Quiz: Quiz 0" in html and "Assignment: Essay" in html
    assert "100.0% · passed" in html and "2 attempts" in html
    assert "40.0% · failed" in html


def test_gradebook_exports_as_csv_and_xlsx(client, catalogue):
    run, module, instructor, (first, _) = setup(catalogue)
    attempt(first, module, "quiz-0", passed=True)
    client.force_login(instructor)

    csv = client.get(reverse("teaching:gradebook_csv", args=[run.pk]))
    assert csv["Content-Disposition"].startswith("attachment;")
    text = csv.content.decode("utf-8-sig")
    assert "Јована 0" in text and "passed" in text

    xlsx = client.get(reverse("teaching:gradebook_xlsx", args=[run.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Trainee"
    assert rows[1][0] == "Јована 0" and "passed" in rows[1]


def test_other_instructors_and_trainees_get_404(client, catalogue):
    run, _, _, (first, _) = setup(catalogue)
    other = UserFactory()
    other_run = CourseRunFactory(course=run.course)
    other_run.instructors.add(InstructorFactory(user=other))
    other_run.save()
    for user in (other, first.trainee.user):
        client.force_login(user)
        for name in ("gradebook", "gradebook_csv", "gradebook_xlsx"):
            assert (
                client.get(reverse(f"teaching:{name}", args=[run.pk])).status_code
                == 404
            )


def test_gradebook_queries_do_not_grow_with_trainees_or_assessments(client, catalogue):
    def count(trainees, quizzes):
        run, module, instructor, enrolments = setup(
            catalogue, trainees=trainees, quizzes=quizzes
        )
        for enrolment in enrolments:
            for n in range(quizzes):
                attempt(enrolment, module, f"quiz-{n}", passed=True)
        client.force_login(instructor)
        url = reverse("teaching:gradebook", args=[run.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(trainees=3, quizzes=2) == count(trainees=60, quizzes=10)
